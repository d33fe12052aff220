"""Similar flags are found by meaning: a reworded duplicate, not only shared words."""

import pytest

from nhs_citizen.gather.services.flags import find_similar_flags
from nhs_citizen.gather.tests.factories import raise_flag

pytestmark = pytest.mark.django_db

FLAGS = [
    ("GP appointments are impossible to get", "Make it easier to see a GP when you need to."),
    (
        "Hospital car parking charges are too high",
        "Parking at hospitals should be free for patients and visitors.",
    ),
    ("Ambulances take too long to arrive", "Ambulance response times must come down."),
    ("Dentists are not taking NHS patients", "There should be an NHS dentist near everyone."),
    (
        "Children wait too long for mental health care",
        "Cut waiting times for child and adolescent mental health services.",
    ),
]


@pytest.fixture
def flags(db, run_jobs):
    with run_jobs():
        made = {title: raise_flag(title=title, what=what) for title, what in FLAGS}
    return made


@pytest.mark.parametrize(
    "reworded, original",
    [
        ("Nobody can get to see their family doctor", "GP appointments are impossible to get"),
        (
            "It took hours for the paramedics to come to my dad",
            "Ambulances take too long to arrive",
        ),
        (
            "Stop charging people to park when they visit the hospital",
            "Hospital car parking charges are too high",
        ),
        (
            "My teenage son has waited a year for CAMHS",
            "Children wait too long for mental health care",
        ),
    ],
)
def test_a_reworded_duplicate_is_the_first_match(flags, reworded, original):
    similar = find_similar_flags(reworded)
    assert similar, "expected at least one similar flag"
    assert similar[0].title == original


def test_an_unrelated_flag_finds_nothing(flags):
    assert find_similar_flags("Opening hours of the hospital library on Sundays") == []


def test_no_more_than_the_limit(flags):
    assert (
        len(
            find_similar_flags(
                "NHS waiting",
                limit=2,
            )
        )
        <= 2
    )
    assert len(find_similar_flags("Make the NHS better for patients")) <= 5


def test_hidden_and_merged_flags_are_not_suggested(flags):
    from django.utils import timezone

    flag = flags["GP appointments are impossible to get"]
    flag.hidden_at = timezone.now()
    flag.save()
    assert flag not in find_similar_flags("Nobody can get to see their family doctor")
