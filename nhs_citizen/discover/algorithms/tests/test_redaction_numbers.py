"""Tests for NHS numbers, record numbers and phone numbers (redaction/nhs_numbers.py,
record_numbers.py, phones.py)."""

from __future__ import annotations

import pytest

from nhs_citizen.discover.algorithms.redact import find_personal_data


def found(text: str) -> list[tuple[str, str, str]]:
    return [(text[s.start : s.end], s.kind, s.rule) for s in find_personal_data(text)]


@pytest.mark.parametrize(
    "value",
    [
        "943 476 5919",
        "9434765919",
        "943-476-5919",
        "94 34 76 59 19",
        "943.476.5919",
        "9 4 3 4 7 6 5 9 1 9",
        "943  476  5919",
        "401/023/2137",
    ],
)
def test_nhs_number_in_any_spacing_after_a_cue(value):
    assert found(f"my NHS number is {value}, thanks") == [
        (value, "nhs_number", "nhs_number_after_cue")
    ]


@pytest.mark.parametrize("cue", ["NHS no.", "nhs #", "NHS:", "nhs num", "my nhs nbr is"])
def test_nhs_number_with_a_wrong_check_digit_is_still_found_after_a_cue(cue):
    assert found(f"{cue} 123 456 7890") == [("123 456 7890", "nhs_number", "nhs_number_after_cue")]


def test_nhs_number_with_a_valid_check_digit_needs_no_cue():
    assert found("I wrote 943 476 5919 on the form") == [
        ("943 476 5919", "nhs_number", "nhs_number_checksum")
    ]


def test_nhs_number_and_record_number_in_one_sentence_get_their_own_cues():
    text = "His NHS number 485 777 3456 and his hospital number RTH1234567."
    assert [(v, k) for v, k, _ in found(text)] == [
        ("485 777 3456", "nhs_number"),
        ("RTH1234567", "record_number"),
    ]


@pytest.mark.parametrize(
    "text, value",
    [
        ("my hospital number is RTH1234567", "RTH1234567"),
        ("Hospital no. K1234567 on the letter", "K1234567"),
        ("MRN 10293847 for my mum", "10293847"),
        ("ref PALS/2023/1187, still no reply", "PALS/2023/1187"),
        ("the letter says case number CN-2023-44812", "CN-2023-44812"),
        ("my CHI number is 0101501234", "0101501234"),
        ("booking reference ERS 1234 5678 9012", "ERS 1234 5678 9012"),
        ("Patient ID: 88776655", "88776655"),
        ("Incident no 25153582", "25153582"),
    ],
)
def test_record_number_after_cue(text, value):
    assert found(text) == [(value, "record_number", "record_number_after_cue")]


@pytest.mark.parametrize("value", ["QQ123456C", "AB 12 34 56 C"])
def test_national_insurance_number_needs_no_cue(value):
    assert found(f"it is {value} I think") == [
        (value, "record_number", "national_insurance_number")
    ]


def test_hospital_number_shape_needs_no_cue():
    assert found("I quoted RWA7894561 and they found me") == [
        ("RWA7894561", "record_number", "record_number_shape")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "In 2023 and 2024 I waited.",
        "Ward 12, bed 4.",
        "Call 111 or 999.",
        "Take B12 daily.",
        "Covid19 jab at 10am",
        "I had 3 doses of 500mg",
        "my number is 07700 900123",
    ],
)
def test_not_record_numbers(text):
    assert [k for _, k, _ in found(text) if k == "record_number"] == []


@pytest.mark.parametrize(
    "value",
    [
        "+44 (0)7700 900789",
        "0044 (0) 7700 900 888",
        "+44-7700-900-121",
        "(0113) 496 0123",
        "07 700 900 777",
        "+44(0)161 496 0777",
        "0800 123 4567",
    ],
)
def test_phones(value):
    assert found(f"ring me on {value} after 5") == [(value, "phone", "phone_uk")]
