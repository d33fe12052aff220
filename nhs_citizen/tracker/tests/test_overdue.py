"""When a commitment is overdue, and how its status is said, as the days go by."""

import datetime

import pytest
import time_machine

from nhs_citizen.tracker.models import Commitment, CommitmentStatus
from nhs_citizen.tracker.presenters import status_of
from nhs_citizen.tracker.queries import commitments
from nhs_citizen.tracker.services import commitments as services
from nhs_citizen.tracker.services.summaries import current_totals
from nhs_citizen.tracker.tests.factories import answered_referral, draft

pytestmark = pytest.mark.django_db

MADE = datetime.datetime(2027, 1, 4, 9, tzinfo=datetime.UTC)  # a Monday


@pytest.fixture
def commitment():
    with time_machine.travel(MADE, tick=False):
        answer, responder = answered_referral()
        made = services.check_add_commitment(
            by=responder, to=answer, draft=draft("Run a shuttle bus", due_in_days=10)
        )
    made.responder = responder
    return made  # due on 14 January 2027


@pytest.mark.parametrize(
    ("day", "overdue", "words"),
    [
        (datetime.date(2027, 1, 4), False, "Due in 10 days, on 14 January 2027"),
        (datetime.date(2027, 1, 13), False, "Due in 1 day, on 14 January 2027"),
        (datetime.date(2027, 1, 14), False, "Due today, on 14 January 2027"),
        (datetime.date(2027, 1, 15), True, "1 day overdue: it was due on 14 January 2027"),
        (datetime.date(2027, 3, 15), True, "60 days overdue: it was due on 14 January 2027"),
    ],
)
def test_a_commitment_is_overdue_from_the_day_after_it_was_due(commitment, day, overdue, words):
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(12)), tick=False):
        assert commitment.is_overdue() is overdue
        status = status_of(commitment)
        assert status.overdue is overdue
        assert status.detail == words
        assert status.colour == ("red" if overdue else "grey")
        assert Commitment.objects.overdue().exists() is overdue
        # The stored figures are counted again on a new day.
        assert current_totals().overdue == (1 if overdue else 0)
        assert commitments().get().rank == (0 if overdue else 1)


def test_a_finished_commitment_is_never_overdue(commitment):
    with time_machine.travel(datetime.datetime(2027, 1, 20, 12, tzinfo=datetime.UTC), tick=False):
        services.check_update_commitment(
            by=commitment.responder,
            commitment=commitment,
            status=CommitmentStatus.DONE,
            note="Running since Monday.",
        )
    with time_machine.travel(datetime.datetime(2027, 6, 1, 12, tzinfo=datetime.UTC), tick=False):
        commitment.refresh_from_db()
        assert not commitment.is_overdue()
        status = status_of(commitment)
        assert (status.words, status.colour) == ("Done", "green")
        assert status.detail == "Done on 20 January 2027, 6 days after it was due"
        assert commitments().get().rank == 2


def test_moving_the_due_date_ends_the_overdue_days_but_keeps_the_old_date(commitment):
    with time_machine.travel(datetime.datetime(2027, 1, 20, 12, tzinfo=datetime.UTC), tick=False):
        assert commitment.is_overdue()
        services.check_update_commitment(
            by=commitment.responder,
            commitment=commitment,
            status=CommitmentStatus.IN_PROGRESS,
            note="The bus company needs a month.",
            due_date=datetime.date(2027, 2, 20),
        )
        row = commitments().get()
        assert row.rank == 1
        assert row.original_due_date == datetime.date(2027, 1, 14)
    with time_machine.travel(datetime.datetime(2027, 2, 22, 12, tzinfo=datetime.UTC), tick=False):
        assert status_of(commitments().get()).days_overdue == 2
