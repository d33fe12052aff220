"""A small iCalendar (RFC 5545) writer for the Assembly's dates. No Django imports.

Lines end with CRLF and are folded at 75 octets (never inside a UTF-8 character); text values
escape backslashes, semicolons, commas and new lines; moments are written in UTC, whole days as
DATE values."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class Event:
    uid: str
    summary: str
    start: datetime.date | datetime.datetime
    end: datetime.date | datetime.datetime | None = None
    description: str = ""
    url: str = ""
    sequence: int = 0


def escape_text(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Split a content line into lines of at most 75 octets, each continuation starting with a
    space (RFC 5545, 3.1)."""
    parts: list[str] = []
    current, size, limit = "", 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    parts.append(current)
    return "\r\n".join(parts)


def _utc(value: datetime.datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("Moments in the calendar must know their time zone.")
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _date_property(name: str, value: datetime.date | datetime.datetime) -> str:
    if isinstance(value, datetime.datetime):
        return f"{name}:{_utc(value)}"
    return f"{name};VALUE=DATE:{value.strftime('%Y%m%d')}"


def calendar(events: list[Event], *, name: str, product: str, stamp: datetime.datetime) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{product}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for event in events:
        end = event.end
        if end is None and not isinstance(event.start, datetime.datetime):
            end = event.start + datetime.timedelta(days=1)  # a whole-day event ends next day
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{_utc(stamp)}",
            _date_property("DTSTART", event.start),
        ]
        if end is not None:
            lines.append(_date_property("DTEND", end))
        lines.append(f"SEQUENCE:{event.sequence}")
        lines.append(f"SUMMARY:{escape_text(event.summary)}")
        if event.description:
            lines.append(f"DESCRIPTION:{escape_text(event.description)}")
        if event.url:
            lines.append(f"URL:{event.url}")
        lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
