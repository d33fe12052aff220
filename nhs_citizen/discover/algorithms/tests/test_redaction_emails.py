"""Tests for the e-mail rules in redaction/emails.py."""

from __future__ import annotations

import pytest

from nhs_citizen.discover.algorithms.redact import find_personal_data


def emails(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.rule) for s in find_personal_data(text) if s.kind == "email"]


@pytest.mark.parametrize(
    "value",
    [
        "mike dot jones at hotmail dot com",
        "sarah_b1974 at yahoo dot co dot uk",
        "d.patel(at)outlook(dot)com",
        "karenw [at] btinternet [dot] com",
        "tomsmith88 AT gmail DOT com",
        "angela.h at sky.com",
        "dazzler_69 at hotmail",
        "lucyloo123 @ yahoo . com",
        "ddavies[at]gmail[.]com",
        "tracey_1980 at hotmail dot co uk",
        "gary at garysplumbing dot co dot uk",
        "stevie.g at gmail.com",
    ],
)
def test_written_out_emails(value):
    text = f"my email is {value} thanks"
    assert [v for v, _ in emails(text)] == [value]


def test_plain_email():
    assert emails("Email jane.doe@gmail.com please") == [("jane.doe@gmail.com", "email_plain")]


@pytest.mark.parametrize(
    "text",
    [
        "Don't laugh at me when I am upset.",
        "I was at home dot on time",
        "We arrived at Leeds General at 9.",
        "look at gmail for the letter",
        "She works at Boots.com and the pharmacy.",
        "I was treated at Spire dot com ages ago",
    ],
)
def test_not_emails(text):
    assert emails(text) == []
