"""Migration 0004 makes the database's ``finished`` and ``list_key`` columns again (a withdrawn
commitment counts with the finished ones): existing commitments keep their values."""

import datetime

import pytest
from django.utils import timezone

from nhs_citizen.tests.migrations import migrate_to

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

BEFORE = [("tracker", "0003_scale_sort_keys_and_summaries")]
AFTER = [("tracker", "0004_commitment_withdrawal")]


def test_existing_commitments_keep_their_order_and_can_be_withdrawn(back_to_the_latest):
    old = migrate_to(BEFORE)
    User = old.get_model("accounts", "User")
    Organisation = old.get_model("core", "Organisation")
    Call = old.get_model("gather", "CallForViews")
    Commitment = old.get_model("tracker", "Commitment")
    user = User.objects.create(email="old@example.com")
    body = Organisation.objects.get(type="icb", code="QWO")
    call = Call.objects.create(
        organisation=body,
        opened_by=user,
        title="GP opening hours",
        background="Later opening.",
        closes_on=datetime.date(2026, 1, 1),
        outcome_published_at=timezone.now(),
    )
    due = datetime.date(2027, 3, 31)
    days = (due - datetime.date(1970, 1, 1)).days
    ids = {}
    for status in ("in_progress", "done"):
        ids[status] = Commitment.objects.create(
            what=status,
            organisation=body,
            owner="Primary care team",
            due_date=due,
            status=status,
            call_for_views=call,
            created_by=user,
        ).pk

    new = migrate_to(AFTER)
    Commitment = new.get_model("tracker", "Commitment")
    rows = {c.pk: (c.finished, c.list_key) for c in Commitment.objects.all()}
    assert rows[ids["in_progress"]] == (False, days)
    assert rows[ids["done"]] == (True, days + 1_000_000)
    Commitment.objects.filter(pk=ids["in_progress"]).update(
        status="withdrawn", withdrawn_reason="Made by mistake"
    )
    withdrawn = Commitment.objects.get(pk=ids["in_progress"])
    assert (withdrawn.finished, withdrawn.list_key) == (True, days + 1_000_000)
