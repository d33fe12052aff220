"""UK phone numbers: a ``0``, ``+44`` or ``0044`` start, ``+44 (0)``, brackets round the area
code, spaces, dots and dashes between digits. The digits must make a UK number: ``0`` then
10 digits (or 9 for a few old area codes and 0800 numbers; never for mobiles)."""

from __future__ import annotations

import re

from .base import Doc, Rule

_CANDIDATE = re.compile(
    r"(?<![\w+])(?:(?:\+|\b00)[ \-]?44[ \-]?(?:\(\s?0\s?\)[ \-]?)?|\(0|\b0)"
    r"\d(?:(?:\)\s?|[ \-.]|\s?\()?\d){8,10}(?![\w])"
)


def is_uk_number(match: str) -> bool:
    digits = "".join(c for c in match if c.isdigit())
    if match.lstrip().startswith(("+", "00")):
        digits = digits[2:] if digits.startswith("00") else digits
        digits = digits[2:]  # the 44
        if not digits.startswith("0"):
            digits = "0" + digits
    if not digits.startswith("0") or digits[1:2] in ("0", ""):
        return False
    if len(digits) == 11:
        return True
    return len(digits) == 10 and digits[1] != "7"


def uk_phone(doc: Doc):
    for m in _CANDIDATE.finditer(doc.text):
        if is_uk_number(m.group()):
            yield m.span()


RULES = [Rule("phone_uk", "phone", uk_phone)]
