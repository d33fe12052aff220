"""Hospital numbers, MRNs and other record and reference numbers.

- ``record_number_after_cue``: a code with at least 4 digits after "hospital number", "hosp
  no", "MRN", "unit number", "patient ID", "case number", "ref", "complaint reference", "CHI
  number", "NI number", "UBRN", "K number"... (``RTH1234567``, ``PALS/2023/1187``,
  ``AB 12 34 56 C``, ``0001 2345 6789``).
- ``national_insurance_number``: the National Insurance shape, two letters, six digits and a
  letter A-D (``QQ123456C``, ``AB 12 34 56 C``), with no cue needed.
- ``record_number_shape``: one to four capital letters run straight into six or more digits
  (``RTH1234567``, ``K0987654``): the shape of hospital numbers, with no cue needed.
- ``unexplained_ten_digits``: ten digits that are not a phone number or an NHS number: we cannot
  tell what it is, so it is redacted as a record number.
"""

from __future__ import annotations

import re

from .base import Doc, Rule, cue_before
from .nhs_numbers import TEN_DIGITS
from .phones import is_uk_number

_CUE = re.compile(
    r"\b(?:(?:hospital|hosp|medical|patient|unit|case|record|trust|chi|id|ni|"
    r"national\s+insurance|claim|booking|complaint|incident|datix|rxr|k|x)\s*"
    r"(?:record\s+)?(?:numbers?|nos?\.?|nums?|nbr|#|id|ref(?:erence)?\.?)"
    r"|mrn|ubrn|nino|reference|ref\.?|patient\s+id|chi)(?![\w])",
    re.IGNORECASE,
)
# A code: optional letters, then digits, then more groups of digits or letters after a space,
# dash or slash. At least 4 digits in all (checked in the rule).
_CODE = re.compile(
    r"(?<![\w/\-])(?:[A-Z]{1,6}[ \-/]?|[A-Za-z]{1,6}[\-/]?)?\d[\dA-Za-z]*"
    r"(?:(?:[ \-/]|\s/\s)(?:\d[\dA-Za-z]*|[A-Z]\b))*(?![\w\-/])"
)
# Two letters, six digits, a letter A-D; the example number QQ 12 34 56 C counts too.
_NINO = re.compile(r"(?<![\w])[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![\w])")
_SHAPE = re.compile(r"(?<![\w\-/])[A-Z]{1,4}-?\d{6,10}[A-Z]?(?![\w\-/])")
_LEADING_WORD = re.compile(r"[A-Za-z]+[ \-/]")


def after_cue(doc: Doc):
    for m in _CODE.finditer(doc.text):
        if sum(c.isdigit() for c in m.group()) < 4:
            continue
        if cue_before(doc.text, m.start(), _CUE):
            yield m.span()
            continue
        # "MRN 10293847": the code pattern took the cue word in too.
        lead = _LEADING_WORD.match(m.group())
        if lead and _CUE.fullmatch(lead.group()[:-1]):
            yield m.start() + lead.end(), m.end()


def national_insurance(doc: Doc):
    for m in _NINO.finditer(doc.text):
        yield m.span()


def shape(doc: Doc):
    for m in _SHAPE.finditer(doc.text):
        yield m.span()


def unexplained_ten_digits(doc: Doc):
    for m in TEN_DIGITS.finditer(doc.text):
        if not is_uk_number(m.group()):
            yield m.span()


CUED = [Rule("record_number_after_cue", "record_number", after_cue)]
RULES = [
    Rule("national_insurance_number", "record_number", national_insurance),
    Rule("record_number_shape", "record_number", shape),
    Rule("unexplained_ten_digits", "record_number", unexplained_ten_digits),
]
