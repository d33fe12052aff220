"""Dates of birth.

- ``date_of_birth_after_cue``: a date after "DOB", "d.o.b", "date of birth", "born (on)",
  "birthday", "b." (``12/03/1956``, ``3rd march 1948``, ``August 12th 1942``, ``1961-04-09``),
  or a bare year right after the cue ("born in 1938", "(b. 1938)").
- ``old_full_date``: a full date (day, month and year) from before 2010 anywhere: at that age
  it is far more often a birthday than an appointment, and when unsure we redact.
"""

from __future__ import annotations

import re

from .base import Doc, Rule, cue_before

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?:[0-3]?\d(?:st|nd|rd|th)?)"
_YEAR = r"(?:(?:19|20)\d\d|'?\d\d)"
_DATE = re.compile(
    rf"(?<![\w/.\-])(?:"
    rf"[0-3]?\d(?P<sep>[/.\- ])[01]?\d(?P=sep)(?:(?:19|20)\d\d|\d\d)"  # 12/03/1956, 12 12 1944
    rf"|(?:19|20)\d\d-[01]\d-[0-3]\d"  # 1961-04-09
    rf"|(?:the\s+)?{_DAY}(?:\s+of)?\s+{_MONTH},?\s+{_YEAR}"  # 3rd march 1948, the 4th of July 1976
    rf"|{_MONTH}\s+{_DAY},?\s+{_YEAR}"  # August 12th 1942
    rf")(?![\w/])",
    re.IGNORECASE,
)
_CUE = re.compile(
    r"\b(?:d\.?\s?o\.?\s?b\.?|date\s+of\s+birth|born(?:\s+on|\s+in)?|birthday|b\.)"
    r"(?![\w])",
    re.IGNORECASE,
)
_CUE_YEAR = re.compile(
    r"(?:\b(?:d\.?\s?o\.?\s?b\.?|date\s+of\s+birth|born)(?:\s+(?:on|in|is|was|as))?|\bb\.)"
    r"[\s:\-]*((?:19|20)\d\d)\b",
    re.IGNORECASE,
)


def _year(value: str) -> int | None:
    m = re.search(r"(?:19|20)\d\d", value)
    if m:
        return int(m.group())
    m = re.search(r"(\d\d)\s*$", value)
    if m:
        yy = int(m.group(1))
        return 2000 + yy if yy <= 25 else 1900 + yy
    return None


def after_cue(doc: Doc):
    for m in _DATE.finditer(doc.text):
        if cue_before(doc.text, m.start(), _CUE, window=50):
            yield m.span()
    for m in _CUE_YEAR.finditer(doc.text):
        yield m.span(1)


def old_full_date(doc: Doc):
    for m in _DATE.finditer(doc.text):
        year = _year(m.group())
        if year is not None and year < 2010:
            yield m.span()


CUED = [Rule("date_of_birth_after_cue", "date_of_birth", after_cue)]
RULES = [Rule("old_full_date", "date_of_birth", old_full_date)]
