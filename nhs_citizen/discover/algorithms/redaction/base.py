"""What every redaction rule shares: the Rule record, the Doc a rule reads, and small helpers.

A rule is a plain function ``find(doc) -> iterable of (start, end)`` with a name, the kind of
personal data it finds and a strength:

- ``strong``: the text itself says what this is (a title, "my name is", "NHS number", an
  ``@``). Only a multi-word gazetteer entry around the whole hit ("Marie Curie", "Doctor Who")
  stops it.
- ``weak``: a guess from the shape of the words alone (a capitalised word that is in the names
  list). Any gazetteer entry it touches stops it ("Stanley", "Mind", "Keppra").

Rules read ``doc.text``: the comment with everything already found by earlier rules (and any
placeholder already in it) blanked out with NUL characters, so offsets always match the
original text and no rule matches inside another rule's hit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

BLANK = "\x00"


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str
    find: Callable[[Doc], Iterable[tuple[int, int]]]
    strength: str = "strong"  # "sure", "strong" or "weak"


@dataclass
class Doc:
    original: str
    text: str  # the original with taken spans blanked out
    # (start, end, sure, forename) for each gazetteer name, see gazetteer.protected_spans
    protected: list[tuple[int, int, bool, bool]] = field(default_factory=list)

    def blank(self, start: int, end: int) -> None:
        self.text = self.text[:start] + BLANK * (end - start) + self.text[end:]


# Cue phrases are matched against the text just before a value; this is how far back we look.
CUE_WINDOW = 45


def cue_before(text: str, start: int, cue: re.Pattern[str], window: int = CUE_WINDOW) -> bool:
    """True when ``cue`` matches somewhere in the ``window`` characters before ``start`` and
    nothing but words, spaces and punctuation (no other digits) lie between the two."""
    head = text[max(0, start - window) : start]
    for m in cue.finditer(head):
        between = head[m.end() :]
        if not any(c.isdigit() for c in between) and BLANK not in between:
            return True
    return False


def trim(text: str, start: int, end: int, chars: str = " ,.;:-\n\t") -> tuple[int, int]:
    while end > start and text[end - 1] in chars:
        end -= 1
    while start < end and text[start] in chars:
        start += 1
    return start, end
