"""Benchmark: selection by lot at the Assembly's real size. Our LEXIMIN (HiGHS) against the
reference library's maximin (``sortition-algorithms``, on HiGHS and on CBC), with the same time
limit, in one run, on generated pools with self-selection bias (``pools.NAMED_POOLS``):

- 500 volunteers, panel of 30, 4 categories (quotas: population share give or take 1 seat)
- 360 volunteers, panel of 30, 7 categories, exact quotas
- 800 volunteers, panel of 60, 5 categories, about a fifth in shared households
- 1,200 volunteers, panel of 100, 5 categories, about a fifth in shared households
- 2,000 volunteers, panel of 200, 6 categories, about a tenth in shared households

For each method: whether it finished (ours: both stages, the minimum and then levelling
everyone else up; the reference: its maximin column generation), seconds, minimum, Gini,
maximum probability, and the rounding loss in percentage points (how much the minimum drops
when the distribution is rounded to a lottery of 1,000 panels: ours by ``round_to_lottery``,
which keeps everyone within one panel of their share and at or above floor(1000 p_min), the
reference by its own rounding). For ours also: the independent check that the minimum is
optimal (``bound.check_optimality``), whether the lottery keeps its promise
(``guarantee_problems``), and our time as a share of the reference's where it finished.

    .venv/bin/python bench/sortition.py [--time-limit SECONDS] [--rounding-limit SECONDS]
        [--pools 500 360 800 1200 2000] [--no-reference]

Results go to bench/results/sortition.json (sortition-<pools>.json for a subset).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nhs_citizen.panels.algorithms.bound import (  # noqa: E402
    check_optimality,
    optimality_certificate,
)
from nhs_citizen.panels.algorithms.leximin import find_distribution  # noqa: E402
from nhs_citizen.panels.algorithms.lottery import (  # noqa: E402
    RoundingError,
    guarantee_problems,
    lottery_from_panels,
    round_to_lottery,
)
from nhs_citizen.panels.algorithms.measures import Fairness  # noqa: E402
from nhs_citizen.panels.algorithms.pools import NAMED_POOLS, named_pool  # noqa: E402
from nhs_citizen.panels.algorithms.reference import (  # noqa: E402
    ReferenceTimedOut,
    reference_lottery,
    reference_maximin,
)

M = 1000


def measured(pool: str, method: str, finished: bool, seconds: float, probabilities) -> dict:
    fairness = Fairness.of(probabilities)
    return {
        "pool": pool,
        "method": method,
        "finished": finished,
        "seconds": round(seconds, 2),
        "minimum": fairness.minimum,
        "gini": fairness.gini,
        "maximum": fairness.maximum,
        "geometric_mean": fairness.geometric_mean,
    }


def run_ours(name: str, problem, time_limit: float, rounding_limit: float) -> dict:
    ours = find_distribution(problem, time_limit=time_limit)
    r = measured(name, "LEXIMIN (ours, HiGHS)", ours.finished, ours.seconds, ours.probabilities)
    r["route"] = ours.details["route"]
    r["minimum_proved_after"] = ours.details.get("minimum_seconds")
    try:
        certificate = optimality_certificate(ours)
        start = time.perf_counter()
        problems = check_optimality(problem, ours.min_probability, certificate, time_limit=60)
        r["optimality_check"] = "passed" if not problems else "; ".join(problems)
        r["optimality_check_seconds"] = round(time.perf_counter() - start, 2)
    except ValueError as error:
        r["optimality_check"] = str(error)
    start = time.perf_counter()
    try:
        lottery = round_to_lottery(ours, m=M, time_limit=rounding_limit)
    except RoundingError as error:
        r["rounding_seconds"] = round(time.perf_counter() - start, 2)
        r["rounding_loss_points"] = None
        r["lottery_keeps_promise"] = False
        r["note"] = str(error)
        return r
    r["rounding_seconds"] = round(time.perf_counter() - start, 2)
    r["rounding_loss_points"] = 100 * lottery.loss
    r["minimum_after_rounding"] = lottery.min_probability
    r["lottery_keeps_promise"] = not guarantee_problems(lottery.panels, ours.probabilities, M)
    return r


def run_reference(name: str, problem, solver: str, time_limit: float) -> dict:
    method = f"reference maximin ({solver.upper()})"
    try:
        result = reference_maximin(problem, solver=solver, time_limit=time_limit)
    except ReferenceTimedOut as error:
        return {"pool": name, "method": method, "finished": False, "note": str(error)}
    r = measured(
        name, method, not result.stopped_early, result.seconds, result.distribution.probabilities
    )
    start = time.perf_counter()
    panels = reference_lottery(result, m=M)
    r["rounding_seconds"] = round(time.perf_counter() - start, 2)
    after = lottery_from_panels(problem, panels).min_probability
    r["minimum_after_rounding"] = after
    r["rounding_loss_points"] = 100 * (r["minimum"] - after)
    if result.stopped_early:
        r["note"] = f"stopped at the {time_limit:.0f}s limit: best over the panels found so far"
    return r


def run(pools: list[str], time_limit: float, rounding_limit: float, reference: bool) -> list:
    rows = []
    for name in pools:
        problem = named_pool(name)
        ours = run_ours(name, problem, time_limit, rounding_limit)
        rows.append(ours)
        print(
            f"{name}: ours {ours['seconds']:.1f}s finished={ours['finished']} "
            f"rounding {ours['rounding_seconds']:.1f}s check={ours.get('optimality_check')}",
            flush=True,
        )
        if not reference:
            continue
        fastest = None
        for solver in ("highs", "cbc"):
            r = run_reference(name, problem, solver, time_limit)
            rows.append(r)
            print(f"{name}: {r['method']} {r.get('seconds', '-')}s finished={r['finished']}")
            if r["finished"]:
                fastest = r["seconds"] if fastest is None else min(fastest, r["seconds"])
        if fastest is not None:
            ours["share_of_fastest_reference"] = round(ours["seconds"] / fastest, 3)
    return rows


def yes(value) -> str:
    return "yes" if value else "no"


def print_table(rows: list[dict]) -> None:
    header = (
        f"{'pool':<15}{'method':<27}{'finished':>9}{'seconds':>9}{'min %':>9}{'Gini':>7}"
        f"{'max %':>8}{'loss pts':>9}{'round s':>8}  note"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        if "minimum" not in r:
            print(f"{r['pool']:<15}{r['method']:<27}{yes(r['finished']):>9}{'':>50}  {r['note']}")
            continue
        loss = r.get("rounding_loss_points")
        loss_text = "failed" if loss is None else f"{loss:.3f}"
        notes = []
        if r["method"].startswith("LEXIMIN"):
            notes.append(f"optimality check {r.get('optimality_check')}")
            notes.append(f"lottery keeps promise {yes(r.get('lottery_keeps_promise'))}")
            if "share_of_fastest_reference" in r:
                notes.append(f"{r['share_of_fastest_reference']:.2f} of fastest reference time")
        if r.get("note"):
            notes.append(r["note"])
        print(
            f"{r['pool']:<15}{r['method']:<27}{yes(r['finished']):>9}{r['seconds']:>9.1f}"
            f"{100 * r['minimum']:>9.3f}{r['gini']:>7.3f}{100 * r['maximum']:>8.2f}"
            f"{loss_text:>9}{r.get('rounding_seconds', 0):>8.1f}  {'; '.join(notes)}"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--time-limit",
        type=float,
        default=120.0,
        help="Seconds each method (ours and the reference on each solver) may take per pool.",
    )
    parser.add_argument(
        "--rounding-limit",
        type=float,
        default=60.0,
        help="Seconds our rounding to a lottery may take in all (a wall-clock deadline).",
    )
    parser.add_argument(
        "--pools",
        nargs="*",
        help="Only these pools, by name prefix (for example 500 2000).",
    )
    parser.add_argument("--no-reference", action="store_true", help="Only ours (a quick run).")
    args = parser.parse_args()
    pools = list(NAMED_POOLS)
    if args.pools:
        pools = [p for p in pools if any(p.startswith(prefix) for prefix in args.pools)]
    started = time.perf_counter()
    rows = run(pools, args.time_limit, args.rounding_limit, not args.no_reference)
    print()
    print_table(rows)
    result = {
        "time_limit": args.time_limit,
        "rounding_limit": args.rounding_limit,
        "lottery_size": M,
        "cpus": os.cpu_count(),
        "machine": platform.platform(),
        "total_seconds": round(time.perf_counter() - started, 1),
        "rows": rows,
    }
    suffix = "" if not args.pools else "-" + "-".join(args.pools)
    out = ROOT / "bench" / "results" / f"sortition{suffix}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nWritten to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
