"""Benchmark: the culture-change league table on synthetic data.

Makes BODIES organisations, REFERRALS referred flags (about three in four answered, some late,
some passed on) and COMMITMENTS commitments, then times, in the same run:

- the baseline: a plain COUNT(*) over each of the same three tables (referrals, answers,
  commitments);
- the league table's measures (three queries, two of them aggregates, and the ranking), for all time and for
  the last 12 months;
- the whole league-table page, rendered by Django's test client.

Prints a table and writes the figures to bench/results/culture.json, under the database's name
(sqlite or postgresql), keeping the other database's figures from an earlier run.

    .venv/bin/python bench/culture.py [--bodies N] [--referrals N] [--commitments N] [--repeat N]

Runs against a fresh temporary SQLite database, or, when DATABASE_URL is set, a throwaway test
database made by Django's test runner utilities on that server.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _fresh_db import fresh_database  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bodies", type=int, default=200)
    parser.add_argument("--referrals", type=int, default=20_000)
    parser.add_argument("--commitments", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    with fresh_database() as vendor:
        make_data(args.bodies, args.referrals, args.commitments)
        results = run(args.repeat)
    results = {
        "database": vendor,
        "bodies": args.bodies,
        "referrals": args.referrals,
        "commitments": args.commitments,
        "repeats": args.repeat,
        **results,
    }
    print_table(results)
    out = ROOT / "bench" / "results" / "culture.json"
    saved = json.loads(out.read_text()) if out.exists() else {}
    saved[vendor] = results
    out.write_text(json.dumps(saved, indent=2, sort_keys=True) + "\n")
    print(f"\nWritten to {out.relative_to(ROOT)}")


def make_data(n_bodies: int, n_referrals: int, n_commitments: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from nhs_citizen.accounts.models import User
    from nhs_citizen.core.models import Organisation, OrganisationType, Topic
    from nhs_citizen.gather.models import (
        CallForViews,
        Flag,
        Outcome,
        Referral,
        ReferralStatus,
        Response,
    )
    from nhs_citizen.tracker.models import Commitment, CommitmentStatus

    rng = random.Random(2026)
    now = timezone.now()
    today = timezone.localdate()
    kinds = [
        OrganisationType.ICB,
        OrganisationType.NHS_TRUST,
        OrganisationType.LOCAL_AUTHORITY,
        OrganisationType.NATIONAL_BODY,
    ]
    with transaction.atomic():
        staff = User.objects.create_user(email="bench@example.com", display_name="Bench")
        topic = Topic.objects.first()
        bodies = Organisation.objects.bulk_create(
            Organisation(name=f"Bench body {i}", slug=f"bench-body-{i}", type=kinds[i % 4])
            for i in range(n_bodies)
        )
        # Some bodies answer well and some badly, so the ranking has work to do.
        promptness = {b.pk: rng.random() for b in bodies}
        flags = Flag.objects.bulk_create(
            Flag(
                title=f"Bench flag {i}",
                what_should_change="x",
                why="y",
                topic=topic,
                raised_by=staff,
            )
            for i in range(max(1, n_referrals // 10))
        )
        planned = []
        for _ in range(n_referrals):
            organisation = rng.choice(bodies)
            sent = now - dt.timedelta(days=rng.uniform(0, 730))
            due = timezone.localtime(sent).date() + dt.timedelta(days=28)
            answered = None
            if rng.random() < 0.75:
                late = rng.random() > promptness[organisation.pk]
                days = rng.uniform(29, 60) if late else rng.uniform(0, 27)
                answered = sent + dt.timedelta(days=days)
                if answered > now:
                    answered = None
            passed_on = answered is not None and rng.random() < 0.05
            status = (
                ReferralStatus.AWAITING
                if answered is None
                else ReferralStatus.PASSED_ON
                if passed_on
                else ReferralStatus.ANSWERED
            )
            referral = Referral(
                flag=rng.choice(flags),
                organisation=organisation,
                referred_by=staff,
                referred_at=sent,
                due_date=due,
                status=status,
            )
            planned.append((referral, answered, passed_on))
        Referral.objects.bulk_create([r for r, _, _ in planned], batch_size=2000)
        Response.objects.bulk_create(
            (
                Response(
                    referral=referral,
                    responder=staff,
                    outcome=Outcome.NOT_OURS if passed_on else Outcome.WILL_ACT,
                    reasons="Reasons",
                    created_at=answered,
                    on_time=timezone.localtime(answered).date() <= referral.due_date,
                )
                for referral, answered, passed_on in planned
                if answered is not None
            ),
            batch_size=2000,
        )
        calls = {
            c.organisation_id: c
            for c in CallForViews.objects.bulk_create(
                CallForViews(
                    organisation=b, opened_by=staff, title="Bench", background="b", closes_on=today
                )
                for b in bodies
            )
        }
        statuses = list(CommitmentStatus.values)
        commitments = []
        for _ in range(n_commitments):
            organisation = rng.choice(bodies)
            made = now - dt.timedelta(days=rng.uniform(0, 730))
            commitments.append(
                Commitment(
                    what="Bench commitment",
                    organisation=organisation,
                    owner="Bench owner",
                    due_date=timezone.localtime(made).date()
                    + dt.timedelta(days=rng.randint(30, 365)),
                    status=rng.choice(statuses),
                    call_for_views=calls[organisation.pk],
                    created_by=staff,
                    created_at=made,
                )
            )
        Commitment.objects.bulk_create(commitments, batch_size=2000)


def _timed(fn, repeat: int) -> tuple[float, object]:
    """The median time of ``repeat`` runs, in milliseconds, after one warm-up run."""
    result = fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, result


def run(repeat: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from nhs_citizen.culture.services.measures import Filters, Period, league_table
    from nhs_citizen.gather.models import Referral, Response
    from nhs_citizen.tracker.models import Commitment

    def baseline():
        return (
            Referral.objects.count(),
            Response.objects.count(),
            Commitment.objects.count(),
        )

    baseline_ms, counts = _timed(baseline, repeat)
    all_time_ms, rows = _timed(league_table, repeat)
    recent_ms, _ = _timed(lambda: league_table(Filters(period=Period.LAST_12_MONTHS)), repeat)
    with CaptureQueriesContext(connection) as queries:
        league_table()
    query_count = len(queries)  # now: each request below starts a new query log
    client = Client()
    page_ms, response = _timed(lambda: client.get("/culture-change/"), repeat)
    assert response.status_code == 200

    # The measures add up to what is in the tables.
    assert sum(r.measures.referrals.received for r in rows) == counts[0]
    assert sum(r.measures.referrals.answered for r in rows) == counts[1]
    assert sum(r.measures.commitments.made for r in rows) == counts[2]
    return {
        "answers": counts[1],
        "bodies_in_table": len(rows),
        "queries_for_measures": query_count,
        "baseline_count_star_ms": round(baseline_ms, 2),
        "measures_all_time_ms": round(all_time_ms, 2),
        "measures_all_time_vs_baseline": round(all_time_ms / baseline_ms, 1),
        "measures_last_12_months_ms": round(recent_ms, 2),
        "measures_last_12_months_vs_baseline": round(recent_ms / baseline_ms, 1),
        "league_table_page_ms": round(page_ms, 2),
    }


def print_table(results: dict) -> None:
    print(
        f"Culture-change measures benchmark ({results['bodies']} bodies, "
        f"{results['referrals']} referrals, {results['commitments']} commitments, "
        f"{results['database']}, median of {results['repeats']} runs)"
    )
    print(f"{'measure':<40}{'value':>14}")
    for key, value in results.items():
        if key in {"database", "bodies", "referrals", "commitments", "repeats"}:
            continue
        print(f"{key:<40}{value:>14}")


if __name__ == "__main__":
    main()
