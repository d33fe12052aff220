import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import AuditEntry, Organisation
from nhs_citizen.gather.models import CallSubmission, Outcome
from nhs_citizen.gather.services import flags as flag_services
from nhs_citizen.gather.tests.factories import next_email, responder_for
from nhs_citizen.notifications.models import Notification
from nhs_citizen.tracker.models import CommitmentStatus, CommitmentUpdate
from nhs_citizen.tracker.services import commitments as services
from nhs_citizen.tracker.services.commitments import nhs_england
from nhs_citizen.tracker.tests.factories import (
    answered_referral,
    board_member,
    draft,
    icb,
    published_call,
    record_board_response,
    secretariat_member,
)

pytestmark = pytest.mark.django_db


def _update(commitment, by, **kwargs):
    values = {"status": CommitmentStatus.IN_PROGRESS, "note": "Work has started."}
    values.update(kwargs)
    return services.check_update_commitment(by=by, commitment=commitment, **values)


# Adding commitments to a body's answers ------------------------------------------------------


def test_a_responder_adds_a_commitment_to_their_bodys_answer():
    answer, responder = answered_referral()
    commitment = services.check_add_commitment(
        by=responder, to=answer, draft=draft("Run a shuttle bus for a year", owner="Transport lead")
    )
    assert commitment.referral_response == answer
    assert commitment.organisation == answer.referral.organisation
    assert commitment.flag == answer.referral.flag
    assert commitment.topic == answer.referral.flag.topic
    assert commitment.status == CommitmentStatus.NOT_STARTED
    entry = AuditEntry.objects.get(action="tracker.commitment_added")
    assert entry.is_public and entry.target_id == str(answer.referral.flag_id)
    assert entry.data["commitment_id"] == commitment.pk


def test_the_body_is_always_the_one_that_answered():
    answer, responder = answered_referral()
    commitment = services.check_add_commitment(
        by=responder, to=answer, draft=draft(organisation=nhs_england())
    )
    assert commitment.organisation == icb()


def test_only_that_bodys_responders_add_commitments_to_its_answer():
    answer, _responder = answered_referral()
    other = responder_for(Organisation.objects.get(type="icb", code="QOQ"))
    for person in (other, make_user(next_email()), board_member()):
        with pytest.raises(ValidationError):
            services.check_add_commitment(by=person, to=answer, draft=draft())


def test_a_not_ours_answer_has_no_commitments():
    answer, responder = answered_referral(outcome=Outcome.NOT_OURS)
    with pytest.raises(ValidationError, match="not ours"):
        services.check_add_commitment(by=responder, to=answer, draft=draft())


def test_a_body_adds_a_commitment_to_the_outcome_of_its_call_for_views():
    call = published_call()
    responder = call.opened_by
    commitment = services.check_add_commitment(by=responder, to=call, draft=draft())
    assert commitment.call_for_views == call and commitment.flag is None
    assert commitment.organisation == call.organisation


def test_a_call_for_views_gets_commitments_only_once_its_outcome_is_published():
    call = published_call(published=False)
    with pytest.raises(ValidationError, match="after you publish"):
        services.check_add_commitment(by=call.opened_by, to=call, draft=draft())


def test_people_who_answered_a_call_are_told_of_its_commitments(django_capture_on_commit_callbacks):
    call = published_call()
    answerer = make_user(next_email("answerer"))
    CallSubmission.objects.create(call=call, user=answerer)
    with django_capture_on_commit_callbacks(execute=True):
        commitment = services.check_add_commitment(by=call.opened_by, to=call, draft=draft())
        _update(commitment, call.opened_by)
    assert Notification.objects.filter(user=answerer).count() == 2


def test_a_board_member_adds_a_commitment_to_a_board_response():
    response = record_board_response()
    member = board_member()
    commitment = services.check_add_commitment(by=member, to=response, draft=draft("Another one"))
    assert commitment.board_response == response
    assert commitment.organisation == nhs_england()
    assert response.commitments.count() == 2


@pytest.mark.parametrize(
    ("days", "message"),
    [(0, "must be in the future"), (-5, "must be in the future"), (365 * 6, "within 5 years")],
)
def test_a_commitment_is_due_in_the_future(days, message):
    answer, responder = answered_referral()
    with pytest.raises(ValidationError, match=message):
        services.check_add_commitment(by=responder, to=answer, draft=draft(due_in_days=days))


# Updating ---------------------------------------------------------------------------------------


def test_the_owner_posts_a_dated_update_with_evidence():
    answer, responder = answered_referral()
    commitment = services.check_add_commitment(by=responder, to=answer, draft=draft())
    update = _update(
        commitment,
        responder,
        evidence_title="Bus timetable",
        evidence_url="https://example.org/timetable",
    )
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.IN_PROGRESS
    assert update.previous_status == CommitmentStatus.NOT_STARTED
    assert update.posted_as == icb().name
    assert update.evidence_url == "https://example.org/timetable"
    entry = AuditEntry.objects.get(action="tracker.commitment_updated")
    assert entry.is_public and entry.target_id == str(commitment.flag_id)
    assert "moved from “not started” to “in progress”" in entry.summary


def test_not_done_needs_reasons_which_are_published():
    answer, responder = answered_referral()
    commitment = services.check_add_commitment(by=responder, to=answer, draft=draft())
    with pytest.raises(ValidationError) as error:
        _update(commitment, responder, status=CommitmentStatus.NOT_DONE)
    assert "reasons" in error.value.message_dict
    _update(
        commitment,
        responder,
        status=CommitmentStatus.NOT_DONE,
        reasons="The bus company closed.",
    )
    commitment.refresh_from_db()
    assert commitment.status_reasons == "The bus company closed."
    assert commitment.completed_at is not None
    # Opened again: the reasons no longer apply.
    _update(commitment, responder, status=CommitmentStatus.IN_PROGRESS)
    commitment.refresh_from_db()
    assert commitment.status_reasons == "" and commitment.completed_at is None


def test_a_moved_due_date_keeps_the_old_one():
    answer, responder = answered_referral()
    commitment = services.check_add_commitment(by=responder, to=answer, draft=draft())
    old = commitment.due_date
    new = old + datetime.timedelta(days=30)
    update = _update(commitment, responder, due_date=new, note="The contract was delayed.")
    commitment.refresh_from_db()
    assert commitment.due_date == new
    assert (update.previous_due_date, update.due_date) == (old, new)
    entry = AuditEntry.objects.get(action="tracker.commitment_updated")
    assert "the due date moved from" in entry.summary


def test_a_new_due_date_must_be_in_the_future():
    answer, responder = answered_referral()
    commitment = services.check_add_commitment(by=responder, to=answer, draft=draft())
    with pytest.raises(ValidationError) as error:
        _update(commitment, responder, due_date=timezone.localdate())
    assert error.value.message_dict["due_date"] == ["The new due date must be in the future"]


def test_evidence_needs_a_title_and_a_web_address():
    answer, responder = answered_referral()
    commitment = services.check_add_commitment(by=responder, to=answer, draft=draft())
    with pytest.raises(ValidationError) as error:
        _update(commitment, responder, evidence_url="javascript:alert(1)")
    assert set(error.value.message_dict) == {"evidence_url", "evidence_title"}


def test_who_may_update_a_commitment():
    answer, responder = answered_referral()
    commitment = services.check_add_commitment(by=responder, to=answer, draft=draft())
    board_commitment = record_board_response().commitments.get()
    member, secretariat = board_member(), secretariat_member()
    assert services.speaks_as(responder, commitment) == icb().name
    assert services.speaks_as(secretariat, commitment) == "NHS Citizen secretariat"
    # Board members speak for NHS England, not for an ICB.
    assert services.speaks_as(member, commitment) is None
    assert services.speaks_as(member, board_commitment) == "NHS England Board"
    assert services.speaks_as(responder, board_commitment) is None
    assert services.speaks_as(make_user(next_email()), commitment) is None
    with pytest.raises(ValidationError, match="Only responders for"):
        _update(commitment, member)


# Telling people ----------------------------------------------------------------------------------


def test_everyone_behind_the_flag_is_told_of_each_change_once(
    django_capture_on_commit_callbacks, mailoutbox
):
    answer, responder = answered_referral()
    flag = answer.referral.flag
    supporter, follower, talker = (make_user(next_email(p)) for p in ("sup", "fol", "talk"))
    flag_services.do_support_flag(user=supporter, flag=flag)
    flag_services.do_follow_flag(user=follower, flag=flag)
    flag_services.check_add_comment(user=talker, flag=flag, body="This matters to me.")
    # Supporting, following and discussing at once is still one person.
    flag_services.do_follow_flag(user=supporter, flag=flag)
    flag_services.check_add_comment(user=supporter, flag=flag, body="Me too.")
    audience = {flag.raised_by_id, supporter.pk, follower.pk, talker.pk}
    mailoutbox.clear()
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        commitment = services.check_add_commitment(by=responder, to=answer, draft=draft())
    with django_capture_on_commit_callbacks(execute=True):
        _update(commitment, responder)
    with django_capture_on_commit_callbacks(execute=True):
        _update(commitment, responder, status=CommitmentStatus.DONE, note="Running since May.")
    by_subject: dict[str, list[int]] = {}
    for subject, user_id in Notification.objects.values_list("subject", "user_id"):
        by_subject.setdefault(subject, []).append(user_id)
    assert len(by_subject) == 3  # the new commitment and two updates
    for people in by_subject.values():
        assert sorted(people) == sorted(audience)
    # The person who raised the flag hears straight away; the people behind it get the three
    # in one daily summary (ADR 0031).
    assert len(mailoutbox) == 3
    assert {m.to[0] for m in mailoutbox} == {flag.raised_by.email}
    from nhs_citizen.notifications.services import do_send_digests

    do_send_digests("daily")
    summaries = mailoutbox[3:]
    assert sorted(m.to[0] for m in summaries) == sorted(
        u.email for u in (supporter, follower, talker)
    )
    assert all("update 2 (done)" in m.body for m in summaries)
    assert all("Running since May." in m.body for m in summaries)


def test_sending_an_update_twice_tells_nobody_twice(django_capture_on_commit_callbacks):
    from nhs_citizen.gather.services.notify import do_send_flag_update

    answer, responder = answered_referral()
    commitment = services.check_add_commitment(by=responder, to=answer, draft=draft())
    with django_capture_on_commit_callbacks(execute=True):
        _update(commitment, responder)
    told = Notification.objects.count()
    subject = Notification.objects.latest("pk").subject
    # The job runs again (a retry): nobody is told a second time.
    assert do_send_flag_update(commitment.flag_id, subject, "body") == 0
    assert Notification.objects.count() == told


def test_two_updates_on_the_same_day_are_two_messages(django_capture_on_commit_callbacks):
    answer, responder = answered_referral()
    commitment = services.check_add_commitment(by=responder, to=answer, draft=draft())
    raiser = answer.referral.flag.raised_by
    with django_capture_on_commit_callbacks(execute=True):
        _update(commitment, responder)
        _update(commitment, responder)
    assert Notification.objects.filter(user=raiser, subject__contains="update").count() == 2
    assert CommitmentUpdate.objects.count() == 2
