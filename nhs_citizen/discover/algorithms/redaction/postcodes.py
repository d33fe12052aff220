"""UK postcodes in every valid shape, any case, with or without the space (``SW1A 1AA``,
``ls14ap``, ``M1 1AE``)."""

from __future__ import annotations

import re

from .base import Doc, Rule

_POSTCODE = re.compile(
    r"(?<![\w\-])"
    r"(?:GIR ?0AA|"
    r"(?:[A-PR-UWYZ](?:\d[A-HJKPSTUW]?|\d\d|[A-HK-Y]\d[ABEHMNPRV-Y]?|[A-HK-Y]\d\d?)"
    r" ?\d[ABD-HJLNP-UW-Z]{2}))"
    r"(?![\w\-])",
    re.IGNORECASE,
)


def uk_postcode(doc: Doc):
    for m in _POSTCODE.finditer(doc.text):
        yield m.span()


RULES = [Rule("postcode_uk", "postcode", uk_postcode)]
