"""Find and redact personal data in public comments (pure Python, no Django).

This is the stable entry point. The work is done by named rules in the ``redaction`` package
(one module per kind, see its ``__init__`` and ADR 0023); this module keeps the interface
callers use: ``redact(text) -> Redaction``, ``find_personal_data(text) -> list[Span]``,
``nhs_number_is_valid``, ``score``, ``KINDS`` and ``PLACEHOLDERS``.

=============== ===================== =====================================================
kind            placeholder           what is found
=============== ===================== =====================================================
nhs_number      ``[NHS number]``      10 digits in any spacing: after "NHS number" (even
                                      with a wrong check digit), or anywhere with a valid
                                      Modulus 11 check digit
record_number   ``[record number]``   hospital numbers, MRNs, NI numbers, case and
                                      complaint references
date_of_birth   ``[date of birth]``   a date after "DOB", "born", "date of birth"...; any
                                      full date before 2010
phone           ``[phone number]``    UK numbers with ``0``, ``+44``, ``0044``, ``(0)``
email           ``[email address]``   e-mail addresses, also "jane dot doe at gmail dot com"
postcode        ``[postcode]``        UK postcodes, any case, with or without the space
address         ``[address]``         house number and street, flats, house names, named
                                      buildings
name            ``[name]``            people's names (titles like "Dr" are kept)
=============== ===================== =====================================================

Names of NHS organisations and sites, charities, places, medicines and TV programmes are kept
(``redaction/data/``). When a rule is unsure it redacts: a curator can restore a word.

Scoring (``score`` and the benchmark). A gold span is *found* when predicted spans of the same
kind cover at least 50% of its characters. A predicted span is *correct* when gold spans of
the same kind cover at least 50% of its characters. Recall = found / gold spans and precision
= correct / predicted spans, per kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .redaction import runner
from .redaction.nhs_numbers import is_valid as _is_valid

KINDS = (
    "nhs_number",
    "record_number",
    "date_of_birth",
    "phone",
    "email",
    "postcode",
    "address",
    "name",
)
PLACEHOLDERS = {
    "nhs_number": "[NHS number]",
    "record_number": "[record number]",
    "date_of_birth": "[date of birth]",
    "phone": "[phone number]",
    "email": "[email address]",
    "postcode": "[postcode]",
    "address": "[address]",
    "name": "[name]",
}
_PLACEHOLDER_RE = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS.values()))


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str
    rule: str = field(default="", compare=False)  # the rule that found it, for curators


@dataclass(frozen=True)
class Redaction:
    text: str
    spans: tuple[Span, ...]  # spans refer to the ORIGINAL text

    @property
    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(KINDS, 0)
        for span in self.spans:
            out[span.kind] += 1
        return out


def nhs_number_is_valid(digits: str) -> bool:
    """True when ``digits`` (spaces, dots and dashes allowed) is 10 digits with a valid
    Modulus 11 check digit."""
    return _is_valid(digits)


def find_personal_data(text: str) -> list[Span]:
    """Personal data in ``text``: non-overlapping spans, sorted by where they start."""
    return [
        Span(start, end, kind, rule)
        for start, end, kind, rule in runner.find(text, _PLACEHOLDER_RE)
    ]


def redact(text: str) -> Redaction:
    """``text`` with each piece of personal data replaced by its placeholder."""
    spans = find_personal_data(text)
    if not spans:
        return Redaction(text, ())
    parts = []
    pos = 0
    for span in spans:
        parts.append(text[pos : span.start])
        parts.append(PLACEHOLDERS[span.kind])
        pos = span.end
    parts.append(text[pos:])
    return Redaction("".join(parts), tuple(spans))


# ---------------------------------------------------------------------------------- scoring


def _covered(span: Span, others: list[Span]) -> float:
    """The share of ``span``'s characters covered by ``others`` of the same kind."""
    length = span.end - span.start
    if length <= 0:
        return 0.0
    covered = 0
    for o in others:
        if o.kind == span.kind:
            covered += max(0, min(span.end, o.end) - max(span.start, o.start))
    return covered / length


def score(pairs: list[tuple[tuple[Span, ...], list[Span]]]) -> dict[str, dict[str, float]]:
    """Recall and precision per kind over (gold spans, predicted spans) pairs.

    See the module docstring for the 50% rule.
    """
    out = {k: {"gold": 0, "found": 0, "predicted": 0, "correct": 0} for k in KINDS}
    for gold, predicted in pairs:
        for g in gold:
            out[g.kind]["gold"] += 1
            if _covered(g, predicted) >= 0.5:
                out[g.kind]["found"] += 1
        gold_list = list(gold)
        for p in predicted:
            out[p.kind]["predicted"] += 1
            if _covered(p, gold_list) >= 0.5:
                out[p.kind]["correct"] += 1
    for row in out.values():
        row["recall"] = row["found"] / row["gold"] if row["gold"] else 1.0
        row["precision"] = row["correct"] / row["predicted"] if row["predicted"] else 1.0
    return out
