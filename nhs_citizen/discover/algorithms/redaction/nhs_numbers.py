"""NHS numbers: ten digits in any spacing (``943 476 5919``, ``9434765919``, ``943-476-5919``,
``94 34 76 59 19``, ``943.476.5919``).

- ``nhs_number_after_cue``: after "NHS number", "NHS no", "nhs #", "NHS:" it is an NHS number
  even when the check digit is wrong (people mistype them; it is still theirs).
- ``nhs_number_checksum``: anywhere else, only when the Modulus 11 check digit is right and it
  is not a UK phone number.
"""

from __future__ import annotations

import re

from .base import Doc, Rule, cue_before
from .phones import is_uk_number

# Ten digits with at most one separator (or two spaces) between any two of them.
TEN_DIGITS = re.compile(r"(?<![\w+\-/.])\d(?:(?: {1,2}|[\-./])?\d){9}(?![\w\-/]|[.\-/ ]\d)")
_CUE = re.compile(r"\bnhs\b(?:\s*(?:number|num|nbr|no\.?|#|n[o°]))?", re.IGNORECASE)


def is_valid(digits: str) -> bool:
    """True when ``digits`` (separators allowed) is 10 digits with a valid check digit.

    Modulus 11: weight the first nine digits 10, 9, ..., 2, add them up, take the remainder
    on dividing by 11 and subtract it from 11. 11 means a check digit of 0; 10 is never valid.
    """
    clean = "".join(c for c in digits if not c.isspace() and c not in "-./")
    if len(clean) != 10 or not clean.isascii() or not clean.isdigit():
        return False
    total = sum(int(clean[i]) * (10 - i) for i in range(9))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(clean[9])


def after_cue(doc: Doc):
    for m in TEN_DIGITS.finditer(doc.text):
        if cue_before(doc.text, m.start(), _CUE):
            yield m.span()


def checksum(doc: Doc):
    for m in TEN_DIGITS.finditer(doc.text):
        if is_valid(m.group()) and not (m.group()[0] == "0" and is_uk_number(m.group())):
            yield m.span()


CUED = [Rule("nhs_number_after_cue", "nhs_number", after_cue)]
RULES = [Rule("nhs_number_checksum", "nhs_number", checksum)]
