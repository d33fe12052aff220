"""Tests for the gazetteer (redaction/gazetteer.py and data/) and the rule runner."""

from __future__ import annotations

import pytest

from nhs_citizen.discover.algorithms.redact import find_personal_data, redact
from nhs_citizen.discover.algorithms.redaction import RULES, gazetteer
from nhs_citizen.discover.algorithms.redaction.runner import find


def test_data_files_load_and_are_not_tiny():
    keys, possessive, longest = gazetteer.entries()
    counts = {
        name: len(gazetteer._lines(gazetteer.DATA / f"{name}.txt")) for name in gazetteer.FILES
    }
    assert counts["nhs_organisations"] >= 300
    assert counts["charities"] >= 100
    assert counts["places"] >= 300
    assert counts["drugs"] >= 200
    assert counts["tv_shows"] >= 100
    assert "addenbrookes" in keys and "jimmys" in possessive and longest >= 5


def test_matching_ignores_case_apostrophes_and_ampersands():
    spans = gazetteer.protected_spans("addenbrookes and Helen and Douglas House and Gavin & Stacey")
    assert [(s, e) for s, e, _, _ in spans] == [(0, 12), (17, 40), (45, 59)]


# Every name in the shipped lists, in sentences a patient might write, is left alone.
TEMPLATES = {
    "nhs_organisations": ["I was at {} last week.", "Thank you {} for everything."],
    "charities": ["{} helped us a lot.", "Thanks to {} for the support."],
    "places": ["I live in {}.", "We drove from {} to the hospital."],
    "drugs": ["They gave me {} for the pain.", "{} made me sick."],
    "tv_shows": ["{} was on in the day room.", "My son loves {}."],
}


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_every_gazetteer_name_is_kept(name):
    wrongly = []
    for entry in gazetteer._lines(gazetteer.DATA / f"{name}.txt"):
        for template in TEMPLATES[name]:
            text = template.format(entry)
            if find_personal_data(text):
                wrongly.append(text)
    assert wrongly == []


def test_rules_have_unique_names_and_known_strengths():
    names = [r.name for r in RULES]
    assert len(names) == len(set(names))
    assert {r.strength for r in RULES} <= {"sure", "strong", "weak"}


def test_earlier_rule_wins_where_two_overlap():
    # "my CHI number is 0101501234": the record-number cue runs before the phone rule, which
    # would otherwise take these ten digits.
    (hit,) = find("my CHI number is 0101501234")
    assert hit[2:] == ("record_number", "record_number_after_cue")


def test_redact_is_idempotent_on_every_kind():
    text = (
        "Dr Patel, DOB 12/03/1956, NHS 943 476 5919, MRN 10293847, ring 07700 900123, "
        "mike dot jones at hotmail dot com, Flat 4, Rosewood Court, LS1 4AP."
    )
    once = redact(text).text
    assert "Patel" not in once and "hotmail" not in once and "Rosewood" not in once
    assert redact(once).text == once
