"""The Assembly's dates as an iCalendar (RFC 5545) feed, written with the ``icalendar`` library.
No Django imports.

Moments are written in UTC, whole days as DATE values (a whole-day event ends the next day);
the library escapes text, folds long lines at 75 octets and ends lines with CRLF."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import icalendar


@dataclass(frozen=True)
class Event:
    uid: str
    summary: str
    start: datetime.date | datetime.datetime
    end: datetime.date | datetime.datetime | None = None
    description: str = ""
    url: str = ""
    sequence: int = 0


def _when(value: datetime.date | datetime.datetime) -> datetime.date | datetime.datetime:
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            raise ValueError("Moments in the calendar must know their time zone.")
        return value.astimezone(datetime.UTC)
    return value


def calendar(events: list[Event], *, name: str, product: str, stamp: datetime.datetime) -> str:
    feed = icalendar.Calendar()
    feed.add("version", "2.0")
    feed.add("prodid", product)
    feed.add("calscale", "GREGORIAN")
    feed.add("method", "PUBLISH")
    feed.add("x-wr-calname", name)
    stamp = _when(stamp)
    for event in events:
        end = event.end
        if end is None and not isinstance(event.start, datetime.datetime):
            end = event.start + datetime.timedelta(days=1)  # a whole-day event ends next day
        item = icalendar.Event()
        item.add("uid", event.uid)
        item.add("dtstamp", stamp)
        item.add("dtstart", _when(event.start))
        if end is not None:
            item.add("dtend", _when(end))
        item.add("sequence", event.sequence)
        item.add("summary", event.summary)
        if event.description:
            item.add("description", event.description)
        if event.url:
            item.add("url", event.url)
        item.add("transp", "TRANSPARENT")
        feed.add_component(item)
    return feed.to_ical(sorted=False).decode("utf-8")
