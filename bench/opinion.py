"""Benchmark: the opinion map (issue 17) at 10,000 participants, 500 statements and 1,000,000
votes, on a generated conversation with 4 planted groups and 3 planted consensus statements.

Sections (each a function returning rows for the table; the lead adds ``measure_http`` -- time
to record one vote over HTTP while a recompute runs -- to ``SECTIONS`` after merging):

- ``recompute``: ``opinion_map`` on the million vote tuples (as the recompute job passes them):
  median of 3 runs in seconds; peak memory by tracemalloc (Python allocations, numpy included)
  and by ru_maxrss (whole process, measured in a fresh child process); how well the planted
  groups are recovered (adjusted Rand index) and whether the planted consensus ranks first.
- ``svg``: time and size of the SVG map.
- ``baseline``: red-dwarf 0.4.0 (``reddwarf.implementations.polis.run_pipeline``, the Python
  port of Pol.is's maths) on the same votes, measured the same way, and how far its groups
  agree with ours.

    .venv/bin/python bench/opinion.py [--participants 10000] [--statements 500]
        [--votes 1000000] [--runs 3] [--no-baseline]

Results go to bench/results/opinion.txt and bench/results/opinion.json (opinion-<size>.* for
other sizes).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from sklearn.metrics import adjusted_rand_score  # noqa: E402

from nhs_citizen.conversations.algorithms.opinion import opinion_map  # noqa: E402
from nhs_citizen.conversations.algorithms.planted import planted_conversation  # noqa: E402
from nhs_citizen.conversations.algorithms.svg import opinion_map_svg  # noqa: E402

GROUPS = 4
CONSENSUS = 3
SEED = 17


def conversation(args):
    """The generated conversation: (vote tuples, statement ids, truth, planted consensus)."""
    c = planted_conversation(
        participants=args.participants,
        statements=args.statements,
        groups=GROUPS,
        consensus=CONSENSUS,
        votes=args.votes,
        seed=SEED,
    )
    return c.votes, c.statements, c.truth, c.consensus


def run_ours(votes, statements):
    return opinion_map(votes, statements, seed=0)


def run_reddwarf(votes, statements):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from reddwarf.implementations.polis import run_pipeline

        records = [
            {"participant_id": p, "statement_id": s, "vote": v, "modified": i}
            for i, (p, s, v) in enumerate(votes)
        ]
        return run_pipeline(votes=records, random_state=0)


METHODS = {"ours": run_ours, "red-dwarf": run_reddwarf}


def groups_of(method: str, result) -> dict:
    if method == "ours":
        return dict(result.membership)
    frame = result.participants_df
    clustered = frame[frame["to_cluster"]]
    return {p: int(g) for p, g in zip(clustered.index, clustered["cluster_id"], strict=True)}


def consensus_of(method: str, result) -> list:
    if method == "ours":
        return list(result.consensus)
    return [s["tid"] for s in result.consensus["agree"]]


def child(method: str, args) -> None:
    """Run one method once in this fresh process and print its peak memory as JSON."""
    votes, statements, _, _ = conversation(args)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    METHODS[method](votes, statements)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "tracemalloc_peak_mb": peak / 2**20,
                "maxrss_mb": after / 1024,
                "maxrss_before_mb": before / 1024,
            }
        )
    )


def memory(method: str, args) -> dict:
    command = [
        sys.executable,
        __file__,
        "--child",
        method,
        "--participants",
        str(args.participants),
        "--statements",
        str(args.statements),
        "--votes",
        str(args.votes),
    ]
    out = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def timed(method: str, votes, statements, runs: int):
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = METHODS[method](votes, statements)
        times.append(time.perf_counter() - start)
    return statistics.median(times), times, result


def quality(method: str, result, truth: dict, planted: tuple) -> dict:
    groups = groups_of(method, result)
    people = sorted(groups)
    ari = adjusted_rand_score([truth[p] for p in people], [groups[p] for p in people])
    top = consensus_of(method, result)[: len(planted)]
    return {
        "groups": len(set(groups.values())),
        "grouped": len(groups),
        "ari_vs_planted": round(ari, 4),
        "planted_consensus_first": set(top) == set(planted),
    }


# --------------------------------------------------------------------------- sections


def measure_recompute(ctx: dict, args) -> list[dict]:
    median, times, result = timed("ours", ctx["votes"], ctx["statements"], args.runs)
    ctx["ours"] = result
    mem = memory("ours", args)
    return [
        {
            "section": "recompute",
            "method": "ours (opinion_map)",
            "seconds_median": round(median, 3),
            "seconds_runs": [round(t, 3) for t in times],
            "tracemalloc_peak_mb": round(mem["tracemalloc_peak_mb"], 1),
            "maxrss_mb": round(mem["maxrss_mb"], 1),
            **quality("ours", result, ctx["truth"], ctx["planted"]),
        }
    ]


def measure_svg(ctx: dict, args) -> list[dict]:
    m = ctx["ours"]
    you = next(iter(m.membership))
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        svg = opinion_map_svg(m, title="Benchmark conversation", highlight=you)
        times.append(time.perf_counter() - start)
    return [
        {
            "section": "svg",
            "method": "opinion_map_svg",
            "seconds_median": round(statistics.median(times), 3),
            "svg_kb": round(len(svg.encode()) / 1000, 1),
            "marks": svg.count("<use "),
        }
    ]


def measure_baseline(ctx: dict, args) -> list[dict]:
    if args.no_baseline:
        return []
    median, times, result = timed("red-dwarf", ctx["votes"], ctx["statements"], args.runs)
    mem = memory("red-dwarf", args)
    ours, theirs = groups_of("ours", ctx["ours"]), groups_of("red-dwarf", result)
    people = sorted(set(ours) & set(theirs))
    agreement = adjusted_rand_score([ours[p] for p in people], [theirs[p] for p in people])
    return [
        {
            "section": "baseline",
            "method": "red-dwarf 0.4.0 run_pipeline",
            "seconds_median": round(median, 3),
            "seconds_runs": [round(t, 3) for t in times],
            "tracemalloc_peak_mb": round(mem["tracemalloc_peak_mb"], 1),
            "maxrss_mb": round(mem["maxrss_mb"], 1),
            **quality("red-dwarf", result, ctx["truth"], ctx["planted"]),
            "ari_vs_ours": round(agreement, 4),
            "consensus_top3_same_as_ours": consensus_of("red-dwarf", result)[:3]
            == list(ctx["ours"].consensus[:3]),
        }
    ]


# The lead adds measure_http (time to record one vote while a recompute runs) here.
SECTIONS = [measure_recompute, measure_svg, measure_baseline]


def table(rows: list[dict]) -> str:
    columns = [
        "section",
        "method",
        "seconds_median",
        "tracemalloc_peak_mb",
        "maxrss_mb",
        "groups",
        "ari_vs_planted",
        "planted_consensus_first",
        "ari_vs_ours",
        "svg_kb",
    ]
    shown = [c for c in columns if any(c in r for r in rows)]
    cells = [[str(r.get(c, "")) for c in shown] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(shown)]
    line = lambda values: "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True))  # noqa: E731
    return "\n".join([line(shown), line(["-" * w for w in widths])] + [line(r) for r in cells])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--statements", type=int, default=500)
    parser.add_argument("--votes", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--child", choices=sorted(METHODS))
    args = parser.parse_args()
    if args.child:
        child(args.child, args)
        return

    start = time.perf_counter()
    votes, statements, truth, planted = conversation(args)
    ctx = {"votes": votes, "statements": statements, "truth": truth, "planted": planted}
    generated = time.perf_counter() - start
    rows: list[dict] = []
    for section in SECTIONS:
        rows.extend(section(ctx, args))

    setup = (
        f"{args.participants:,} participants, {args.statements:,} statements, "
        f"{len(votes):,} votes, {GROUPS} planted groups, {CONSENSUS} planted consensus "
        f"statements (generated in {generated:.1f} s); median of {args.runs} runs"
    )
    machine = (
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} CPUs, numpy {np.__version__}"
    )
    text = f"Opinion map benchmark\n{setup}\n{machine}\n\n{table(rows)}\n"
    print(text)
    default = (args.participants, args.statements, args.votes) == (10_000, 500, 1_000_000)
    stem = "opinion" if default else f"opinion-{args.participants}x{args.statements}"
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{stem}.txt").write_text(text)
    (out / f"{stem}.json").write_text(
        json.dumps({"setup": setup, "machine": machine, "rows": rows}, indent=2) + "\n"
    )


if __name__ == "__main__":
    main()
