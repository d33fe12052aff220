"""The Assembly timetable for the meeting's steps: publishing the minutes, recording that the
meeting was held, and the Board's response to an agenda item. The form, the service and the
public pages agree one second before and one second after each moment."""

from __future__ import annotations

import datetime
import html

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from nhs_citizen.assembly import presenters as assembly_presenters
from nhs_citizen.assembly import timetable
from nhs_citizen.assembly.models import Cycle, Stage
from nhs_citizen.assembly.services import stages
from nhs_citizen.meetings import presenters
from nhs_citizen.meetings.models import Meeting
from nhs_citizen.meetings.services import meetings as services
from nhs_citizen.meetings.tests.factories import meeting_with_agenda
from nhs_citizen.tracker.models import BoardResponse
from nhs_citizen.tracker.services import board as board_services
from nhs_citizen.tracker.tests import factories as tracker_factories

pytestmark = pytest.mark.django_db

SECOND = datetime.timedelta(seconds=1)
UTC = datetime.UTC
# Set up ten days ahead: the meeting is on Sunday 6 December 2026 from 10am to 4pm.
SET_UP_ON = datetime.datetime(2026, 11, 26, 9, tzinfo=UTC)
MEETING_STARTS = datetime.datetime(2026, 12, 6, 10, tzinfo=UTC)


def at(moment):
    return time_machine.travel(moment, tick=False)


def _text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def arranged():
    """A cycle whose jury has chosen, with its meeting on 6 December 2026 and its agenda set."""
    with at(SET_UP_ON):
        meeting, items, secretariat = meeting_with_agenda(("One", "Two"))
    assert meeting.cycle.meeting_date == datetime.date(2026, 12, 6)
    assert meeting.starts_at == MEETING_STARTS
    return meeting, items, secretariat


# Minutes ---------------------------------------------------------------------------------------
def test_the_minutes_form_the_service_and_the_meeting_page_agree(client, signed_in, arranged):
    meeting, _, secretariat = arranged
    moment = timetable.earliest(timetable.MINUTES_PUBLISHED, meeting.cycle, meeting)
    assert moment == meeting.ends_at
    message = services.minutes_opening(meeting, moment - SECOND).message
    assert message == (
        "You can publish the minutes from 6 December 2026 at 4pm, when the Assembly Meeting ends."
    )
    url = reverse("meetings:write_minutes", args=[meeting.cycle.slug])

    with at(moment - SECOND):
        signed_in(secretariat)
        page = _text(client.get(url))
        assert message in page
        assert "Publish the minutes" not in page
        assert "Save draft" in page  # drafts can be written at any time
        with pytest.raises(ValidationError) as error:
            services.check_save_minutes(
                secretariat=secretariat, meeting=meeting, minutes="Agreed", publish=True
            )
        assert error.value.messages == [message]
        page = _text(client.post(url, {"minutes": "Agreed", "action": "publish"}))
        assert message in page
        meeting.refresh_from_db()
        assert meeting.minutes_published_at is None
        public = _text(client.get(meeting.get_absolute_url()))
        assert "has taken place" not in public

    with at(moment + SECOND):
        signed_in(secretariat)
        page = _text(client.get(url))
        assert message not in page
        assert "Publish the minutes" in page
        response = client.post(url, {"minutes": "Agreed", "action": "publish"})
        assert response.status_code == 302
        meeting.refresh_from_db()
        assert meeting.minutes_published_at is not None
        public = _text(client.get(meeting.get_absolute_url()))
        assert "The meeting has taken place and its minutes are published." in public


# Meeting held ------------------------------------------------------------------------------------
def test_meeting_held_opens_at_the_arranged_start_for_the_manage_page_service_and_timeline(
    client, signed_in, arranged
):
    meeting, _, secretariat = arranged
    cycle = meeting.cycle
    assert cycle.stage == Stage.JURY
    moment = timetable.earliest(timetable.MEETING_HELD, cycle, meeting)
    assert moment == MEETING_STARTS  # later than 00:00 that day, so the arranged start counts
    message = timetable.opening(timetable.MEETING_HELD, cycle, moment - SECOND, meeting).message
    manage = f"/assembly/{cycle.slug}/manage/"

    with at(moment - SECOND):
        signed_in(secretariat)
        assert message in _text(client.get(manage))
        with pytest.raises(ValidationError) as error:
            stages.check_move_on(cycle=cycle, by=secretariat, expected_stage=Stage.JURY)
        assert error.value.messages == [message]
        cycle.refresh_from_db()
        assert assembly_presenters.timeline(cycle)[4].status != "done"

    with at(moment + SECOND):
        signed_in(secretariat)
        page = _text(client.get(manage))
        assert message not in page
        assert "Record that the Assembly Meeting was held" in page
        cycle = stages.check_move_on(cycle=cycle, by=secretariat, expected_stage=Stage.JURY)
        assert cycle.stage == Stage.MEETING
        assert assembly_presenters.timeline(cycle)[4].status == "done"


# The Board's response ------------------------------------------------------------------------------
def _board_item(starts_at: datetime.datetime):
    cycle = tracker_factories.make_cycle(
        meeting_date=starts_at.date(), stage=Stage.JURY, response_due=datetime.date(2027, 2, 1)
    )
    meeting = tracker_factories.make_meeting(cycle, starts_at=starts_at)
    return tracker_factories.make_agenda_item(meeting=meeting)


def _response_post() -> dict:
    return {
        "outcome": "will_not_act",
        "summary": "The Board will not change this now.",
        "reasons": "It is already being reviewed nationally.",
        "action": "publish",
        "commitment_count": "1",
    }


def test_the_board_response_form_the_service_and_the_queue_agree(client, signed_in):
    with at(SET_UP_ON):
        item = _board_item(MEETING_STARTS)
        member = tracker_factories.board_member()
    moment = timetable.earliest(timetable.BOARD_RESPONSE, item.meeting.cycle, item.meeting)
    assert moment == MEETING_STARTS
    message = board_services.response_opening(item, moment - SECOND).message
    url = reverse("tracker:respond_to_item", args=[item.pk])

    with at(moment - SECOND):
        signed_in(member)
        page = _text(client.get(url))
        assert message in page
        assert "Publish the Board's response" not in page
        assert item not in board_services.items_awaiting_response()
        with pytest.raises(ValidationError) as error:
            tracker_factories.record_board_response(item, by=member)
        assert error.value.messages == [message]
        page = _text(client.post(url, _response_post(), follow=True))
        assert message in page
        assert not BoardResponse.objects.exists()

    with at(moment + SECOND):
        signed_in(member)
        page = _text(client.get(url))
        assert message not in page
        assert "Publish the Board's response" in page
        assert item in board_services.items_awaiting_response()
        tracker_factories.record_board_response(item, by=member)
        assert BoardResponse.objects.filter(agenda_item=item).exists()


# The faults testers found ------------------------------------------------------------------------
def test_regression_minutes_cannot_be_published_two_days_before_the_meeting(
    client, signed_in, arranged
):
    """On 4 December the secretariat could publish minutes for a meeting dated 6 December; the
    public page then said "The meeting has taken place", while the manage page said "meeting
    held" could be recorded only from 6 December."""
    meeting, _, secretariat = arranged
    with at(datetime.datetime(2026, 12, 4, 12, tzinfo=UTC)):
        signed_in(secretariat)
        with pytest.raises(ValidationError, match="from 6 December 2026"):
            services.check_save_minutes(
                secretariat=secretariat, meeting=meeting, minutes="Agreed", publish=True
            )
        meeting.refresh_from_db()
        assert meeting.minutes_published_at is None
        assert presenters.meeting_status(meeting) == "The meeting has not started yet."
        manage = _text(client.get(f"/assembly/{meeting.cycle.slug}/manage/"))
        minutes = _text(client.get(reverse("meetings:write_minutes", args=[meeting.cycle.slug])))
        # Both pages give the same day, and neither offers the step.
        assert "You can record that the Assembly Meeting was held from 6 December 2026" in manage
        assert "You can publish the minutes from 6 December 2026" in minutes
        assert "Publish the minutes" not in minutes


def test_regression_minutes_published_early_in_old_data_do_not_say_the_meeting_took_place(
    arranged,
):
    meeting, _, _ = arranged
    Meeting.objects.filter(pk=meeting.pk).update(
        minutes="Old", minutes_published_at=datetime.datetime(2026, 12, 4, tzinfo=UTC)
    )
    meeting.refresh_from_db()
    before = presenters.meeting_status(meeting, now=datetime.datetime(2026, 12, 4, 12, tzinfo=UTC))
    after = presenters.meeting_status(meeting, now=meeting.ends_at + SECOND)
    assert "taken place" not in before
    assert after == "The meeting has taken place and its minutes are published."


def test_regression_the_board_response_form_is_not_offered_before_the_meeting(client, signed_in):
    """The form could be filled in before the meeting and was refused only when published."""
    with at(SET_UP_ON):
        item = _board_item(MEETING_STARTS)
        member = tracker_factories.board_member()
    with at(datetime.datetime(2026, 12, 4, 12, tzinfo=UTC)):
        signed_in(member)
        page = _text(client.get(reverse("tracker:respond_to_item", args=[item.pk])))
        assert (
            "You can record the Board's response to this agenda item from 6 December 2026" in page
        )
        assert 'name="summary"' not in page
        assert "Publish the Board's response" not in page
    assert Cycle.objects.get(pk=item.meeting.cycle_id).stage == Stage.JURY
