"""Dates and times as people type them into a plain text box, with plain-English errors."""

from __future__ import annotations

import datetime
import re

from django import forms

MONTHS = {
    name: number
    for number in range(1, 13)
    for name in (
        datetime.date(2000, number, 1).strftime("%B").lower(),
        datetime.date(2000, number, 1).strftime("%b").lower(),
    )
}


def parse_date(value: str, what: str) -> datetime.date:
    """A date as people write it: 27 3 2027, 27/03/2027, 27 March 2027 or 2027-03-27."""
    error = f"Enter {what} as a day, month and year, for example 27 3 2027"
    parts = [part for part in re.split(r"[\s/.,-]+", (value or "").strip().lower()) if part]
    if len(parts) == 3 and len(parts[0]) == 4 and parts[0].isdigit():
        parts = [parts[2], parts[1], parts[0]]
    if len(parts) != 3:
        raise forms.ValidationError(error)
    day, month, year = parts
    if not month.isdigit():
        month = str(MONTHS.get(month, ""))
    if not (day.isdigit() and month.isdigit() and year.isdigit() and len(year) == 4):
        raise forms.ValidationError(error)
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError as exc:
        raise forms.ValidationError(f"{what[0].upper()}{what[1:]} must be a real date") from exc


def parse_time(value: str, what: str) -> datetime.time:
    """A time as people write it: 10am, 10.30am, 2pm, 14:30, 9:15, midday, midnight."""
    error = f"Enter {what} like 10am, 2.30pm or 14:30"
    text = (value or "").strip().lower().replace(" ", "")
    if text in ("midday", "noon", "12noon"):
        return datetime.time(12, 0)
    if text == "midnight":
        return datetime.time(0, 0)
    match = re.fullmatch(r"(\d{1,2})(?:[:.](\d{2}))?(am|pm)?", text)
    if not match:
        raise forms.ValidationError(error)
    hour, minute, half = int(match[1]), int(match[2] or 0), match[3]
    if half:
        if not 1 <= hour <= 12:
            raise forms.ValidationError(error)
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif match[2] is None:
        raise forms.ValidationError(error)  # "10" alone: morning or evening?
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise forms.ValidationError(
            f"{what[0].upper()}{what[1:]} must be a real time, like 10am, 2.30pm or 14:30"
        )
    return datetime.time(hour, minute)
