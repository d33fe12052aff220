"""Ballots arriving at the same moment, on SQLite (a file, in WAL mode) and PostgreSQL.

Many threads are released together by a barrier; each has its own database connection. The
number of threads is kept below PostgreSQL's connection limit; the 200 ballots are shared out
among them, so every thread keeps casting while the others do."""

from __future__ import annotations

import queue
import threading

import pytest
import time_machine
from django.db import connections
from django.utils import timezone

from nhs_citizen.assembly.models import Ballot
from nhs_citizen.assembly.services import vote as services
from nhs_citizen.assembly.tests.factories import (
    DAY,
    cut_off,
    make_cycle,
    open_vote,
    shortlisted_flag,
)
from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import AuditEntry
from nhs_citizen.core.services.audit import verify_audit_log

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 20


def _at_once(calls, threads=THREADS):
    """Run the calls on `threads` threads released together; return results and errors."""
    work: queue.Queue = queue.Queue()
    for call in calls:
        work.put(call)
    barrier = threading.Barrier(min(threads, len(calls)))
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            while True:
                try:
                    call = work.get_nowait()
                except queue.Empty:
                    return
                try:
                    results.append(call())
                except Exception as error:  # reported by the test
                    errors.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=run) for _ in range(min(threads, len(calls)))]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return results, errors


@pytest.fixture
def cycle():
    # Close to now, so the whole test runs with the real clock while the vote is open.
    now = timezone.now()
    cycle = make_cycle("Spring 2027", now - 2 * DAY, vote_opens=now - DAY, vote_closes=now + DAY)
    for n in range(8):
        shortlisted_flag(f"Flag {n}", cycle.flag_cutoff - (10 - n) * DAY)
    cut_off(cycle)
    return open_vote(cycle)


def _people(n):
    with time_machine.travel(timezone.now() - 30 * DAY, tick=False):
        return [make_user(f"voter{i}@example.com", display_name=f"Voter {i}") for i in range(n)]


def test_200_ballots_from_200_voters_at_once_are_each_counted_once(cycle):
    entries = list(cycle.entries.order_by("pk"))
    people = _people(200)
    choices = {p.pk: [entries[i % 8], entries[(i + 3) % 8]] for i, p in enumerate(people)}
    results, errors = _at_once(
        [
            (lambda p=p: services.check_cast_ballot(cycle=cycle, voter=p, entries=choices[p.pk]))
            for p in people
        ]
    )
    assert errors == []
    assert len(results) == 200
    assert Ballot.objects.filter(cycle=cycle).count() == 200
    assert set(Ballot.objects.values_list("version", flat=True)) == {1}
    tally = services.count_from_ballots(cycle)
    assert tally.ballots == 200
    assert sum(tally.votes.values()) == 400
    expected = {e.pk: 0 for e in entries}
    for chosen in choices.values():
        for entry in chosen:
            expected[entry.pk] += 1
    assert tally.votes == expected
    assert services.recount_from_audit(cycle) == tally
    assert AuditEntry.objects.filter(action="assembly.ballot_cast").count() == 200
    assert verify_audit_log() == []


def test_one_voter_changing_their_choice_at_once_keeps_exactly_their_last_choice(cycle):
    entries = list(cycle.entries.order_by("pk"))
    (person,) = _people(1)
    options = [[entries[i], entries[(i + 1) % 8]] for i in range(8)] + [[entries[0]], [entries[7]]]
    results, errors = _at_once(
        [
            (
                lambda chosen=chosen: services.check_cast_ballot(
                    cycle=cycle, voter=person, entries=chosen
                )
            )
            for chosen in options
        ],
        threads=len(options),
    )
    assert errors == []
    ballot = Ballot.objects.get(cycle=cycle, voter=person)
    assert ballot.version == len(options)
    logged = list(
        AuditEntry.objects.filter(action="assembly.ballot_cast")
        .order_by("sequence")
        .values_list("data", flat=True)
    )
    # Every change is logged, one version after another, and the row holds the last one.
    assert [d["version"] for d in logged] == list(range(1, len(options) + 1))
    assert {d["ballot"] for d in logged} == {ballot.pk}
    assert sorted(e.pk for e in ballot.entries.all()) == logged[-1]["entries"]
    assert services.recount_from_audit(cycle) == services.count_from_ballots(cycle)
    assert services.count_from_ballots(cycle).ballots == 1
    assert verify_audit_log() == []
