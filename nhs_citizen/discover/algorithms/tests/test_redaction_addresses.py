"""Tests for the address rules in redaction/addresses.py."""

from __future__ import annotations

import pytest

from nhs_citizen.discover.algorithms.redact import find_personal_data


def addresses(text: str) -> list[tuple[str, str]]:
    return [
        (text[s.start : s.end], s.rule) for s in find_personal_data(text) if s.kind == "address"
    ]


@pytest.mark.parametrize(
    "text, value, rule",
    [
        ("I live at 12 High Street.", "12 High Street", "street_address"),
        ("my address is 27b church road", "27b church road", "street_address"),
        ("Flat 3, 45 Station Road please", "Flat 3, 45 Station Road", "street_address"),
        ("i live at 63 albert rd and", "63 albert rd", "street_address"),
        ("She lives at 3 Church View, Leyburn.", "3 Church View, Leyburn", "street_address"),
        ("I moved to flat 9, Alder House last year", "flat 9, Alder House", "flat_in_building"),
        (
            "i'm in flat 12 kestrel tower on the 14th floor",
            "flat 12 kestrel tower",
            "flat_in_building",
        ),
        ("they sent it to 5 The Hollies", "5 The Hollies", "number_the_name"),
        ("my adress is 56 the crescent", "56 the crescent", "number_the_name"),
        ("My house is Rose Cottage on the main road.", "Rose Cottage", "house_name"),
        (
            "we are at the Old Vicarage, Church Street",
            "the Old Vicarage, Church Street",
            "house_name",
        ),
        ("The carer goes to Windy Ridge, Burnt Yates.", "Windy Ridge, Burnt Yates", "house_name"),
        ("I live at 14 Kirkgate, Otley.", "14 Kirkgate, Otley", "number_and_name"),
        (
            "Please post to The Hollies, Hull Road.",
            "The Hollies, Hull Road",
            "the_name_after_intro",
        ),
        ("Hawthorn Bungalow is at the end of the lane.", "Hawthorn Bungalow", "house_name"),
        ("They sent it to 12 Oakfield, LS1 4AP.", "12 Oakfield", "number_and_name"),
        ("my home is Flat 2 above the chip shop", "Flat 2", "flat_number_alone"),
        (
            "My address: Tŷ Gwyn, Heol y Dwr, near Caerphilly.",
            "Tŷ Gwyn, Heol y Dwr",
            "after_address_cue",
        ),
    ],
)
def test_address_rules(text, value, rule):
    assert addresses(text) == [(value, rule)]


@pytest.mark.parametrize(
    "text",
    [
        "5 minutes walk from the bus station.",
        "10 min drive from home",
        "I waited 3 hours in the street outside.",
        "Sent to Urgent Care Centre with no doctor on site.",
        "Call 111 the minute it gets worse.",
        "I went to 3 different hospitals.",
        "We went to Ward 5 then ward 7.",
        "The ambulance took me to Russells Hall Hospital.",
        "Martin House hospice in Boston Spa is special.",
        "My GP said I could come to the Hope Centre for more.",
        "I have had daily visits from the District Nurse Team.",
        "They sent me to the Royal Marsden.",
    ],
)
def test_not_addresses(text):
    assert addresses(text) == []
