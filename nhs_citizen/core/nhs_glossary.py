"""NHS words people write in short form, spelled out so that text matching works by meaning.

"GP" and "family doctor", or "CAMHS" and "children's mental health services", mean the same to
people but not to a general language model. Each abbreviation keeps its short form and gains
the long one. No Django here.
"""

from __future__ import annotations

import re

GLOSSARY = {
    "GP": "GP family doctor",
    "GPs": "GPs family doctors",
    "A&E": "A&E accident and emergency",
    "ED": "ED emergency department",
    "CAMHS": "CAMHS children and young people's mental health services",
    "NHS111": "NHS 111 urgent medical help line",
    "111": "111 urgent medical help line",
    "999": "999 emergency ambulance",
    "ICB": "ICB integrated care board",
    "ICBs": "ICBs integrated care boards",
    "PALS": "PALS patient advice and liaison service",
    "SEND": "SEND special educational needs and disabilities",
    "IAPT": "IAPT NHS Talking Therapies",
    "MH": "MH mental health",
    "OOH": "OOH out of hours",
    "UTC": "UTC urgent treatment centre",
    "UTCs": "UTCs urgent treatment centres",
    "DNA": "DNA missed appointment",
    "GUM": "GUM sexual health clinic",
    "ADHD": "ADHD attention deficit hyperactivity disorder",
    "ASD": "ASD autism",
    "LD": "LD learning disability",
    "EOL": "EOL end of life care",
    "paramedics": "paramedics ambulance crew",
    "surgery": "surgery GP practice",
}

_PATTERN = re.compile(
    r"(?<![\w&])("
    + "|".join(re.escape(k) for k in sorted(GLOSSARY, key=len, reverse=True))
    + r")(?![\w&])"
)


def expand(text: str) -> str:
    return _PATTERN.sub(lambda m: GLOSSARY[m.group(1)], text or "")
