"""Times and dates as people write and read them."""

import datetime

import pytest
from django import forms
from django.utils import timezone

from nhs_citizen.core.dates import when_words
from nhs_citizen.meetings.forms import parse_date, parse_time


def _at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime(2027, 5, day, hour, minute))


def test_times_read_the_way_the_nhs_writes_them():
    assert when_words(_at(15, 10), show="time") == "10am"
    assert when_words(_at(15, 16, 30), show="time") == "4:30pm"
    assert when_words(_at(15, 12), show="time") == "midday"
    assert when_words(_at(15, 0), show="time") == "midnight"
    assert when_words(_at(15, 10), _at(15, 16), weekday=True) == (
        "Saturday 15 May 2027 from 10am to 4pm"
    )
    assert when_words(_at(15, 10), _at(16, 13), weekday=True) == (
        "Saturday 15 May 2027 at 10am to Sunday 16 May 2027 at 1pm"
    )


@pytest.mark.parametrize(
    "text, expected",
    [
        ("10am", (10, 0)),
        ("10.30am", (10, 30)),
        ("2 pm", (14, 0)),
        ("12pm", (12, 0)),
        ("12am", (0, 0)),
        ("14:30", (14, 30)),
        ("9:05", (9, 5)),
        ("midday", (12, 0)),
    ],
)
def test_times_are_read_as_people_write_them(text, expected):
    assert parse_time(text, "the start time") == datetime.time(*expected)


@pytest.mark.parametrize("text", ["10", "25:00", "13pm", "ten", "10:75"])
def test_unclear_times_are_refused(text):
    with pytest.raises(forms.ValidationError, match="like 10am"):
        parse_time(text, "the start time")


@pytest.mark.parametrize("text", ["15 5 2027", "15/05/2027", "15 May 2027", "2027-05-15"])
def test_dates_are_read_as_people_write_them(text):
    assert parse_date(text, "the date") == datetime.date(2027, 5, 15)


def test_impossible_dates_are_refused():
    with pytest.raises(forms.ValidationError, match="must be a real date"):
        parse_date("31 2 2027", "the date")
    with pytest.raises(forms.ValidationError, match="for example 27 3 2027"):
        parse_date("soon", "the date")
