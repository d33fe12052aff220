"""The tracker's stored figures: kept by the services, counted again by the daily job."""

import datetime

import pytest
import time_machine
from django.core.management import call_command

from nhs_citizen.tracker.models import BodyCommitmentSummary, CommitmentStatus, CommitmentTotals
from nhs_citizen.tracker.services import commitments as services
from nhs_citizen.tracker.services.summaries import current_totals, do_refresh_tracker_summaries
from nhs_citizen.tracker.tests.factories import answered_referral, draft, icb

pytestmark = pytest.mark.django_db

MADE = datetime.datetime(2027, 1, 4, 12, tzinfo=datetime.UTC)


@pytest.fixture
def two():
    with time_machine.travel(MADE, tick=False):
        answer, responder = answered_referral()
        soon = services.check_add_commitment(
            by=responder, to=answer, draft=draft("Run a shuttle bus", due_in_days=10)
        )
        later = services.check_add_commitment(
            by=responder, to=answer, draft=draft("Build a shelter", due_in_days=100)
        )
    return soon, later, responder


def test_the_services_keep_a_body_s_figures_as_its_commitments_change(two):
    soon, _later, responder = two
    summary = BodyCommitmentSummary.objects.get(organisation=icb())
    assert (summary.total, summary.open, summary.overdue, summary.done) == (2, 2, 0, 0)
    with time_machine.travel(MADE + datetime.timedelta(days=1), tick=False):
        services.check_update_commitment(
            by=responder, commitment=soon, status=CommitmentStatus.DONE, note="Running."
        )
    summary.refresh_from_db()
    assert (summary.total, summary.open, summary.done) == (2, 1, 1)
    totals = CommitmentTotals.objects.get()
    assert (totals.total, totals.done, totals.bodies) == (2, 1, 1)


def test_the_daily_job_counts_what_became_overdue_with_no_change_and_can_run_twice(two):
    with time_machine.travel(MADE + datetime.timedelta(days=30), tick=False):
        assert CommitmentTotals.objects.get().overdue == 0  # counted on the day they were made
        call_command("refresh_tracker_summaries", stdout=open("/dev/null", "w"))
        call_command("refresh_tracker_summaries", stdout=open("/dev/null", "w"))
        assert BodyCommitmentSummary.objects.get(organisation=icb()).overdue == 1
        assert CommitmentTotals.objects.get().overdue == 1
        assert BodyCommitmentSummary.objects.count() == 1


def test_a_page_finding_yesterday_s_figures_has_them_counted_again(two):
    with time_machine.travel(MADE + datetime.timedelta(days=30), tick=False):
        # Tests run jobs at once; in production the worker does it moments later.
        assert current_totals().overdue == 1
        assert CommitmentTotals.objects.get().as_of == (MADE + datetime.timedelta(days=30)).date()


def test_a_body_whose_commitments_are_gone_loses_its_row(two):
    BodyCommitmentSummary.objects.create(
        organisation=icb().__class__.objects.get(slug="nhs-england"),
        name="NHS England",
        total=3,
        as_of=MADE.date(),
    )
    do_refresh_tracker_summaries()
    assert list(BodyCommitmentSummary.objects.values_list("organisation", flat=True)) == [icb().pk]
