"""Tests for the date of birth rules in redaction/dates_of_birth.py."""

from __future__ import annotations

import pytest

from nhs_citizen.discover.algorithms.redact import find_personal_data


def dobs(text: str) -> list[tuple[str, str]]:
    return [
        (text[s.start : s.end], s.rule)
        for s in find_personal_data(text)
        if s.kind == "date_of_birth"
    ]


@pytest.mark.parametrize(
    "text, value",
    [
        ("my date of birth is 12/03/1956", "12/03/1956"),
        ("DOB 01.02.1990", "01.02.1990"),
        ("d.o.b 3rd march 1948", "3rd march 1948"),
        ("date of birth: 24/11/63", "24/11/63"),
        ("DoB: 1961-04-09", "1961-04-09"),
        ("he was born August 12th 1942", "August 12th 1942"),
        ("my birthday is the 4th of July 1976", "the 4th of July 1976"),
        ("my son was born 2nd january 2015", "2nd january 2015"),
        ("Date of birth 08/08/08", "08/08/08"),
        ("dob 12 12 1944", "12 12 1944"),
        ("mum (b. 1938) lives alone", "1938"),
    ],
)
def test_date_of_birth_after_cue(text, value):
    assert dobs(text) == [(value, "date_of_birth_after_cue")]


def test_an_old_full_date_without_a_cue_is_redacted():
    assert dobs("I'm a 7/4/52 baby, please don't assume I use email") == [
        ("7/4/52", "old_full_date")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "My appointment is on 12/03/2025 at 10am.",
        "I was seen on 4th January and the letter came on 20th March.",
        "Went in May and came home in June.",
        "It's 2024 and we still use fax machines?!",
        "My baby was born at St Mary's.",
    ],
)
def test_not_dates_of_birth(text):
    assert dobs(text) == []
