"""The word lists the rules use, loaded once.

- ``names()``: common UK forenames and surnames (``../uk_names.txt``).
- ``protected_spans(text)``: where ``text`` names an NHS organisation or site, a charity or
  hospice, a place, a medicine or a TV programme (``data/*.txt``, plain text, one name a
  line). Matching ignores case, apostrophes ("Addenbrookes") and "&" against "and".

To keep a new name safe from redaction, add a line to the right file in ``data/``.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

DATA = Path(__file__).with_name("data")
FILES = ("nhs_organisations", "charities", "places", "drugs", "tv_shows")
NAMES_FILE = Path(__file__).resolve().parent.parent / "uk_names.txt"

_TOKEN = re.compile(r"[^\W_]+(?:['’\-.][^\W_]+)*['’]?|[&+]")


def _lines(path: Path) -> list[str]:
    out = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return out


def normalise(word: str) -> str:
    word = word.lower().replace("’", "").replace("'", "")
    return "and" if word == "&" else word


@cache
def prefixes() -> frozenset[str]:
    """The first words of every protected name (the name itself included): a match is only
    looked for further while the words so far begin some name."""
    out: set[str] = set()
    for key in entries()[0]:
        words = key.split(" ")
        out.update(" ".join(words[:n]) for n in range(1, len(words) + 1))
    return frozenset(out)


@cache
def entries() -> tuple[frozenset[str], frozenset[str], int]:
    """Every protected name as normalised words joined by spaces; those of one word ending in
    a possessive ("Jimmy's", "Addenbrooke's"), which are as sure as a multi-word name; and the
    longest name in words."""
    keys: set[str] = set()
    possessive: set[str] = set()
    longest = 1
    for name in FILES:
        for line in _lines(DATA / f"{name}.txt"):
            words = [normalise(w) for w in _TOKEN.findall(line)]
            if words:
                keys.add(" ".join(words))
                longest = max(longest, len(words))
                if len(words) == 1 and line.endswith(("'s", "’s")):
                    possessive.add(words[0])
    return frozenset(keys), frozenset(possessive), longest


def protected_spans(text: str) -> list[tuple[int, int, bool, bool]]:
    """(start, end, sure, forename) for each gazetteer name in ``text``, longest match first.
    ``sure`` is True for names of more than one word and for possessives like "Jimmy's";
    ``forename`` is True for one word that is also a common first name ("Shirley")."""
    keys, possessive, _ = entries()
    begins = prefixes()
    toks = [(m.start(), m.end(), normalise(m.group())) for m in _TOKEN.finditer(text)]
    out: list[tuple[int, int, bool, bool]] = []
    i = 0
    while i < len(toks):
        # The longest name starting at word i. A name of n words can only be there when its
        # first n - 1 words begin a name, so stop growing once they do not.
        found = None
        key = ""
        for n in range(1, len(toks) - i + 1):
            key = f"{key} {toks[i + n - 1][2]}" if key else toks[i + n - 1][2]
            if key in keys:
                found = (n, key)
            else:
                last = text[toks[i + n - 1][0] : toks[i + n - 1][1]]
                if last.endswith(("'s", "’s")) and key[:-1] in keys:
                    found = (n, key[:-1])  # "Dr Foster's report": the name is "Dr Foster"
            if key not in begins:
                break
        if found:
            n, name = found
            sure = n > 1 or name in possessive
            out.append((toks[i][0], toks[i + n - 1][1], sure, name in names()[0]))
            i += n
        else:
            i += 1
    return out


@cache
def names() -> tuple[frozenset[str], frozenset[str]]:
    """(forenames, surnames), lower case with straight apostrophes."""
    forenames: set[str] = set()
    surnames: set[str] = set()
    section = forenames
    for line in _lines(NAMES_FILE):
        if line == "[forenames]":
            section = forenames
        elif line == "[surnames]":
            section = surnames
        else:
            section.add(line.lower().replace("’", "'"))
    return frozenset(forenames), frozenset(surnames)
