"""Is a commitment's owner a person's name? Owners are teams or roles ("Patient Experience
Team", "Director of Nursing"), never a person, because the tracker is public and a person
can leave. Plain rules, no Django:

- a title followed by a capitalised word ("Dr Patel", "Mrs. Jones");
- a known first name followed by a capitalised word or a known surname ("Sarah Jones",
  "sarah jones", "Sarah O'Brien"), unless that word is a team or role word ("Grace Ward
  team" is a ward; "Will Team" is not a person either) or a place word follows straight
  after ("Florence Nightingale Ward");
- an initial followed by a known surname ("J Smith", "J. Smith");
- a first name on its own ("Sarah");
- an e-mail address.

The first names and surnames are the list the Discover redaction already keeps
(``discover/algorithms/uk_names.txt``), read, never changed.
"""

from __future__ import annotations

import re

from nhs_citizen.discover.algorithms.redaction.gazetteer import names

MESSAGE = "Give a team or role, like 'Patient Experience Team', not a person's name"

TITLES = frozenset(
    "dr mr mrs ms miss mx prof professor sir dame lord lady rev revd reverend".split()
)
# Words that make a team, a role or a place of one: a first name next to one of these is
# part of a name of a thing, not of a person ("Grace Ward", "Victoria Wing").
ROLE_WORDS = frozenset(
    """
    team teams office officer officers director directors directorate lead leads board
    service services unit department group committee manager managers nurse nurses nursing
    chief head executive executives programme panel partnership trust care health hub
    network secretariat governance commissioning operations clinical medical patient
    patients practice surgery ward wing centre center hospital house clinic hospice
    foundation building suite road street ambulance primary secondary community mental
    safety quality experience
    """.split()
)
# Role words that follow a person's name ("Mark Smith, Lead"), never a place's.
PERSON_ROLES = frozenset("director lead manager nurse officer executive head chief".split())
EMAIL = re.compile(r"\S+@\S+\.\S+")
_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*\.?")


def _key(word: str) -> str:
    return word.rstrip(".").lower().replace("’", "'")


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def looks_like_a_person(owner: str) -> bool:
    """True if ``owner`` looks like (or contains) a person's name."""
    text = " ".join((owner or "").split())
    if not text:
        return False
    if EMAIL.search(text):
        return True
    forenames, surnames = names()
    matches = list(_WORD.finditer(text))
    words = [m.group() for m in matches]
    keys = [_key(w) for w in words]
    if len(words) == 1:
        return keys[0] in forenames and keys[0] not in ROLE_WORDS
    for i in range(len(words) - 1):
        first, second = keys[i], keys[i + 1]
        # Only words next to each other, with nothing but a space between them.
        if text[matches[i].end() : matches[i + 1].start()].strip(" ") not in ("", "."):
            continue
        if second in ROLE_WORDS:
            continue
        if first in TITLES and _capitalised(words[i + 1]):
            return True
        if len(first) == 1 and words[i][:1].isupper() and second in surnames:
            return True
        if first in forenames and first not in ROLE_WORDS:
            if _capitalised(words[i + 1]) or second in surnames:
                follows = keys[i + 2] if i + 2 < len(keys) else None
                joined = (
                    follows is not None
                    and text[matches[i + 1].end() : matches[i + 2].start()].strip(" ") == ""
                )
                if joined and follows in ROLE_WORDS and follows not in PERSON_ROLES:
                    continue  # "Florence Nightingale Ward": a place named after someone
                return True
    return False
