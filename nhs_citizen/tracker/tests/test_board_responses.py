import datetime

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from nhs_citizen.assembly.models import CycleDecision
from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import AuditEntry, Organisation
from nhs_citizen.gather.services import flags as flag_services
from nhs_citizen.gather.tests.factories import next_email
from nhs_citizen.gather.working_days import add_working_days
from nhs_citizen.notifications.models import Notification
from nhs_citizen.tracker.models import BoardOutcome, Commitment, Reflection
from nhs_citizen.tracker.services import board as services
from nhs_citizen.tracker.services.commitments import nhs_england
from nhs_citizen.tracker.tests.factories import (
    board_member,
    draft,
    make_agenda_item,
    make_commission,
    make_cycle,
    make_meeting,
    make_panel,
    record_board_response,
    remote_post,
)

pytestmark = pytest.mark.django_db


def test_a_board_member_records_a_response_with_its_commitments():
    item = make_agenda_item(title="Shorter waits for talking therapies")
    member = board_member()
    trust = Organisation.objects.get(type="icb", code="QWO")
    response = record_board_response(
        item,
        by=member,
        commitments=[
            draft("Publish waiting times monthly"),
            draft("Fund 50 more therapists", owner="Workforce team", organisation=trust),
        ],
    )
    assert response.agenda_item == item and response.outcome == BoardOutcome.WILL_ACT
    assert response.due_date == item.meeting.cycle.response_due
    assert response.on_time is True
    first, second = Commitment.objects.filter(board_response=response).order_by("pk")
    assert first.organisation == nhs_england()
    assert second.organisation == trust and second.owner == "Workforce team"
    assert first.flag == item.entry.flag
    assert first.cycle == item.meeting.cycle
    assert first.topic == item.entry.flag.topic
    assert first.created_by == member


def test_the_response_is_a_public_decision_of_the_cycle_and_in_the_audit_log():
    item = make_agenda_item(title="Free hospital parking for carers")
    member = board_member()
    response = record_board_response(item, by=member, outcome=BoardOutcome.IN_PART)
    decision = CycleDecision.objects.get(cycle=item.meeting.cycle, kind="board_response")
    assert decision.summary == (
        "The Board responded to “Free hospital parking for carers”: the board will act in part"
    )
    assert decision.decided_by_role == "NHS England Board"
    assert decision.decided_by == member
    assert decision.reasons == response.summary
    entry = AuditEntry.objects.get(action="tracker.board_response_recorded")
    assert entry.is_public
    assert entry.target_type == "gather.flag" and entry.target_id == str(item.entry.flag_id)
    assert entry.data["board_response_id"] == response.pk
    assert len(entry.data["commitment_ids"]) == 1


def test_a_late_response_is_marked_late():
    cycle = make_cycle(response_due=timezone.localdate() - datetime.timedelta(days=3))
    item = make_agenda_item(cycle=cycle)
    response = record_board_response(item)
    assert response.due_date == cycle.response_due
    assert response.on_time is False


def test_everyone_behind_the_flag_is_told_once(django_capture_on_commit_callbacks, mailoutbox):
    item = make_agenda_item()
    flag = item.entry.flag
    supporter = make_user(next_email("supporter"))
    flag_services.do_support_flag(user=supporter, flag=flag)
    # Someone who both follows and discusses the flag is told once.
    talker = make_user(next_email("talker"))
    flag_services.do_follow_flag(user=talker, flag=flag)
    flag_services.check_add_comment(user=talker, flag=flag, body="Waits here are 18 months.")
    with django_capture_on_commit_callbacks(execute=True):
        record_board_response(item)
    told = Notification.objects.filter(subject="The NHS England Board has responded")
    assert sorted(told.values_list("user_id", flat=True)) == sorted(
        [flag.raised_by_id, supporter.pk, talker.pk]
    )
    # The person who raised it hears straight away; the others in their daily summary.
    assert [m.to[0] for m in mailoutbox if "has responded" in m.subject] == [flag.raised_by.email]
    from nhs_citizen.notifications.services import do_send_digests

    do_send_digests("daily")
    summaries = [m for m in mailoutbox if "daily summary" in m.subject]
    assert sorted(m.to[0] for m in summaries) == sorted([supporter.email, talker.email])
    assert all("The NHS England Board has responded" in m.body for m in summaries)


def test_only_board_members_record_responses():
    item = make_agenda_item()
    someone = make_user(next_email("secretariat"), roles=("secretariat",))
    with pytest.raises(ValidationError, match="Only Board members"):
        record_board_response(item, by=someone)


def test_the_board_responds_only_after_the_meeting_has_begun():
    cycle = make_cycle()
    meeting = make_meeting(cycle, starts_at=timezone.now() + datetime.timedelta(days=2))
    item = make_agenda_item(meeting=meeting)
    with pytest.raises(ValidationError, match="after the Assembly Meeting has begun"):
        record_board_response(item)


def test_the_board_responds_once():
    item = make_agenda_item()
    record_board_response(item)
    with pytest.raises(ValidationError, match="already responded"):
        record_board_response(item)
    assert Commitment.objects.count() == 1


def test_a_response_that_will_act_needs_a_commitment_but_will_not_act_needs_none():
    item = make_agenda_item()
    with pytest.raises(ValidationError) as error:
        record_board_response(item, commitments=[])
    assert "commitments" in error.value.message_dict
    response = record_board_response(item, commitments=[], outcome=BoardOutcome.WILL_NOT_ACT)
    assert response.commitments.count() == 0


def test_every_problem_with_a_commitment_is_named_with_its_number():
    item = make_agenda_item()
    bad = draft(what="", owner="", due_in_days=-1)
    with pytest.raises(ValidationError) as error:
        record_board_response(item, commitments=[draft(), bad], summary="")
    problems = error.value.message_dict
    assert problems["summary"] == ["Enter the response in one sentence"]
    assert problems["commitment_2_what"] == ["Enter what will be done"]
    assert problems["commitment_2_owner"] == ["Enter the team or role that owns it"]
    assert problems["commitment_2_due_date"] == ["The due date must be in the future"]
    assert "commitment_1_what" not in problems


def test_a_commitment_must_be_for_a_public_body():
    item = make_agenda_item()
    charity = Organisation.objects.create(name="A charity", slug="a-charity", type="charity")
    with pytest.raises(ValidationError) as error:
        record_board_response(item, commitments=[draft(organisation=charity)])
    assert error.value.message_dict["commitment_1_organisation"] == ["Select an NHS or public body"]


def test_the_board_responds_to_a_citizen_panel_report_with_time_to_read_it():
    cycle = make_cycle(response_due=timezone.localdate() - datetime.timedelta(days=10))
    meeting = make_meeting(cycle)
    item = make_agenda_item(meeting=meeting)
    commission = make_commission(meeting, item=item)
    response = record_board_response(commission=commission)
    assert response.commission == commission and response.agenda_item is None
    expected = add_working_days(
        timezone.localdate(commission.report_published_at),
        settings.NHS_CITIZEN["RESPONSE_WORKING_DAYS"],
    )
    assert response.due_date == expected and response.on_time
    assert response.commitments.get().flag == item.entry.flag
    assert CycleDecision.objects.get(kind="board_response").summary.startswith(
        "The Board responded to the Citizen Panel report on"
    )


def test_the_board_waits_for_the_panel_report():
    meeting = make_meeting(make_cycle())
    commission = make_commission(meeting, reported=False)
    with pytest.raises(ValidationError, match="report is published"):
        record_board_response(commission=commission)
    assert list(services.commissions_awaiting_response()) == []


def test_what_is_waiting_for_the_board():
    item = make_agenda_item()
    later = make_agenda_item(
        meeting=make_meeting(make_cycle(), starts_at=timezone.now() + datetime.timedelta(days=5))
    )
    commission = make_commission(item.meeting)
    assert list(services.items_awaiting_response()) == [item]
    assert list(services.commissions_awaiting_response()) == [commission]
    record_board_response(item)
    assert list(services.items_awaiting_response()) == []
    assert later not in services.items_awaiting_response()


# Does it reflect what people said? -----------------------------------------------------------


def _item_with_people():
    member = make_user(next_email("member"))
    reserve = make_user(next_email("reserve"))
    poster = make_user(next_email("poster"))
    panel = make_panel([member], reserves=[reserve])
    meeting = make_meeting(make_cycle(), members_panel=panel)
    item = make_agenda_item(meeting=meeting)
    remote_post(item, poster)
    return item, member, reserve, poster


def test_members_and_remote_posters_can_say_whether_it_reflects_what_they_said():
    item, member, reserve, poster = _item_with_people()
    response = record_board_response(item)
    assert services.took_part(member, response)
    assert services.took_part(poster, response)
    assert not services.took_part(reserve, response)
    assert not services.took_part(make_user(next_email()), response)
    assert services.participant_ids(response) == {member.pk, poster.pk}


def test_people_who_took_part_are_asked(django_capture_on_commit_callbacks):
    item, member, reserve, poster = _item_with_people()
    with django_capture_on_commit_callbacks(execute=True):
        response = record_board_response(item)
    asked = Notification.objects.filter(subject="Does the Board's response reflect what you said?")
    assert set(asked.values_list("user_id", flat=True)) == {member.pk, poster.pk}
    assert asked.first().link == response.get_absolute_url()


def test_one_answer_per_person_which_they_can_change():
    item, member, _reserve, poster = _item_with_people()
    response = record_board_response(item)
    services.check_reflect(user=member, response=response, verdict="no", comment="Not at all")
    services.check_reflect(user=member, response=response, verdict="partly", comment="")
    services.check_reflect(user=poster, response=response, verdict="yes", comment="Spot on")
    assert Reflection.objects.count() == 2
    assert Reflection.objects.get(user=member).verdict == "partly"
    totals = services.reflection_totals(response)
    assert totals.total == 2
    assert totals.rows == [("yes", "Yes", 1, 50), ("partly", "Partly", 1, 50), ("no", "No", 0, 0)]
    assert totals.comments == [("Yes", "Spot on")]
    # Who said what stays private.
    entries = AuditEntry.objects.filter(action__startswith="tracker.reflection_")
    assert entries.count() == 3 and not entries.filter(is_public=True).exists()


def test_people_who_did_not_take_part_cannot_answer():
    response = record_board_response()
    with pytest.raises(ValidationError, match="Only people who took part"):
        services.check_reflect(user=make_user(next_email()), response=response, verdict="yes")


def test_citizen_panel_members_answer_about_the_response_to_their_report():
    panellist = make_user(next_email("panellist"))
    meeting = make_meeting(make_cycle())
    commission = make_commission(meeting, panel=make_panel([panellist]))
    response = record_board_response(commission=commission)
    assert services.took_part(panellist, response)
    services.check_reflect(user=panellist, response=response, verdict="yes")
    assert response.reflections.count() == 1


def test_your_data_includes_your_answers():
    from nhs_citizen.accounts.services import build_data_export

    item, member, _reserve, _poster = _item_with_people()
    response = record_board_response(item)
    services.check_reflect(user=member, response=response, verdict="no", comment="Too slow")
    export = build_data_export(member)
    assert export["board_responses_you_commented_on"][0]["comment"] == "Too slow"
