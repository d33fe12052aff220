"""Dates and times in words, the way GOV.UK and the NHS write them, in UK time.

Every page, e-mail and message says a date or a time through `when_words`, so the site never
says "4:37a.m." in one place and "4:46am" in another. It is registered as the `when_words` Jinja
filter. Pure: no database, and Django is not needed (UK time is Europe/London whatever the
settings say).

    when_words(date(2026, 12, 4))                      4 December 2026
    when_words(moment)                                 4 December 2026 at 4:37am
    when_words(moment, show="date")                    4 December 2026
    when_words(moment, show="time")                    4:37am
    when_words(moment, weekday=True)                   Friday 4 December 2026 at 4:37am
    when_words(noon)                                   4 December 2026 at midday
    when_words(start_of_a_day, show="moment")          4 December 2026 (a day is enough)
    when_words(date(2026, 12, 4), date(2026, 12, 6))   4 to 6 December 2026
    when_words(ten_am, four_pm)                        4 December 2026 from 10am to 4pm

The rules: no leading zero on the day or the hour; "am" and "pm" in lower case with no space
or full stops; minutes only when they are not ":00"; 12:00 is "midday" and 00:00 "midnight";
ranges use "to", never a dash.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

MONTHS = (
    "January February March April May June July August September October November December"
).split()
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()

SHOWS = ("auto", "date", "time", "datetime", "moment")


def _local(value: datetime.datetime) -> datetime.datetime:
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise ValueError("A moment put in words must be timezone-aware.")
    return value.astimezone(LONDON)


def _day(value: datetime.date, weekday: bool, *, month: bool = True, year: bool = True) -> str:
    words = [WEEKDAYS[value.weekday()]] if weekday else []
    words.append(str(value.day))
    if month:
        words.append(MONTHS[value.month - 1])
    if year:
        words.append(str(value.year))
    return " ".join(words)


def _clock(local: datetime.datetime) -> str:
    if (local.hour, local.minute) == (0, 0):
        return "midnight"
    if (local.hour, local.minute) == (12, 0):
        return "midday"
    hour = local.hour % 12 or 12
    minutes = f":{local.minute:02d}" if local.minute else ""
    return f"{hour}{minutes}{'am' if local.hour < 12 else 'pm'}"


def _one(value: datetime.date, show: str, weekday: bool) -> str:
    if not isinstance(value, datetime.datetime):
        if show not in ("auto", "date", "moment"):
            raise ValueError(f"A date has no time to show ({show!r}).")
        return _day(value, weekday)
    local = _local(value)
    if show == "date" or (show == "moment" and (local.hour, local.minute) == (0, 0)):
        return _day(local.date(), weekday)
    if show == "time":
        return _clock(local)
    return f"{_day(local.date(), weekday)} at {_clock(local)}"


def _days(start: datetime.date, end: datetime.date, weekday: bool) -> str:
    if start == end:
        return _day(start, weekday)
    if weekday or start.year != end.year:
        return f"{_day(start, weekday)} to {_day(end, weekday)}"
    if start.month != end.month:
        return f"{_day(start, False, year=False)} to {_day(end, False)}"
    return f"{start.day} to {_day(end, False)}"


def _range(start: datetime.date, end: datetime.date, show: str, weekday: bool) -> str:
    if isinstance(start, datetime.datetime) != isinstance(end, datetime.datetime):
        raise ValueError("A range runs from a date to a date, or from a moment to a moment.")
    if not isinstance(start, datetime.datetime):
        if end < start:
            raise ValueError("A range cannot end before it starts.")
        return _one(start, show, weekday) if start == end else _days(start, end, weekday)
    first, last = _local(start), _local(end)
    if last < first:
        raise ValueError("A range cannot end before it starts.")
    if show == "date":
        return _days(first.date(), last.date(), weekday)
    if show == "time":
        return f"{_clock(first)} to {_clock(last)}"
    if first.date() == last.date():
        return f"{_day(first.date(), weekday)} from {_clock(first)} to {_clock(last)}"
    return f"{_one(start, show, weekday)} to {_one(end, show, weekday)}"


def when_words(
    value: datetime.date | None,
    until: datetime.date | None = None,
    *,
    show: str = "auto",
    weekday: bool = False,
) -> str:
    """A date, a moment or a range in words, in UK time ("" for None).

    show: "auto" (a date as a date, a moment as date and time), "date", "time", "datetime",
    or "moment" (like "datetime", but a moment at 00:00 UK time, the start of its day, is
    just the day). weekday puts the day of the week first. Naive datetimes are refused: a time
    without a time zone cannot be put in UK time.
    """
    if show not in SHOWS:
        raise ValueError(f"show must be one of {', '.join(SHOWS)}, not {show!r}.")
    if value is None or value == "":
        return ""
    if until is not None:
        return _range(value, until, show, weekday)
    return _one(value, show, weekday)
