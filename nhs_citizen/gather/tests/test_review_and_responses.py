from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from nhs_citizen.conftest import make_user
from nhs_citizen.core.dates import when_words
from nhs_citizen.core.models import AuditEntry, Organisation
from nhs_citizen.gather.models import Decision, FlagStatus, Outcome, Referral, ReferralStatus
from nhs_citizen.gather.services import flags as flag_services
from nhs_citizen.gather.services import responses, review
from nhs_citizen.gather.tests.factories import next_email, raise_flag, responder_for
from nhs_citizen.gather.working_days import add_working_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer(db):
    return make_user(next_email("reviewer"), roles=("review_panel",))


@pytest.fixture
def flag_in_review(db):
    flag = raise_flag()
    flag_services.check_put_forward(
        curator=make_user(next_email(), roles=("curator",)), flag=flag, reason="Now"
    )
    flag.refresh_from_db()
    return flag


def _refer(reviewer, flag, organisation):
    return review.check_record_decision(
        reviewer=reviewer,
        flag=flag,
        decision=Decision.REFER,
        is_national=False,
        within_remit=False,
        reasons="Local to West Yorkshire",
        organisation=organisation,
    )


def test_shortlisting_needs_a_national_flag_within_remit(reviewer, flag_in_review):
    with pytest.raises(ValidationError, match="national and within NHS England's remit"):
        review.check_record_decision(
            reviewer=reviewer,
            flag=flag_in_review,
            decision=Decision.SHORTLIST,
            is_national=True,
            within_remit=False,
            reasons="x",
        )
    review.check_record_decision(
        reviewer=reviewer,
        flag=flag_in_review,
        decision=Decision.SHORTLIST,
        is_national=True,
        within_remit=True,
        reasons="National",
    )
    flag_in_review.refresh_from_db()
    assert flag_in_review.status == FlagStatus.SHORTLISTED
    entry = AuditEntry.objects.get(action="gather.review_shortlist")
    assert entry.is_public and entry.reason == "National" and entry.data["is_national"] is True


def test_referring_sets_a_due_date_of_20_working_days(
    reviewer, flag_in_review, django_capture_on_commit_callbacks
):
    icb = Organisation.objects.get(type="icb", code="QWO")
    with django_capture_on_commit_callbacks(execute=True):
        _refer(reviewer, flag_in_review, icb)
    # The message says so in a sentence-case subject, and the date in words.
    told = flag_in_review.raised_by.notifications.get(subject__startswith="A flag you care")
    assert told.subject == f"A flag you care about is sent to {icb.name} to answer"
    due = when_words(add_working_days(timezone.localdate(), 20))
    assert f"They must answer in public by {due}." in told.body
    referral = Referral.objects.get(flag=flag_in_review)
    assert referral.organisation == icb
    assert referral.due_date == add_working_days(timezone.localdate(), 20)
    flag_in_review.refresh_from_db()
    assert flag_in_review.status == FlagStatus.REFERRED


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"decision": Decision.REFER, "organisation": None}, "organisation"),
        ({"decision": Decision.CLOSE, "reasons": ""}, "reasons"),
        ({"decision": "vanish"}, "decision"),
    ],
)
def test_incomplete_decisions_are_refused_and_change_nothing(
    reviewer, flag_in_review, kwargs, field
):
    base = {"is_national": False, "within_remit": False, "reasons": "Because"}
    with pytest.raises(ValidationError) as error:
        review.check_record_decision(reviewer=reviewer, flag=flag_in_review, **{**base, **kwargs})
    assert field in error.value.error_dict
    flag_in_review.refresh_from_db()
    assert flag_in_review.status == FlagStatus.IN_REVIEW


def test_a_charity_cannot_be_asked_to_answer(reviewer, flag_in_review):
    charity = Organisation.objects.create(name="A charity", slug="a-charity", type="charity")
    with pytest.raises(ValidationError, match="NHS or public body"):
        _refer(reviewer, flag_in_review, charity)


def test_a_flag_not_in_review_cannot_be_decided(reviewer):
    flag = raise_flag()
    with pytest.raises(ValidationError, match="not waiting for a review decision"):
        review.check_record_decision(
            reviewer=reviewer,
            flag=flag,
            decision=Decision.CLOSE,
            is_national=False,
            within_remit=False,
            reasons="x",
        )


def test_closing_publishes_the_reason(reviewer, flag_in_review):
    review.check_record_decision(
        reviewer=reviewer,
        flag=flag_in_review,
        decision=Decision.CLOSE,
        is_national=False,
        within_remit=False,
        reasons="Already being done",
    )
    flag_in_review.refresh_from_db()
    assert (
        flag_in_review.status == FlagStatus.CLOSED
        and flag_in_review.closed_reason == "Already being done"
    )


def test_the_responder_answers_and_everyone_involved_is_told(
    reviewer, flag_in_review, django_capture_on_commit_callbacks
):
    icb = Organisation.objects.get(type="icb", code="QWO")
    supporter = make_user(next_email("supporter"))
    flag_services.do_support_flag(user=supporter, flag=flag_in_review)
    _refer(reviewer, flag_in_review, icb)
    responder = responder_for(icb)
    referral = Referral.objects.get(flag=flag_in_review)
    with django_capture_on_commit_callbacks(execute=True):
        response = responses.check_respond(
            responder=responder,
            referral=referral,
            outcome=Outcome.WILL_ACT,
            reasons="We will fund it",
        )
    assert response.on_time
    flag_in_review.refresh_from_db()
    assert flag_in_review.status == FlagStatus.ANSWERED
    assert supporter.notifications.filter(subject__contains="has answered").exists()
    assert flag_in_review.raised_by.notifications.filter(subject__contains="has answered").exists()
    with pytest.raises(ValidationError, match="already been answered"):
        responses.check_respond(
            responder=responder, referral=referral, outcome=Outcome.WILL_ACT, reasons="Again"
        )


def test_a_responder_cannot_answer_for_another_body(reviewer, flag_in_review):
    icb = Organisation.objects.get(type="icb", code="QWO")
    other = Organisation.objects.get(type="icb", code="QMJ")
    _refer(reviewer, flag_in_review, icb)
    outsider = responder_for(other)
    referral = Referral.objects.get(flag=flag_in_review)
    with pytest.raises(ValidationError, match="organisation you answer for"):
        responses.check_respond(
            responder=outsider, referral=referral, outcome=Outcome.WILL_ACT, reasons="x"
        )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.AWAITING


def test_not_ours_must_name_who_is_responsible_and_passes_the_flag_on(reviewer, flag_in_review):
    icb = Organisation.objects.get(type="icb", code="QWO")
    council = Organisation.objects.create(
        name="Leeds City Council", slug="leeds-city-council", type="local_authority"
    )
    _refer(reviewer, flag_in_review, icb)
    responder = responder_for(icb)
    referral = Referral.objects.get(flag=flag_in_review)
    with pytest.raises(ValidationError) as error:
        responses.check_respond(
            responder=responder,
            referral=referral,
            outcome=Outcome.NOT_OURS,
            reasons="Council's job",
        )
    assert "responsible_organisation" in error.value.error_dict
    responses.check_respond(
        responder=responder,
        referral=referral,
        outcome=Outcome.NOT_OURS,
        reasons="Council's job",
        responsible_organisation=council,
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PASSED_ON
    passed = Referral.objects.get(flag=flag_in_review, organisation=council)
    assert passed.status == ReferralStatus.AWAITING and passed.passed_on_from == referral
    flag_in_review.refresh_from_db()
    assert flag_in_review.status == FlagStatus.REFERRED


def test_a_late_answer_is_marked_late_and_an_unanswered_one_is_overdue(reviewer, flag_in_review):
    icb = Organisation.objects.get(type="icb", code="QWO")
    _refer(reviewer, flag_in_review, icb)
    referral = Referral.objects.get(flag=flag_in_review)
    later = referral.due_date + timedelta(days=3)
    assert referral.is_overdue(later)
    assert Referral.objects.overdue(later).filter(pk=referral.pk).exists()
    responder = responder_for(icb)
    with time_machine.travel(
        timezone.datetime(
            later.year, later.month, later.day, 12, tzinfo=timezone.get_current_timezone()
        )
    ):
        response = responses.check_respond(
            responder=responder, referral=referral, outcome=Outcome.IN_PART, reasons="Partly"
        )
    assert response.on_time is False
