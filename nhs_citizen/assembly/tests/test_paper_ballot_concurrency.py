"""Paper ballots and online votes arriving at the same moment (ADR 0034), on SQLite (a file, in
WAL mode) and PostgreSQL: threads released together, each with its own connection."""

from __future__ import annotations

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from nhs_citizen.assembly.models import Ballot, PaperBallot, PaperStatus
from nhs_citizen.assembly.services import paper as paper_services
from nhs_citizen.assembly.services import vote as services
from nhs_citizen.assembly.tests.factories import DAY, secretariat
from nhs_citizen.assembly.tests.test_vote_concurrency import _at_once, cycle  # noqa: F401
from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import AuditEntry
from nhs_citizen.core.services.audit import verify_audit_log

pytestmark = pytest.mark.django_db(transaction=True)


def _early_people(n, tag):
    with time_machine.travel(timezone.now() - 30 * DAY, tick=False):
        return [make_user(f"{tag}{i}@example.com", display_name=f"{tag} {i}") for i in range(n)]


def test_a_paper_and_an_online_vote_for_the_same_people_at_once_never_both_count(cycle):  # noqa: F811
    entries = list(cycle.entries.order_by("pk"))
    sec = secretariat()
    people = _early_people(10, "both")
    calls = []
    for person in people:
        calls.append(
            lambda p=person: (
                "paper",
                paper_services.check_issue_paper(cycle=cycle, by=sec, voter=p),
            )
        )
        calls.append(
            lambda p=person: (
                "online",
                services.check_cast_ballot(cycle=cycle, voter=p, entries=entries[:1]),
            )
        )
    results, errors = _at_once(calls)
    assert all(isinstance(e, ValidationError) for e in errors), errors
    assert len(results) == 10 and len(errors) == 10
    for person in people:
        ballot = Ballot.objects.get(cycle=cycle, voter=person)
        papers = PaperBallot.objects.filter(cycle=cycle, voter=person)
        if ballot.on_paper:
            assert papers.count() == 1 and ballot.version == 0
        else:
            assert not papers.exists() and ballot.version == 1
    # The papers that went out are each entered; all are counted once, in both counts.
    for paper in PaperBallot.objects.filter(cycle=cycle):
        paper_services.check_enter_paper(
            cycle=cycle, number=paper.number, entries=entries[1:2], by=sec
        )
    tally = services.count_from_ballots(cycle)
    assert tally.ballots == 10 and tally == services.recount_from_audit(cycle)
    assert verify_audit_log() == []


def test_the_same_paper_typed_in_at_once_by_many_counts_once(cycle):  # noqa: F811
    entries = list(cycle.entries.order_by("pk"))
    sec = secretariat()
    (person,) = _early_people(1, "paper")
    paper = paper_services.check_issue_paper(cycle=cycle, by=sec, voter=person)
    results, errors = _at_once(
        [
            (
                lambda i=i: paper_services.check_enter_paper(
                    cycle=cycle, number=paper.number, entries=[entries[i]], by=sec
                )
            )
            for i in range(8)
        ],
        threads=8,
    )
    assert len(results) == 1 and len(errors) == 7, errors
    assert all(isinstance(e, ValidationError) for e in errors), errors
    assert all("has already been entered" in " ".join(e.messages) for e in errors)
    paper.refresh_from_db()
    assert paper.status == PaperStatus.RETURNED
    ballot = Ballot.objects.get(cycle=cycle, voter=person)
    assert ballot.version == 1 and ballot.entries.count() == 1
    assert AuditEntry.objects.filter(action="assembly.ballot_cast").count() == 1
    assert services.count_from_ballots(cycle) == services.recount_from_audit(cycle)
    assert verify_audit_log() == []
