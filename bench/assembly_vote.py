"""Benchmark: the priority vote.

Makes a cycle in its vote with ENTRIES shortlisted flags and VOTERS eligible voters, then times,
in the same run:

- the baseline: a plain ORM insert of one row per voter (the cheapest possible "ballot");
- casting ballots through the real service (eligibility check, row locks, version, audit entry),
  one per voter, then CHANGES changed ballots;
- closing the vote: the count from the ballots, the recount from the audit log, and publishing.

Prints a table and writes the figures to bench/results/assembly_vote.json under the database's
name (sqlite or postgresql), keeping the other database's figures from an earlier run.

    .venv/bin/python bench/assembly_vote.py [--voters N] [--entries N] [--changes N]

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
    parser.add_argument("--voters", type=int, default=2000)
    parser.add_argument("--entries", type=int, default=15)
    parser.add_argument("--changes", type=int, default=500)
    args = parser.parse_args()

    with fresh_database() as vendor:
        figures = run(args.voters, args.entries, args.changes)
    database = vendor
    figures["database"] = database
    report(figures)
    out = ROOT / "bench" / "results" / "assembly_vote.json"
    results = json.loads(out.read_text()) if out.exists() else {}
    results[database] = figures
    out.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    print(f"\nWritten to {out.relative_to(ROOT)}")


def run(voters: int, entries: int, changes: int) -> dict:
    import time_machine
    from _vote_setup import make_voting_cycle
    from django.utils import timezone

    from nhs_citizen.assembly.models import Stage
    from nhs_citizen.assembly.services import stages, vote
    from nhs_citizen.notifications.models import Notification

    made = make_voting_cycle(voters, entries)
    cycle, people, shortlisted = made.cycle, made.voters, made.entries
    secretariat, now = made.secretariat, timezone.now()
    rng = random.Random(1)
    choices = [rng.sample(shortlisted, rng.randint(1, cycle.max_choices)) for _ in people]

    # Baseline: one plain row per voter.
    start = time.perf_counter()
    Notification.objects.bulk_create([])  # warm the connection
    for person in people:
        Notification.objects.create(user=person, subject="x", body="x")
    baseline = time.perf_counter() - start

    start = time.perf_counter()
    for person, choice in zip(people, choices, strict=True):
        vote.check_cast_ballot(cycle=cycle, voter=person, entries=choice)
    cast = time.perf_counter() - start

    start = time.perf_counter()
    for person in people[:changes]:
        vote.check_cast_ballot(
            cycle=cycle, voter=person, entries=rng.sample(shortlisted, cycle.max_choices)
        )
    changed = time.perf_counter() - start

    start = time.perf_counter()
    tally = vote.count_from_ballots(cycle)
    count_time = time.perf_counter() - start
    start = time.perf_counter()
    recount = vote.recount_from_audit(cycle)
    recount_time = time.perf_counter() - start
    with time_machine.travel(now + dt.timedelta(days=11), tick=False):
        start = time.perf_counter()
        stages.do_close_vote(cycle, secretariat)
        close_time = time.perf_counter() - start
    cycle.refresh_from_db()
    return {
        "voters": voters,
        "entries": entries,
        "changes": changes,
        "baseline_inserts_per_s": round(voters / baseline),
        "ballots_cast_per_s": round(voters / cast),
        "cast_cost_vs_baseline": round(baseline and cast / baseline, 1),
        "ballot_changes_per_s": round(changes / changed),
        "count_from_ballots_ms": round(count_time * 1000, 1),
        "recount_from_audit_ms": round(recount_time * 1000, 1),
        "close_vote_ms": round(close_time * 1000, 1),
        "recount_matches": tally == recount,
        "published": cycle.stage == Stage.VOTE_CLOSED,
    }


def report(f: dict) -> None:
    print(f"Priority vote on {f['database']}: {f['voters']} voters, {f['entries']} flags")
    rows = [
        ("Baseline: plain inserts per second", f["baseline_inserts_per_s"]),
        ("Ballots cast per second (service)", f["ballots_cast_per_s"]),
        ("Cost of a ballot against a plain insert", f"{f['cast_cost_vs_baseline']}x"),
        ("Ballot changes per second", f["ballot_changes_per_s"]),
        ("Count from ballots (ms)", f["count_from_ballots_ms"]),
        ("Recount from the audit log (ms)", f["recount_from_audit_ms"]),
        ("Close the vote: count, recount, publish (ms)", f["close_vote_ms"]),
        ("Recount matches the count", f["recount_matches"]),
    ]
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"  {label:<{width}}  {value}")


if __name__ == "__main__":
    main()
