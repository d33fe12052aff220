"""The demo's paper ballots (ADR 0034): in the past cycle's published count and recount, and
some still out in the cycle whose vote is open."""

import pytest
from django.core.management import call_command

from nhs_citizen.assembly.models import Cycle, PaperStatus
from nhs_citizen.assembly.services import vote
from nhs_citizen.nonprod.seed_assembly import CURRENT, PAST

pytestmark = pytest.mark.django_db


def test_the_demo_has_paper_ballots_counted_in_the_past_cycle_and_out_in_the_current_one():
    call_command("seed_demo_data")
    past = Cycle.objects.get(name=PAST)
    assert past.paper_voters == 4 and past.recount_matches
    assert vote.count_from_ballots(past) == vote.recount_from_audit(past)
    assert vote.count_from_ballots(past).paper == 4
    statuses = list(past.papers.values_list("status", flat=True))
    assert statuses.count(PaperStatus.RETURNED) == 4
    assert statuses.count(PaperStatus.CANCELLED) == 1
    assert statuses.count(PaperStatus.ISSUED) == 2
    current = Cycle.objects.get(name=CURRENT)
    assert current.papers.filter(status=PaperStatus.RETURNED).count() == 1
    assert current.papers.filter(status=PaperStatus.ISSUED).count() == 2
