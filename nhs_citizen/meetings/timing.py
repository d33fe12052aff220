"""Times and dates as the NHS writes them: 10am, 4:30pm, midday; Saturday 15 May 2027."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.dateformat import format as date_format


def clock(value: datetime.datetime) -> str:
    value = timezone.localtime(value)
    if value.hour == 12 and value.minute == 0:
        return "midday"
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    hour = value.hour % 12 or 12
    minutes = f":{value.minute:02d}" if value.minute else ""
    return f"{hour}{minutes}{'am' if value.hour < 12 else 'pm'}"


def day(value: datetime.datetime) -> str:
    return date_format(timezone.localtime(value), "l j F Y")


def when(value: datetime.datetime) -> str:
    """Saturday 15 May 2027 at 10am."""
    return f"{day(value)} at {clock(value)}"


def span(starts: datetime.datetime, ends: datetime.datetime) -> str:
    """Saturday 15 May 2027, 10am to 4:30pm; or across two days."""
    if timezone.localtime(starts).date() == timezone.localtime(ends).date():
        return f"{day(starts)}, {clock(starts)} to {clock(ends)}"
    return f"{day(starts)}, {clock(starts)} to {day(ends)}, {clock(ends)}"
