"""NHS words people write in short form, spelled out so that text matching works by meaning.

"GP" and "family doctor", or "CAMHS" and "children's mental health services", mean the same to
people but not to a general language model. Each abbreviation keeps its short form and gains
the long one. No Django here.

`expand` is what `nhs_citizen.core.embeddings.embed` does to every text before embedding it
(ADR 0009, ADR 0029), for Gather's flags and Discover's comments alike. It is idempotent:
a text already expanded is left as it is, so expanding twice does no harm.
"""

from __future__ import annotations

import re

# Each short form and the words that follow it in the expanded text. Matched with their exact
# capitals: "GP" and "SEND", not "send".
GLOSSARY = {
    "GP": "family doctor",
    "GPs": "family doctors",
    "A&E": "accident and emergency",
    "ED": "emergency department",
    "CAMHS": "children and young people's mental health services",
    "NHS111": "NHS 111 urgent medical help line",
    "111": "urgent medical help line",
    "999": "emergency ambulance",
    "ICB": "integrated care board",
    "ICBs": "integrated care boards",
    "PALS": "patient advice and liaison service",
    "SEND": "special educational needs and disabilities",
    "IAPT": "NHS Talking Therapies",
    "MH": "mental health",
    "OOH": "out of hours",
    "UTC": "urgent treatment centre",
    "UTCs": "urgent treatment centres",
    "DNA": "missed appointment",
    "GUM": "sexual health clinic",
    "ADHD": "attention deficit hyperactivity disorder",
    "ASD": "autism",
    "LD": "learning disability",
    "EOL": "end of life care",
    "OT": "occupational therapist",
    "CPN": "community mental health nurse",
    "HCA": "healthcare assistant",
    "paramedics": "ambulance crew",
}

# The same, matched in any capitals: short forms people also type in lower case.
GLOSSARY_ANY_CASE = {
    "gp": "family doctor",
    "a&e": "accident and emergency",
    "a & e": "accident and emergency",
    "a and e": "accident and emergency",
    "camhs": "children and young people's mental health services",
    "cpn": "community mental health nurse",
    "appt": "appointment",
    "appts": "appointments",
    "meds": "medication",
    "physio": "physiotherapy",
}

# "surgery" is a GP practice after "the", "our", "local" or "doctor's" ("rang the surgery"),
# but an operation otherwise ("knee surgery", "during surgery"): only the first is spelled out.
_SURGERY = re.compile(r"\b(?:the|our|local|doctor'?s'?|doctors'?|GP'?s?)\s+surgery\b", re.I)
_SURGERY_MEANS = "family doctor practice"

_EXACT = re.compile(
    r"(?<![\w&])("
    + "|".join(re.escape(k) for k in sorted(GLOSSARY, key=len, reverse=True))
    + r")(?![\w&])"
)
_ANY_CASE = re.compile(
    r"(?<![\w&])("
    + "|".join(re.escape(k) for k in sorted(GLOSSARY_ANY_CASE, key=len, reverse=True))
    + r")(?![\w&])",
    re.IGNORECASE,
)


def _followed_by(words: str):
    """A replacement that adds `words` after the match, unless the text already has them
    there (so that expanding twice changes nothing)."""

    def replace(match: re.Match) -> str:
        if match.string[match.end() :].lower().startswith(" " + words.lower()):
            return match.group(0)
        return f"{match.group(0)} {words}"

    return replace


def expand(text: str) -> str:
    """The text with each NHS short form followed by its long form: "See your GP" ->
    "See your GP family doctor". Words already spelled out are not repeated."""
    text = _EXACT.sub(lambda m: _followed_by(GLOSSARY[m.group(1)])(m), text or "")
    text = _ANY_CASE.sub(lambda m: _followed_by(GLOSSARY_ANY_CASE[m.group(1).lower()])(m), text)
    return _SURGERY.sub(_followed_by(_SURGERY_MEANS), text)
