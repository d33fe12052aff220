import datetime

import pytest
from django.utils import timezone

from nhs_citizen.assembly import ical
from nhs_citizen.assembly.services import cycles
from nhs_citizen.assembly.tests.factories import DAY, make_cycle, secretariat

STAMP = datetime.datetime(2026, 11, 21, 12, 0, tzinfo=datetime.UTC)


def _unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def _one_event(**fields) -> str:
    return ical.calendar(
        [ical.Event(uid="a@example.com", start=datetime.date(2027, 4, 10), **fields)],
        name="Dates",
        product="-//Test//EN",
        stamp=STAMP,
    )


def test_text_is_escaped_as_rfc_5545_asks():
    lines = _unfold(_one_event(summary="a\\b;c,d\ne"))
    assert "SUMMARY:a\\\\b\\;c\\,d\\ne" in lines


def test_long_lines_are_folded_at_75_octets_without_splitting_a_character():
    summary = "Café, " * 40
    text = _one_event(summary=summary)
    parts = text.split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert any(part.startswith(" ") for part in parts)
    assert "SUMMARY:" + summary.replace(",", "\\,") in _unfold(text)


def test_a_calendar_has_crlf_lines_utc_moments_and_whole_days():
    text = ical.calendar(
        [
            ical.Event(
                uid="a@example.com",
                summary="Vote, open",
                start=datetime.datetime(2027, 3, 1, 9, tzinfo=datetime.UTC),
                end=datetime.datetime(2027, 3, 8, 17, tzinfo=datetime.UTC),
            ),
            ical.Event(uid="b@example.com", summary="Meeting", start=datetime.date(2027, 4, 10)),
        ],
        name="Dates",
        product="-//Test//EN",
        stamp=STAMP,
    )
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    lines = _unfold(text)
    assert "DTSTART:20270301T090000Z" in lines
    assert "DTEND:20270308T170000Z" in lines
    assert "SUMMARY:Vote\\, open" in lines
    assert "DTSTART;VALUE=DATE:20270410" in lines
    assert "DTEND;VALUE=DATE:20270411" in lines
    assert lines.count("DTSTAMP:20261121T120000Z") == 2
    with pytest.raises(ValueError):
        ical.calendar(
            [ical.Event(uid="c", summary="x", start=datetime.datetime(2027, 1, 1))],
            name="x",
            product="x",
            stamp=STAMP,
        )


@pytest.mark.django_db
def test_the_feed_lists_every_cycles_dates_with_stable_ids(client):
    cycle = make_cycle("Spring 2027", timezone.now() + 20 * DAY)
    response = client.get("/assembly/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    lines = _unfold(response.content.decode())
    uids = [line for line in lines if line.startswith("UID:")]
    assert len(uids) == 6
    assert uids[0].startswith(f"UID:assembly-cycle-{cycle.pk}-flag-cutoff@")
    assert "SUMMARY:NHS Citizen Assembly Meeting (Spring 2027)" in lines
    assert f"DTSTART;VALUE=DATE:{cycle.meeting_date:%Y%m%d}" in lines
    cutoff_utc = cycle.flag_cutoff.astimezone(datetime.UTC)
    assert f"DTSTART:{cutoff_utc:%Y%m%dT%H%M%SZ}" in lines
    assert "SEQUENCE:0" in lines
    # A change keeps the ids and raises the sequence, so calendar apps update the events.
    cycles.check_update_cycle(
        cycle=cycle,
        changed_by=secretariat(),
        reasons="Room booked",
        meeting_date=cycle.meeting_date + DAY,
    )
    again = _unfold(client.get("/assembly/calendar.ics").content.decode())
    assert [line for line in again if line.startswith("UID:")] == uids
    assert "SEQUENCE:1" in again and "SEQUENCE:0" not in again
