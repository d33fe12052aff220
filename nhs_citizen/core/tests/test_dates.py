"""Dates and times in words: one function, GOV.UK and NHS style, in UK time, used everywhere."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.template import engines

from nhs_citizen.core.dates import when_words

UTC = datetime.UTC


def utc(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


# One moment, one day ---------------------------------------------------------------------------
def test_a_day_has_no_leading_zero_and_the_month_in_full():
    assert when_words(datetime.date(2026, 12, 4)) == "4 December 2026"
    assert when_words(datetime.date(2027, 1, 31)) == "31 January 2027"
    assert when_words(datetime.date(2026, 12, 4), weekday=True) == "Friday 4 December 2026"


def test_a_moment_is_the_day_and_the_time_with_am_or_pm_and_no_full_stops():
    moment = utc(2026, 12, 4, 4, 37)
    assert when_words(moment) == "4 December 2026 at 4:37am"
    assert when_words(moment, show="datetime") == "4 December 2026 at 4:37am"
    assert when_words(moment, show="date") == "4 December 2026"
    assert when_words(moment, show="time") == "4:37am"
    assert when_words(utc(2026, 12, 4, 16, 46)) == "4 December 2026 at 4:46pm"
    assert when_words(utc(2026, 12, 4, 9)) == "4 December 2026 at 9am"
    assert when_words(utc(2026, 12, 4, 9, 5), show="time") == "9:05am"
    assert when_words(utc(2026, 12, 4, 9), weekday=True) == "Friday 4 December 2026 at 9am"


def test_midnight_and_midday_are_words_and_the_minutes_either_side_are_not():
    assert when_words(utc(2026, 12, 4, 0, 0)) == "4 December 2026 at midnight"
    assert when_words(utc(2026, 12, 4, 12, 0)) == "4 December 2026 at midday"
    assert when_words(utc(2026, 12, 4, 0, 1), show="time") == "12:01am"
    assert when_words(utc(2026, 12, 3, 23, 59), show="time") == "11:59pm"
    assert when_words(utc(2026, 12, 4, 11, 59), show="time") == "11:59am"
    assert when_words(utc(2026, 12, 4, 12, 1), show="time") == "12:01pm"


def test_a_moment_at_the_start_of_its_day_is_just_the_day_when_asked():
    assert when_words(utc(2026, 12, 4, 0, 0), show="moment") == "4 December 2026"
    assert when_words(utc(2026, 12, 4, 0, 1), show="moment") == "4 December 2026 at 12:01am"
    assert when_words(utc(2026, 12, 4, 12), show="moment") == "4 December 2026 at midday"
    assert when_words(datetime.date(2026, 12, 4), show="moment") == "4 December 2026"
    # Midnight in London in summer is 11pm the day before in UTC.
    assert when_words(utc(2027, 5, 31, 23), show="moment") == "1 June 2027"


def test_uk_time_in_winter_and_in_summer():
    # GMT: London is UTC.
    assert when_words(utc(2026, 12, 31, 23, 30)) == "31 December 2026 at 11:30pm"
    # BST: London is an hour ahead, so the day can change.
    assert when_words(utc(2026, 6, 30, 23, 30)) == "1 July 2026 at 12:30am"
    assert when_words(utc(2026, 6, 30, 23, 0)) == "1 July 2026 at midnight"
    assert when_words(utc(2026, 7, 1, 11, 0)) == "1 July 2026 at midday"
    # Another zone is put in UK time too.
    new_york = datetime.timezone(datetime.timedelta(hours=-5))
    assert when_words(datetime.datetime(2026, 12, 4, 7, tzinfo=new_york)) == (
        "4 December 2026 at midday"
    )


def test_the_clocks_going_forward_in_march():
    # 29 March 2026: at 1am GMT the clocks go forward to 2am BST.
    assert when_words(utc(2026, 3, 29, 0, 59)) == "29 March 2026 at 12:59am"
    assert when_words(utc(2026, 3, 29, 1, 0)) == "29 March 2026 at 2am"
    assert when_words(utc(2026, 3, 28, 23, 0)) == "28 March 2026 at 11pm"
    assert when_words(utc(2026, 3, 29, 23, 0)) == "30 March 2026 at midnight"


def test_the_clocks_going_back_in_october():
    # 25 October 2026: at 2am BST the clocks go back to 1am GMT, so 1:30am happens twice.
    assert when_words(utc(2026, 10, 24, 23, 0)) == "25 October 2026 at midnight"
    assert when_words(utc(2026, 10, 25, 0, 30)) == "25 October 2026 at 1:30am"
    assert when_words(utc(2026, 10, 25, 1, 30)) == "25 October 2026 at 1:30am"
    assert when_words(utc(2026, 10, 25, 2, 0)) == "25 October 2026 at 2am"
    assert when_words(utc(2026, 10, 25, 23, 0)) == "25 October 2026 at 11pm"
    assert when_words(utc(2026, 10, 26, 0, 0)) == "26 October 2026 at midnight"


# Ranges ----------------------------------------------------------------------------------------
def test_ranges_of_days_say_to_and_do_not_repeat_the_month_or_year():
    day = datetime.date
    assert when_words(day(2026, 12, 4), day(2026, 12, 6)) == "4 to 6 December 2026"
    assert when_words(day(2026, 11, 30), day(2026, 12, 6)) == "30 November to 6 December 2026"
    assert when_words(day(2026, 12, 30), day(2027, 1, 2)) == "30 December 2026 to 2 January 2027"
    assert when_words(day(2026, 12, 4), day(2026, 12, 4)) == "4 December 2026"
    assert when_words(day(2026, 12, 4), day(2026, 12, 6), weekday=True) == (
        "Friday 4 December 2026 to Sunday 6 December 2026"
    )


def test_ranges_of_moments():
    assert when_words(utc(2027, 5, 15, 9), utc(2027, 5, 15, 15, 30)) == (
        "15 May 2027 from 10am to 4:30pm"
    )
    assert when_words(utc(2027, 5, 15, 9), utc(2027, 5, 15, 11), weekday=True) == (
        "Saturday 15 May 2027 from 10am to midday"
    )
    assert when_words(utc(2027, 5, 15, 9), utc(2027, 5, 16, 12)) == (
        "15 May 2027 at 10am to 16 May 2027 at 1pm"
    )
    assert when_words(utc(2027, 5, 15, 9), utc(2027, 5, 15, 15), show="time") == "10am to 4pm"
    assert when_words(utc(2027, 5, 15, 9), utc(2027, 5, 17, 15), show="date") == "15 to 17 May 2027"
    # The same UTC day can be two UK days.
    assert when_words(utc(2027, 5, 15, 22), utc(2027, 5, 15, 23, 30)) == (
        "15 May 2027 at 11pm to 16 May 2027 at 12:30am"
    )


def test_what_cannot_be_put_in_words_is_refused_and_nothing_is_empty():
    assert when_words(None) == ""
    with pytest.raises(ValueError, match="timezone-aware"):
        when_words(datetime.datetime(2026, 12, 4, 9))
    with pytest.raises(ValueError, match="no time"):
        when_words(datetime.date(2026, 12, 4), show="time")
    with pytest.raises(ValueError, match="show must be"):
        when_words(datetime.date(2026, 12, 4), show="long")
    with pytest.raises(ValueError, match="end before"):
        when_words(datetime.date(2026, 12, 6), datetime.date(2026, 12, 4))
    with pytest.raises(ValueError, match="end before"):
        when_words(utc(2026, 12, 6, 9), utc(2026, 12, 6, 8))
    with pytest.raises(ValueError, match="from a date to a date"):
        when_words(datetime.date(2026, 12, 6), utc(2026, 12, 6, 8))


def test_it_is_the_jinja_filter_every_page_uses():
    env = engines["jinja2"].env
    assert env.filters["when_words"] is when_words
    assert "date" not in env.filters and "datetime" not in env.filters
    template = env.from_string(
        '{{ a | when_words }}; {{ a | when_words(show="date") }}; {{ a | when_words(b) }}'
    )
    assert template.render(a=utc(2026, 12, 4, 4, 37), b=utc(2026, 12, 4, 12)) == (
        "4 December 2026 at 4:37am; 4 December 2026; 4 December 2026 from 4:37am to midday"
    )


# Nothing formats a date another way ------------------------------------------------------------
ROOT = Path(__file__).resolve().parents[2]

# What formats dates by hand, or names a formatter other than `when_words`.
OTHER_WAYS = re.compile(
    r"strftime|\{[^{}]*:%|%[-#]?[aAbBdHIjmMpSyY][ ,.:-]{1,3}%[-#]?[aAbBdHIjmMpSyY]|dateformat|date_format"
    r"|django\.utils\.formats|timesince|naturalday|naturaltime|a\.m\.|p\.m\."
    r"|\.day\}\s*\{|\{\w+\.month\}|\bMONTHS\b|\bmoment_words\b|\bday_words\b"
)
# Jinja's own filters for dates, once the site's, now gone.
OTHER_FILTERS = re.compile(r"\|\s*(date|datetime|strftime)\b")

# Each allowed line, and why it is not a date put in words for people to read.
ALLOWED = {
    # iCalendar's own machine format (RFC 5545), read by calendar apps, not people.
    ("assembly/ical.py", 'strftime("%Y%m%dT%H%M%SZ")'),
    ("assembly/ical.py", "strftime('%Y%m%d')"),
    # Pol.is's export files' own "datetime" column, read by programs (conversations, issue 17).
    ("conversations/algorithms/polis_format.py", 'utc.strftime("%a %b %d %Y %H:%M:%S GMT+0000'),
    # The value put back into a form's time box, in the 24-hour form people type.
    ("assembly/forms.py", 'strftime("%H:%M")'),
    ("meetings/forms.py", 'strftime("%H:%M")'),
    # The value put back into a form's date box, as day, month and year numbers.
    ("assembly/forms.py", 'return f"{value.day} {value.month} {value.year}"'),
    ("meetings/forms.py", 'return f"{value.day} {value.month} {value.year}"'),
    # Reading month names people type into a date box ("4 Dec 2026"), not writing dates.
    ("nhsuk_forms/parsing.py", "MONTHS = {"),
    ("nhsuk_forms/parsing.py", 'strftime("%B")'),
    ("nhsuk_forms/parsing.py", 'strftime("%b")'),
    ("nhsuk_forms/parsing.py", "MONTHS.get("),
    ("gather/forms_calls.py", "MONTHS = {"),
    ("gather/forms_calls.py", 'strftime("%B")'),
    ("gather/forms_calls.py", 'strftime("%b")'),
    ("gather/forms_calls.py", "MONTHS.get("),
    # The short label on a chart's axis; the table beside it gives each week in full.
    ("discover/views/public_views.py", '(f"{d:%-d %b}", n)'),
    # Parsing dates in data files from outside (connectors), not writing them.
    ("discover/connectors/tabular.py", "_MONTHS"),
}


def _lines():
    for path in sorted(ROOT.rglob("*")):
        if path.suffix not in (".py", ".jinja", ".html", ".txt") or not path.is_file():
            continue
        relative = path.relative_to(ROOT).as_posix()
        if "/tests/" in f"/{relative}" or "/migrations/" in relative:
            continue
        if relative in ("core/dates.py",) or "/static/" in relative:
            continue
        if path.suffix == ".txt" and "/templates/" not in relative:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            yield relative, number, line


def test_no_template_or_python_file_formats_dates_another_way():
    found = []
    for relative, number, line in _lines():
        filters = relative.endswith(".jinja") and OTHER_FILTERS.search(line)
        if not (OTHER_WAYS.search(line) or filters):
            continue
        if any(relative == path and text in line for path, text in ALLOWED):
            continue
        found.append(f"{relative}:{number}: {line.strip()}")
    assert found == [], "Put dates in words with core.dates.when_words:\n" + "\n".join(found)


def test_the_check_would_catch_the_old_ways():
    assert OTHER_FILTERS.search("{{ flag.created_at | date }}")
    assert OTHER_FILTERS.search("{{ flag.created_at|datetime }}")
    assert not OTHER_FILTERS.search('{{ flag.created_at | when_words(show="date") }}')
    for line in (
        'f"{value:%B %Y}"',
        'value.strftime("%d/%m/%Y")',
        'f"{value:%d}"',
        '"%Y-%m-%d %H:%M"',
        'f"{value.day} {value:%B %Y}"',
        'f"answer due {due:%-d %B %Y}"',
        'value.strftime("%d/%m/%Y")',
        'date_format(value, "j F Y \\a\\t g:ia")',
        "timetable.moment_words(found.at)",
        '"4:37a.m."',
    ):
        assert OTHER_WAYS.search(line), line
    assert not OTHER_WAYS.search('{{ flag.created_at | when_words(show="date") }}')
    assert not OTHER_WAYS.search("Up to 100% of people")
    assert not OTHER_WAYS.search('logger.error("%d problem(s) in %s", n, name)')
