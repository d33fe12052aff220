"""The Assembly's pages cost the same number of queries with 5 and with 50 of everything: flags
in a cycle, voters, ballots and past cycles. Results and how many voted are stored when the vote
closes, never counted by a page."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from nhs_citizen.assembly.models import Cycle, Stage
from nhs_citizen.assembly.services import vote as vote_services
from nhs_citizen.assembly.tests.factories import (
    DAY,
    close_vote,
    cut_off,
    during_vote,
    make_cycle,
    open_vote,
    shortlisted_flag,
    voter,
)

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

HOUR = datetime.timedelta(hours=1)
MINUTE = datetime.timedelta(minutes=1)


def _voted_cycle(name: str, cutoff, n: int):
    """A cycle with n flags and n voters who each chose two of them."""
    cycle = make_cycle(name, cutoff)
    for i in range(n):
        shortlisted_flag(f"{name} flag {i}", cutoff - (n - i) * HOUR)
    cut_off(cycle)
    open_vote(cycle)
    entries = list(cycle.entries.order_by("pk"))
    people = [voter(cutoff - 10 * DAY) for _ in range(n)]
    with during_vote(cycle):
        for i, person in enumerate(people):
            vote_services.check_cast_ballot(
                cycle=cycle, voter=person, entries=[entries[i % n], entries[(i + 1) % n]]
            )
    cycle.refresh_from_db()
    return cycle, people


def _world(tag: str, n: int, days_back: int):
    """A closed cycle with results, a cycle whose vote is open now, and n finished cycles."""
    now = timezone.now()
    closed, _ = _voted_cycle(f"{tag} closed", now - days_back * DAY, n)
    close_vote(closed)
    voting, people = _voted_cycle(f"{tag} voting", now - 2 * DAY - days_back * MINUTE, n)
    for i in range(n):
        finished = make_cycle(f"{tag} finished {i}", now - (400 + days_back + i) * DAY)
        Cycle.objects.filter(pk=finished.pk).update(stage=Stage.STOCK_TAKE)
    return Cycle.objects.get(pk=closed.pk), voting, people[0]


def _queries(client, path: str) -> int:
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


def _measure(client, signed_in, closed, voting, person) -> dict[str, int]:
    counts = {
        "index": _queries(client, "/assembly/"),
        "past": _queries(client, "/assembly/past/"),
        "closed cycle": _queries(client, f"/assembly/{closed.slug}/"),
        "voting cycle": _queries(client, f"/assembly/{voting.slug}/"),
        "results file": _queries(client, f"/assembly/{closed.slug}/results.json"),
    }
    signed_in(person)
    counts["vote page, signed in"] = _queries(client, f"/assembly/{voting.slug}/vote/")
    counts["index, signed in"] = _queries(client, "/assembly/")
    client.logout()
    return counts


def test_the_assembly_pages_make_as_many_queries_with_50_of_everything_as_with_5(client, signed_in):
    small = _world("Small", 5, days_back=60)
    small_counts = _measure(client, signed_in, *small)
    # The small world's cycles finish; the large world's become the current ones.
    Cycle.objects.filter(pk__in=[small[0].pk, small[1].pk]).update(stage=Stage.STOCK_TAKE)
    large = _world("Large", 50, days_back=30)
    assert large[0].entries.count() == 50 and large[0].voters == 50
    assert large[1].ballots.count() == 50
    assert _measure(client, signed_in, *large) == small_counts
    page = client.get(f"/assembly/{large[0].slug}/").content.decode()
    assert "50 people voted" in page


def test_a_ballot_is_a_handful_of_queries_whatever_the_number_of_ballots():
    """Casting does not count the ballots: the 50th costs what the 1st did."""
    now = timezone.now()
    cycle, people = _voted_cycle("Spring", now - 2 * DAY, 3)
    entries = list(cycle.entries.order_by("pk"))
    more = [voter(cycle.flag_cutoff - 10 * DAY) for _ in range(50)]

    def cast(person, chosen):
        with CaptureQueriesContext(connection) as queries:
            vote_services.check_cast_ballot(cycle=cycle, voter=person, entries=chosen)
        return len(queries)

    first = cast(more[0], entries[:2])
    for person in more[1:-1]:
        vote_services.check_cast_ballot(cycle=cycle, voter=person, entries=entries[:1])
    assert cast(more[-1], entries[:2]) == first
    # Changing a ballot removes the earlier choice first: one statement more, no count.
    assert cast(more[-1], entries[1:]) == first + 1
    assert vote_services.recount_from_audit(cycle) == vote_services.count_from_ballots(cycle)
    assert cycle.ballots.count() == 53
