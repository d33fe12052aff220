"""One timetable: for every stage of a cycle, the manage page (the form), the service behind it
and the public timeline agree, one second before and one second after the stage's moment."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from nhs_citizen.assembly import presenters, timetable
from nhs_citizen.assembly.models import Cycle, Stage
from nhs_citizen.assembly.services import jury as jury_services
from nhs_citizen.assembly.services import stages
from nhs_citizen.assembly.tests.factories import (
    DAY,
    at,
    close_vote,
    cut_off,
    jury_panel,
    make_cycle,
    open_vote,
    secretariat,
    shortlisted_flag,
)
from nhs_citizen.core.dates import when_words

pytestmark = pytest.mark.django_db

SECOND = datetime.timedelta(seconds=1)
DONE = re.compile(r">\s*Done\s*<")


# The module on its own -------------------------------------------------------------------------
class Dates:
    flag_cutoff = datetime.datetime(2026, 11, 2, 17, tzinfo=datetime.UTC)
    vote_opens = datetime.datetime(2026, 11, 3, 9, 30, tzinfo=datetime.UTC)
    vote_closes = datetime.datetime(2026, 11, 10, 12, tzinfo=datetime.UTC)
    jury_date = datetime.date(2026, 11, 20)
    meeting_date = datetime.date(2026, 12, 6)
    response_due = datetime.date(2027, 1, 31)
    stocktake_date = datetime.date(2027, 6, 1)


class Arranged:
    starts_at = datetime.datetime(2026, 12, 6, 10, tzinfo=datetime.UTC)
    ends_at = datetime.datetime(2026, 12, 6, 16, 30, tzinfo=datetime.UTC)


def test_a_date_starts_at_midnight_uk_time_in_winter_and_in_summer():
    assert timetable.start_of_day(datetime.date(2026, 12, 6)) == datetime.datetime(
        2026, 12, 6, 0, tzinfo=datetime.UTC
    )
    # British Summer Time: midnight in London is 11pm the day before in UTC.
    assert timetable.start_of_day(datetime.date(2027, 6, 1)) == datetime.datetime(
        2027, 5, 31, 23, tzinfo=datetime.UTC
    )


def test_each_action_has_one_earliest_moment():
    cycle, meeting = Dates(), Arranged()
    assert timetable.earliest(timetable.CUT_OFF, cycle) == cycle.flag_cutoff
    assert timetable.earliest(timetable.OPEN_VOTE, cycle) == cycle.vote_opens
    assert timetable.earliest(timetable.CLOSE_VOTE, cycle) == cycle.vote_closes
    assert timetable.earliest(timetable.JURY_CHOICES, cycle) == datetime.datetime(
        2026, 11, 20, tzinfo=datetime.UTC
    )
    midnight = datetime.datetime(2026, 12, 6, tzinfo=datetime.UTC)
    for action in (
        timetable.MEETING_HELD,
        timetable.BOARD_RESPONSE,
        timetable.RESPONSES_PUBLISHED,
    ):
        # Without an arranged meeting, the published date; with one, its start if later.
        assert timetable.earliest(action, cycle) == midnight
        assert timetable.earliest(action, cycle, meeting) == meeting.starts_at
    assert timetable.earliest(timetable.MINUTES_PUBLISHED, cycle, meeting) == meeting.ends_at
    assert timetable.earliest(timetable.MINUTES_PUBLISHED, cycle) == midnight
    assert timetable.earliest(timetable.STOCK_TAKE, cycle) == datetime.datetime(
        2027, 5, 31, 23, tzinfo=datetime.UTC
    )
    with pytest.raises(KeyError):
        timetable.earliest("lunch", cycle)


def test_an_arranged_start_earlier_than_the_published_date_does_not_open_anything_early():
    class Early:
        starts_at = datetime.datetime(2026, 12, 5, 10, tzinfo=datetime.UTC)
        ends_at = datetime.datetime(2026, 12, 5, 16, tzinfo=datetime.UTC)

    midnight = datetime.datetime(2026, 12, 6, tzinfo=datetime.UTC)
    assert timetable.earliest(timetable.MEETING_HELD, Dates(), Early()) == midnight
    assert timetable.earliest(timetable.MINUTES_PUBLISHED, Dates(), Early()) == midnight


def test_the_message_says_when_it_opens_in_plain_words():
    now = datetime.datetime(2026, 12, 4, 12, tzinfo=datetime.UTC)
    found = timetable.opening(timetable.MINUTES_PUBLISHED, Dates(), now, Arranged())
    assert not found.is_open
    assert found.message == (
        "You can publish the minutes from 6 December 2026 at 4:30pm, when the Assembly "
        "Meeting ends."
    )
    assert timetable.not_yet(timetable.JURY_CHOICES, Dates(), now) is None
    assert timetable.not_yet(timetable.STOCK_TAKE, Dates(), now) == (
        "You can record that the stock-take is done from 1 June 2027, the day of the stock-take."
    )
    assert when_words(Dates.vote_opens, show="moment") == "3 November 2026 at 9:30am"
    assert when_words(Dates.vote_closes, show="moment") == "10 November 2026 at midday"
    assert when_words(timetable.start_of_day(Dates.jury_date), show="moment") == "20 November 2026"

    class Naive:
        flag_cutoff = datetime.datetime(2026, 11, 2, 17)

    with pytest.raises(ValueError):
        _ = timetable.opening(timetable.CUT_OFF, Naive(), now).message


# Form, service and timeline agree --------------------------------------------------------------
def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _timeline_status(cycle: Cycle, index: int) -> str:
    cycle.refresh_from_db()
    return presenters.timeline(cycle)[index].status


def _public_done_count(client, cycle: Cycle) -> int:
    page = _page(client, cycle.get_absolute_url())
    return len(DONE.findall(page))


def _cycle_with_flags() -> Cycle:
    cycle = make_cycle("Spring 2027", timezone.now() + 30 * DAY)
    for n in range(6):
        shortlisted_flag(f"Flag {n}", cycle.flag_cutoff - (20 - n) * DAY)
    return cycle


def _force(cycle: Cycle, stage: str) -> Cycle:
    """Put a cycle at a stage directly, as old or imported data might be."""
    Cycle.objects.filter(pk=cycle.pk).update(stage=stage)
    cycle.refresh_from_db()
    return cycle


def _at_stage(stage: str) -> Cycle:
    cycle = _cycle_with_flags()
    if stage == Stage.PLANNED:
        return cycle
    cut_off(cycle)
    if stage == Stage.CUT_OFF:
        return Cycle.objects.get(pk=cycle.pk)
    open_vote(cycle)
    if stage == Stage.VOTING:
        return Cycle.objects.get(pk=cycle.pk)
    return _force(cycle, stage)


MOVES = [
    # (action, stage it moves on from, its step on the timeline, the button on the manage page)
    (timetable.CUT_OFF, Stage.PLANNED, 0, "Cut off the flags"),
    (timetable.OPEN_VOTE, Stage.CUT_OFF, 1, "Open the vote"),
    (timetable.CLOSE_VOTE, Stage.VOTING, 2, "Close the vote and publish the scores"),
    (timetable.MEETING_HELD, Stage.JURY, 4, "Record that the Assembly Meeting was held"),
    (
        timetable.RESPONSES_PUBLISHED,
        Stage.MEETING,
        5,
        "Record that the Board's responses are published",
    ),
    (timetable.STOCK_TAKE, Stage.RESPONDING, 6, "Record that the stock-take is done"),
]


@pytest.mark.parametrize(("action", "stage", "index", "button"), MOVES, ids=[m[0] for m in MOVES])
def test_the_manage_page_the_service_and_the_timeline_agree_about_each_move(
    client, signed_in, action, stage, index, button
):
    cycle = _at_stage(stage)
    moment = timetable.earliest(action, cycle)
    person = secretariat()
    manage = f"/assembly/{cycle.slug}/manage/"
    message = timetable.opening(action, cycle, moment - SECOND).message

    with at(moment - SECOND):
        signed_in(person)
        page = _page(client, manage)
        assert message in page
        assert f">{button}<" not in page.replace("\n", "").replace("  ", "")
        with pytest.raises(ValidationError) as error:
            stages.check_move_on(cycle=cycle, by=person, expected_stage=stage)
        assert error.value.messages == [message]
        # Posting the form anyway changes nothing and says the same.
        response = client.post(f"/assembly/{cycle.slug}/move-on/", {"stage": stage}, follow=True)
        assert message in html.unescape(response.content.decode())
        cycle.refresh_from_db()
        assert cycle.stage == stage
        assert _timeline_status(cycle, index) != "done"
        # Nothing on the timeline is "Done" before its own moment, whatever the stage says.
        for step, step_action in zip(
            presenters.timeline(cycle, moment - SECOND), timetable.TIMELINE_ACTIONS, strict=True
        ):
            if step.status == "done":
                assert timetable.earliest(step_action, cycle) <= moment - SECOND
        done_before = _public_done_count(client, cycle)

    with at(moment + SECOND):
        signed_in(person)
        page = _page(client, manage)
        assert message not in page
        assert button in page
        cycle = stages.check_move_on(cycle=cycle, by=person, expected_stage=stage)
        assert cycle.stage != stage
        assert _timeline_status(cycle, index) == "done"
        assert _public_done_count(client, cycle) > done_before


def _closed_with_jury(*, drawn: bool = True) -> Cycle:
    cycle = _at_stage(Stage.VOTING)
    close_vote(cycle)
    cycle.refresh_from_db()
    jury_services.do_link_jury_panel(cycle=cycle, panel=jury_panel(drawn=drawn), by=secretariat())
    cycle.refresh_from_db()
    return cycle


def _choices(cycle: Cycle) -> dict:
    entries = list(cycle.entries.filter(to_jury=True).order_by("place"))
    return {e.pk: (i < cycle.agenda_size, f"Reason {i}") for i, e in enumerate(entries)}


def test_the_jury_page_the_service_and_the_timeline_agree_about_the_jurys_choices(
    client, signed_in
):
    cycle = _closed_with_jury()
    moment = timetable.earliest(timetable.JURY_CHOICES, cycle)
    assert moment == timetable.start_of_day(cycle.jury_date)
    person = secretariat()
    message = timetable.opening(timetable.JURY_CHOICES, cycle, moment - SECOND).message
    jury_url = f"/assembly/{cycle.slug}/jury/"
    post = {"save_choices": "1"}
    for pk, (chosen, reasons) in _choices(cycle).items():
        post[f"chosen_{pk}"] = "yes" if chosen else "no"
        post[f"reasons_{pk}"] = reasons

    with at(moment - SECOND):
        signed_in(person)
        page = _page(client, jury_url)
        assert message in page
        assert "Publish the jury's choices" not in page
        assert message in _page(client, f"/assembly/{cycle.slug}/manage/")
        with pytest.raises(ValidationError) as error:
            jury_services.check_record_jury_choices(cycle=cycle, choices=_choices(cycle), by=person)
        assert error.value.messages == [message]
        client.post(jury_url, post)
        cycle.refresh_from_db()
        assert cycle.stage == Stage.VOTE_CLOSED
        assert not cycle.entries.filter(jury_choice__isnull=False).exists()
        assert _timeline_status(cycle, 3) != "done"

    with at(moment + SECOND):
        signed_in(person)
        page = _page(client, jury_url)
        assert message not in page
        assert "Publish the jury's choices" in page
        response = client.post(jury_url, post)
        assert response.status_code == 302
        cycle.refresh_from_db()
        assert cycle.stage == Stage.JURY
        assert _timeline_status(cycle, 3) == "done"


# The faults testers found ----------------------------------------------------------------------
def test_regression_the_jurys_choices_cannot_be_recorded_before_the_jury_date(client):
    """They could, and the public timeline then showed the jury date as "Done"."""
    cycle = _closed_with_jury()
    day_before = timetable.start_of_day(cycle.jury_date) - datetime.timedelta(hours=12)
    with at(day_before):
        with pytest.raises(ValidationError, match="from .* the day the citizens' jury meets"):
            jury_services.check_record_jury_choices(
                cycle=cycle, choices=_choices(cycle), by=secretariat()
            )
        cycle.refresh_from_db()
        assert cycle.stage == Stage.VOTE_CLOSED
        # Even if a cycle says the jury has chosen (old data), its date is not "Done" early.
        forced = _force(cycle, Stage.JURY)
        jury_step = presenters.timeline(forced)[3]
        assert jury_step.status != "done"
        page = _page(client, cycle.get_absolute_url())
        assert len(DONE.findall(page)) == 3  # the cut-off and the vote's opening and closing


def test_a_done_stock_take_keeps_its_date_so_its_done_step_cannot_become_undone():
    from nhs_citizen.assembly.services import cycles

    cycle = _force(_cycle_with_flags(), Stage.STOCK_TAKE)
    with pytest.raises(ValidationError) as error:
        cycles.check_update_cycle(
            cycle=cycle,
            changed_by=secretariat(),
            reasons="Moved",
            stocktake_date=cycle.stocktake_date + DAY,
        )
    assert error.value.message_dict["stocktake_date"] == [
        "The stock-take has been done, so its date cannot change"
    ]
