"""Runs the rules in order over one text and keeps what they find.

The order is the list ``RULES`` below: an earlier rule wins where two would overlap. Rules
that the text itself backs up (an "NHS number" cue, an ``@``, a title) come before rules that
guess from the shape of a number or a word. Placeholders already in the text are never
redacted again, so redacting twice changes nothing.

Gazetteer: a hit inside a gazetteer name (an NHS site, a charity, a place, a medicine, a TV
programme) is dropped according to the rule's strength (see base.py): "Marie Curie" and
"Doctor Who" stop every rule; "Thank you Macmillan" is kept; "Dr Freeman" is still redacted.
"""

from __future__ import annotations

import re

from . import (
    addresses,
    dates_of_birth,
    emails,
    gazetteer,
    names,
    nhs_numbers,
    phones,
    postcodes,
    record_numbers,
)
from .base import BLANK, Doc, Rule

RULES: list[Rule] = [
    *emails.RULES,
    *nhs_numbers.CUED,
    *record_numbers.CUED,
    *dates_of_birth.CUED,
    *phones.RULES,
    *nhs_numbers.RULES,
    *record_numbers.RULES,
    *postcodes.RULES,
    *addresses.RULES,
    *dates_of_birth.RULES,
    *names.RULES,
]


def _blocked(rule: Rule, text: str, start: int, end: int, protected) -> bool:
    """See base.py for what each strength of rule can be stopped by. A leading "the" does not
    count ("sent to the Royal Marsden")."""
    if text[start : start + 4].lower() == "the ":
        start += 4
    for p_start, p_end, sure, forename in protected:
        if p_end <= start or p_start >= end:
            continue
        if rule.strength == "weak":
            return True
        inside = p_start <= start and end <= p_end
        if inside and (sure or (rule.strength == "strong" and not forename)):
            return True
    return False


def find(text: str, placeholders: re.Pattern[str] | None = None, rules=None):
    """(start, end, kind, rule name) for each piece of personal data, sorted by start."""
    doc = Doc(text, text, gazetteer.protected_spans(text))
    if placeholders is not None:
        for m in placeholders.finditer(text):
            doc.blank(*m.span())
    found: list[tuple[int, int, str, str]] = []
    for rule in RULES if rules is None else rules:
        hits = sorted(set(rule.find(doc)), key=lambda h: (h[0], -h[1]))
        for start, end in hits:
            if start >= end or BLANK in doc.text[start:end]:
                continue
            if _blocked(rule, doc.original, start, end, doc.protected):
                continue
            doc.blank(start, end)
            found.append((start, end, rule.kind, rule.name))
    found.sort()
    return found
