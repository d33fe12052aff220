"""Benchmark: paper ballots in the priority vote (ADR 0034).

Makes a cycle in its vote with VOTERS eligible account holders, then, in one run:

- ONLINE of them vote online through the real service;
- the secretariat issues a paper to each of the others, and types each paper in;
- every paper is typed in a second time, and a paper is tried for every online voter, and an
  online vote for every paper voter: all must be refused, with nothing changed;
- the vote is closed: the count from the ballots must match the recount from the audit log,
  paper votes included.

Prints a table and writes the figures to bench/results/paper_ballots.json under the database's
name (sqlite or postgresql).

    .venv/bin/python bench/paper_ballots.py [--voters N] [--online N] [--entries N]

Runs against a fresh temporary SQLite database, or, when DATABASE_URL is set, a throwaway test
database on that server.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _fresh_db import fresh_database  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--voters", type=int, default=1000)
    parser.add_argument("--online", type=int, default=700)
    parser.add_argument("--entries", type=int, default=15)
    args = parser.parse_args()

    with fresh_database() as vendor:
        figures = run(args.voters, args.online, args.entries)
    database = vendor
    figures["database"] = database
    report(figures)
    out = ROOT / "bench" / "results" / "paper_ballots.json"
    results = json.loads(out.read_text()) if out.exists() else {}
    results[database] = figures
    out.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    print(f"\nWritten to {out.relative_to(ROOT)}")


def _refused(call) -> bool:
    from django.core.exceptions import ValidationError

    try:
        call()
    except ValidationError:
        return True
    return False


def run(voters: int, online: int, entries: int) -> dict:
    import time_machine
    from _vote_setup import make_voting_cycle
    from django.utils import timezone

    from nhs_citizen.assembly.models import Ballot, Cycle
    from nhs_citizen.assembly.services import paper, stages, vote
    from nhs_citizen.core.models import AuditEntry

    made = make_voting_cycle(voters, entries, slug="bench-paper")
    cycle, people, shortlisted = made.cycle, made.voters, made.entries
    secretariat, now = made.secretariat, timezone.now()
    rng = random.Random(1)
    choices = [rng.sample(shortlisted, rng.randint(1, cycle.max_choices)) for _ in people]
    on_line, on_paper = people[:online], people[online:]

    start = time.perf_counter()
    for person, choice in zip(on_line, choices, strict=False):
        vote.check_cast_ballot(cycle=cycle, voter=person, entries=choice)
    cast = time.perf_counter() - start

    start = time.perf_counter()
    papers = [paper.check_issue_paper(cycle=cycle, by=secretariat, voter=p) for p in on_paper]
    issued = time.perf_counter() - start

    start = time.perf_counter()
    for sent, choice in zip(papers, choices[online:], strict=True):
        paper.check_enter_paper(cycle=cycle, number=sent.number, entries=choice, by=secretariat)
    entered = time.perf_counter() - start

    before = (
        AuditEntry.objects.count(),
        sorted(Ballot.objects.values_list("pk", "version")),
    )
    start = time.perf_counter()
    twice = sum(
        _refused(
            lambda s=s: paper.check_enter_paper(
                cycle=cycle, number=s.number, entries=shortlisted[:1], by=secretariat
            )
        )
        for s in papers
    )
    refused_time = time.perf_counter() - start
    paper_after_online = sum(
        _refused(lambda p=p: paper.check_issue_paper(cycle=cycle, by=secretariat, voter=p))
        for p in on_line
    )
    online_after_paper = sum(
        _refused(lambda p=p: vote.check_cast_ballot(cycle=cycle, voter=p, entries=shortlisted[:1]))
        for p in on_paper
    )
    unchanged = before == (
        AuditEntry.objects.count(),
        sorted(Ballot.objects.values_list("pk", "version")),
    )

    tally = vote.count_from_ballots(cycle)
    recount = vote.recount_from_audit(cycle)
    with time_machine.travel(now + dt.timedelta(days=11), tick=False):
        start = time.perf_counter()
        stages.do_close_vote(cycle, secretariat)
        close_time = time.perf_counter() - start
    cycle = Cycle.objects.get(pk=cycle.pk)
    n_paper = len(on_paper)
    return {
        "voters": voters,
        "online": online,
        "paper": n_paper,
        "online_ballots_per_s": round(online / cast),
        "papers_issued_per_s": round(n_paper / issued),
        "papers_entered_per_s": round(n_paper / entered),
        "second_entries_refused": f"{twice} of {n_paper}",
        "second_entry_refusal_ms_mean": round(refused_time * 1000 / max(n_paper, 1), 2),
        "papers_refused_to_online_voters": f"{paper_after_online} of {online}",
        "online_votes_refused_to_paper_voters": f"{online_after_paper} of {n_paper}",
        "nothing_changed_by_refusals": unchanged,
        "count_ballots": tally.ballots,
        "count_paper": tally.paper,
        "recount_matches": tally == recount,
        "published_paper_voters": cycle.paper_voters,
        "published_voters": cycle.voters,
        "close_vote_ms": round(close_time * 1000, 1),
    }


def report(f: dict) -> None:
    print(
        f"Paper ballots on {f['database']}: {f['voters']} voters, {f['online']} online, "
        f"{f['paper']} on paper"
    )
    rows = [
        ("Online ballots per second", f["online_ballots_per_s"]),
        ("Papers issued per second", f["papers_issued_per_s"]),
        ("Papers typed in per second", f["papers_entered_per_s"]),
        ("Papers typed in twice, refused", f["second_entries_refused"]),
        ("Paper refused to an online voter", f["papers_refused_to_online_voters"]),
        ("Online vote refused to a paper voter", f["online_votes_refused_to_paper_voters"]),
        ("Nothing changed by the refusals", f["nothing_changed_by_refusals"]),
        ("Counted ballots (of which paper)", f"{f['count_ballots']} ({f['count_paper']})"),
        ("Recount from the audit log matches", f["recount_matches"]),
        (
            "Published voters (of which paper)",
            f"{f['published_voters']} ({f['published_paper_voters']})",
        ),
        ("Close the vote (ms)", f["close_vote_ms"]),
    ]
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"  {label:<{width}}  {value}")


if __name__ == "__main__":
    main()
