"""Withdrawing a commitment: with a public reason, audited, shown on the commitment, the flag
and the tracker as "Withdrawn: <reason>", never deleted; no longer open or overdue in any
figure."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import AuditEntry
from nhs_citizen.culture.services.measures import load_measures
from nhs_citizen.gather.tests.factories import next_email, responder_for
from nhs_citizen.notifications.models import Notification
from nhs_citizen.tracker import queries
from nhs_citizen.tracker.models import (
    BodyCommitmentSummary,
    Commitment,
    CommitmentStatus,
    CommitmentTotals,
    CommitmentUpdate,
)
from nhs_citizen.tracker.services import commitments as services
from nhs_citizen.tracker.services import summaries
from nhs_citizen.tracker.tests.factories import (
    answered_referral,
    draft,
    icb,
    secretariat_member,
)

pytestmark = pytest.mark.django_db

REASON = "It was added to the wrong flag. The bus is on the commitment to Airedale instead."


def _commitment(days=90):
    answer, responder = answered_referral()
    commitment = services.check_add_commitment(by=responder, to=answer, draft=draft())
    return commitment, responder


def _make_overdue(commitment, days=10):
    Commitment.objects.filter(pk=commitment.pk).update(
        due_date=timezone.localdate() - datetime.timedelta(days=days)
    )
    commitment.refresh_from_db()
    summaries.do_refresh_tracker_summaries()


def test_withdrawing_keeps_the_commitment_with_its_reason_and_audits_it(
    django_capture_on_commit_callbacks,
):
    commitment, responder = _commitment()
    with django_capture_on_commit_callbacks(execute=True):
        update = services.check_withdraw_commitment(
            by=responder, commitment=commitment, reason=REASON
        )
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.WITHDRAWN
    assert commitment.withdrawn_reason == REASON
    assert commitment.withdrawn_by == responder
    assert commitment.withdrawn_at is not None
    assert commitment.finished  # the database no longer counts it as open
    assert update.status == CommitmentStatus.WITHDRAWN
    assert update.previous_status == CommitmentStatus.NOT_STARTED
    assert update.note == REASON
    assert update.posted_as == icb().name
    entry = AuditEntry.objects.get(action="tracker.commitment_withdrawn")
    assert entry.is_public
    assert entry.reason == REASON
    assert entry.target_id == str(commitment.flag_id)
    assert entry.data["commitment_id"] == commitment.pk
    told = Notification.objects.get(subject__contains="withdrawn")
    assert told.user == commitment.flag.raised_by
    assert REASON in told.body


@pytest.mark.parametrize(
    "reason, message",
    [
        ("", "Enter why the commitment is withdrawn. It will be published"),
        ("   ", "Enter why the commitment is withdrawn. It will be published"),
        ("x" * 3001, "The reason must be 3,000 characters or fewer"),
    ],
)
def test_a_reason_is_needed_and_nothing_changes_without_one(reason, message):
    commitment, responder = _commitment()
    with pytest.raises(ValidationError) as caught:
        services.check_withdraw_commitment(by=responder, commitment=commitment, reason=reason)
    assert caught.value.message_dict == {"reason": [message]}
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.NOT_STARTED
    assert not CommitmentUpdate.objects.exists()
    assert not AuditEntry.objects.filter(action="tracker.commitment_withdrawn").exists()


def test_only_the_body_and_the_secretariat_can_withdraw():
    commitment, _ = _commitment()
    stranger = responder_for(services.nhs_england())
    citizen = make_user(next_email())
    for person in (stranger, citizen):
        with pytest.raises(ValidationError):
            services.check_withdraw_commitment(by=person, commitment=commitment, reason=REASON)
    services.check_withdraw_commitment(
        by=secretariat_member(), commitment=commitment, reason=REASON
    )
    assert CommitmentUpdate.objects.get().posted_as == services.SECRETARIAT


def test_once_withdrawn_it_cannot_be_withdrawn_again_or_updated():
    commitment, responder = _commitment()
    services.check_withdraw_commitment(by=responder, commitment=commitment, reason=REASON)
    with pytest.raises(ValidationError, match="already been withdrawn"):
        services.check_withdraw_commitment(by=responder, commitment=commitment, reason=REASON)
    commitment.refresh_from_db()
    with pytest.raises(ValidationError, match="has been withdrawn"):
        services.check_update_commitment(
            by=responder, commitment=commitment, status=CommitmentStatus.IN_PROGRESS, note="Go"
        )
    assert CommitmentUpdate.objects.count() == 1


def test_a_commitment_that_is_done_stays_on_the_record():
    commitment, responder = _commitment()
    services.check_update_commitment(
        by=responder, commitment=commitment, status=CommitmentStatus.DONE, note="Running."
    )
    commitment.refresh_from_db()
    with pytest.raises(ValidationError, match="not finished can be withdrawn"):
        services.check_withdraw_commitment(by=responder, commitment=commitment, reason=REASON)
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.DONE


def test_an_update_cannot_set_withdrawn_without_a_reason():
    commitment, responder = _commitment()
    with pytest.raises(ValidationError) as caught:
        services.check_update_commitment(
            by=responder, commitment=commitment, status=CommitmentStatus.WITHDRAWN, note="Gone"
        )
    assert "status" in caught.value.message_dict
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.NOT_STARTED


def test_a_withdrawn_commitment_is_not_open_or_overdue_in_any_figure():
    commitment, responder = _commitment()
    kept, _ = _commitment()
    _make_overdue(commitment)
    _make_overdue(kept)
    body = BodyCommitmentSummary.objects.get(organisation=icb())
    assert (body.total, body.open, body.overdue, body.withdrawn) == (2, 2, 2, 0)

    services.check_withdraw_commitment(by=responder, commitment=commitment, reason=REASON)
    # Kept up to date by the service...
    body.refresh_from_db()
    assert (body.total, body.open, body.overdue, body.withdrawn) == (2, 1, 1, 1)
    totals = CommitmentTotals.objects.get()
    assert (totals.open, totals.overdue, totals.withdrawn) == (1, 1, 1)
    # ...and by the daily recount.
    summaries.do_refresh_tracker_summaries()
    body.refresh_from_db()
    assert (body.total, body.open, body.overdue, body.withdrawn) == (2, 1, 1, 1)
    # The queryset rules, the tracker's lists and the culture measures agree.
    assert list(Commitment.objects.overdue()) == [kept]
    assert list(Commitment.objects.open()) == [kept]
    today = timezone.localdate()
    overdue = queries.filter_by_status(queries.commitments(today), "overdue", today)
    assert list(overdue) == [kept]
    assert list(queries.filter_by_status(queries.commitments(today), "open", today)) == [kept]
    assert list(queries.filter_by_status(queries.commitments(today), "withdrawn", today)) == [
        commitment
    ]
    # Withdrawn ones come after the open ones in the tracker's order.
    assert list(queries.commitments(today)) == [kept, commitment]
    (measures,) = [m for m in load_measures() if m.body.id == icb().pk]
    assert measures.commitments.open == 1
    assert measures.commitments.overdue == 1
    assert measures.commitments.kept == 0
    assert measures.commitments.not_done == 0


# Pages ---------------------------------------------------------------------------------------


def test_the_withdraw_page_withdraws_with_a_reason(client, signed_in):
    commitment, responder = _commitment()
    signed_in(responder)
    detail = client.get(commitment.get_absolute_url()).content.decode()
    url = reverse("tracker:withdraw_commitment", args=[commitment.pk])
    assert url in detail
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 200
    assert empty.context["form"].errors == {
        "reason": ["Enter why the commitment is withdrawn. It will be published"]
    }
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.NOT_STARTED
    done = client.post(url, {"reason": REASON})
    assert done["Location"] == commitment.get_absolute_url()
    page = client.get(commitment.get_absolute_url()).content.decode()
    assert f"Withdrawn: {REASON}" in page.replace("&#39;", "'")
    assert url not in page  # cannot be withdrawn twice
    assert reverse("tracker:update_commitment", args=[commitment.pk]) not in page
    # Updating a withdrawn commitment goes back to it, with a message, and changes nothing.
    again = client.post(
        reverse("tracker:update_commitment", args=[commitment.pk]),
        {"status": "in_progress", "note": "Started"},
    )
    assert again.status_code == 302
    assert CommitmentUpdate.objects.count() == 1


def test_withdrawn_shows_on_the_tracker_list_and_the_flag(client):
    commitment, responder = _commitment()
    services.check_withdraw_commitment(by=responder, commitment=commitment, reason=REASON)
    listed = client.get(reverse("tracker:index") + "?status=withdrawn").content.decode()
    assert commitment.what in listed
    assert "Withdrawn: It was added to the wrong flag" in listed
    flag_page = client.get(commitment.flag.get_absolute_url()).content.decode()
    assert f"Withdrawn: {REASON}" in flag_page
    body = client.get(reverse("tracker:body_detail", args=[icb().slug])).content.decode()
    assert "1 withdrawn" in body


def test_people_who_may_not_withdraw_are_refused(client, signed_in):
    commitment, _ = _commitment()
    url = reverse("tracker:withdraw_commitment", args=[commitment.pk])
    assert client.get(url).status_code == 302  # sign in first
    signed_in(make_user(next_email()))
    assert client.post(url, {"reason": REASON}).status_code == 403
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.NOT_STARTED
