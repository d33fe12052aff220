"""References for people who take part through a community helper ("HWL-7Q3K"), and the
checks on references written on paper forms. Pure: no Django.

A person's reference starts with letters from the organisation's name, so whoever answers the
phone knows whose it is, then four characters from an alphabet without the ones people mix up
when reading or saying them aloud (0 and O, 1, I and L, 5 and S, 2 and Z, 8 and B).
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
CODE_LENGTH = 4
PAPER_REFERENCE_MAX = 30

# Words that say what kind of organisation it is, not which one.
_LONG_WORDS = {"healthwatch": "HW"}
_SMALL_WORDS = {"and", "the", "of", "for", "in", "on", "at", "a", "an", "&"}


def prefix_for(name: str) -> str:
    """Two to four capital letters from an organisation's name: "Healthwatch Leeds" gives
    "HWL", "Leeds Irish Health and Homes" gives "LIHH", "Mind" gives "MIN"."""
    words = [w for w in re.findall(r"[A-Za-z]+", name) if w.lower() not in _SMALL_WORDS]
    letters = "".join(_LONG_WORDS.get(w.lower(), w[0].upper()) for w in words)[:4]
    if len(letters) < 2:
        only = (words[0] if words else "NHS").upper()
        letters = only[:3]
    return letters


def new_reference(prefix: str, choose=secrets.choice) -> str:
    return prefix + "-" + "".join(choose(ALPHABET) for _ in range(CODE_LENGTH))


def tidy_reference(text: str) -> str:
    """What someone typed, in the stored form: capitals, no spaces, one hyphen after the
    letters ("hwl 7q3k" and "HWL7Q3K" both give "HWL-7Q3K")."""
    cleaned = re.sub(r"[^A-Za-z0-9]", "", text or "").upper()
    found = re.fullmatch(rf"([A-Z]{{2,4}})([0-9A-Z]{{{CODE_LENGTH}}})", cleaned)
    if found:
        return f"{found.group(1)}-{found.group(2)}"
    return cleaned


def tidy_paper_reference(text: str) -> str:
    """The reference written on a paper form, compared without case or spaces: "pf 0012" and
    "PF-0012" are the same paper."""
    return re.sub(r"[^A-Za-z0-9]", "", text or "").upper()[:PAPER_REFERENCE_MAX]


def share_words(on_behalf: int, total: int) -> str:
    """ "12 of 340 supporters were recorded by community helpers", or "" when there are none."""
    if on_behalf <= 0 or total <= 0:
        return ""
    on_behalf = min(on_behalf, total)
    noun = "supporter" if total == 1 else "supporters"
    verb = "was" if on_behalf == 1 else "were"
    if on_behalf == total:
        if total == 1:
            return "The 1 supporter was recorded by a community helper."
        return f"All {total:,} {noun} were recorded by community helpers."
    return f"{on_behalf:,} of {total:,} {noun} {verb} recorded by community helpers."
