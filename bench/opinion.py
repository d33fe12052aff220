"""Benchmark: the opinion map (issue 17) at 10,000 participants, 500 statements and 1,000,000
votes, on a generated conversation with 4 planted groups and 3 planted consensus statements.

Sections (each a function returning rows for the table):

- ``recompute``: ``opinion_map`` on the million vote tuples (as the recompute job passes them):
  median of 3 runs in seconds; peak memory by tracemalloc (Python allocations, numpy included)
  and the peak RSS of the whole process (VmHWM; ru_maxrss too), measured in a fresh child
  process that first reads the million votes (``rss_before_mb``: its size before the run; see
  ``child`` for why VmHWM and not ru_maxrss); how well the planted
  groups are recovered (adjusted Rand index) and whether the planted consensus ranks first.
- ``svg``: time and size of the SVG map.
- ``sweep``: the 27 small planted conversations of the tests (2-4 groups, 5-30% missing, 3
  seeds), for ours and red-dwarf: how often each finds the planted number of groups, the ARI
  (mean, worst, how many at least 0.9) and how often the planted consensus ranks first.
- ``baseline``: red-dwarf 0.4.0 (``reddwarf.implementations.polis.run_pipeline``, the Python
  port of Pol.is's maths) on the same votes, measured the same way, and how far its groups
  agree with ours.
- ``http`` (runs bench/conversation_vote.py): the same size of conversation loaded into
  PostgreSQL behind gunicorn; the time to record one vote over HTTP with nothing else running
  (the ceiling) and while the recompute job works the map out again in its own process, and how
  long that job takes end to end (reading the votes from the database included).

    .venv/bin/python bench/opinion.py [--participants 10000] [--statements 500]
        [--votes 1000000] [--runs 3] [--no-baseline] [--no-sweep] [--no-http]

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
import tempfile
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


def _status_mb(field: str) -> float | None:
    """A memory figure of this process from /proc/self/status (Linux), in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def child(method: str, args) -> None:
    """Run one method once in this fresh process and print its peak memory as JSON. The votes
    are read from the file the parent wrote, so the generator's own peak is not counted.

    ru_maxrss survives fork and exec on Linux, so in a child it starts at the parent's size
    (the parent holds the votes and earlier results). VmHWM, the high-water mark of this
    program's own memory, starts afresh at exec: it is the peak RSS we report; ru_maxrss is
    reported too, for the record."""
    table = np.load(args.votes_file)
    votes = [tuple(row) for row in table.tolist()]
    statements = list(range(args.statements))
    del table
    before = _status_mb("VmRSS")
    tracemalloc.start()
    METHODS[method](votes, statements)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        json.dumps(
            {
                "tracemalloc_peak_mb": peak / 2**20,
                "peak_rss_mb": _status_mb("VmHWM"),
                "rss_before_mb": before,
                "ru_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def memory(method: str, args, votes_file: Path) -> dict:
    command = [
        sys.executable,
        __file__,
        "--child",
        method,
        "--statements",
        str(args.statements),
        "--votes-file",
        str(votes_file),
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
    mem = memory("ours", args, ctx["votes_file"])
    return [
        {
            "section": "recompute",
            "method": "ours (opinion_map)",
            "seconds_median": round(median, 3),
            "seconds_runs": [round(t, 3) for t in times],
            **{key: round(value, 1) for key, value in mem.items() if value is not None},
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
    mem = memory("red-dwarf", args, ctx["votes_file"])
    ours, theirs = groups_of("ours", ctx["ours"]), groups_of("red-dwarf", result)
    people = sorted(set(ours) & set(theirs))
    agreement = adjusted_rand_score([ours[p] for p in people], [theirs[p] for p in people])
    return [
        {
            "section": "baseline",
            "method": "red-dwarf 0.4.0 run_pipeline",
            "seconds_median": round(median, 3),
            "seconds_runs": [round(t, 3) for t in times],
            **{key: round(value, 1) for key, value in mem.items() if value is not None},
            **quality("red-dwarf", result, ctx["truth"], ctx["planted"]),
            "ari_vs_ours": round(agreement, 4),
            "consensus_top3_same_as_ours": consensus_of("red-dwarf", result)[:3]
            == list(ctx["ours"].consensus[:3]),
        }
    ]


def measure_sweep(ctx: dict, args) -> list[dict]:
    """Quality on small conversations: 2, 3 and 4 planted groups, 5%, 15% and 30% missing
    votes, 3 seeds (the 27 conversations of the tests, 240 people, 36 statements)."""
    if args.no_sweep:
        return []
    methods = ["ours"] + ([] if args.no_baseline else ["red-dwarf"])
    found = {m: [] for m in methods}
    for groups in (2, 3, 4):
        for missing in (0.05, 0.15, 0.3):
            for seed in (0, 1, 2):
                c = planted_conversation(
                    participants=240, statements=36, groups=groups, missing=missing, seed=seed
                )
                for method in methods:
                    if method == "ours":
                        result = opinion_map(c.votes, c.statements, seed=seed)
                    else:
                        result = run_reddwarf(c.votes, c.statements)
                    q = quality(method, result, c.truth, c.consensus)
                    found[method].append((q["groups"] == groups, q["ari_vs_planted"], q))
    rows = []
    for method in methods:
        aris = [a for _, a, _ in found[method]]
        rows.append(
            {
                "section": "sweep (27 small)",
                "method": "ours" if method == "ours" else "red-dwarf 0.4.0",
                "right_k": sum(ok for ok, _, _ in found[method]),
                "ari_mean": round(statistics.mean(aris), 4),
                "ari_min": round(min(aris), 4),
                "ari_at_least_0.9": sum(a >= 0.9 for a in aris),
                "consensus_first": sum(q["planted_consensus_first"] for _, _, q in found[method]),
            }
        )
    return rows


def measure_http(ctx: dict, args) -> list[dict]:
    """Time to record one vote over HTTP, with nothing else running (the ceiling) and while the
    recompute job runs: bench/conversation_vote.py (PostgreSQL, gunicorn with 2 workers, the
    same size of conversation loaded with the app's bulk loader), run in its own process."""
    if args.no_http:
        return []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "conversation_vote.json"
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "conversation_vote.py"),
                "--participants",
                str(args.participants),
                "--statements",
                str(args.statements),
                "--votes",
                str(args.votes),
                "--out",
                str(out),
            ],
            check=True,
        )
        figures = json.loads(out.read_text())
    rows = []
    for key, method in (
        ("quiet", "vote, nothing else running"),
        ("during_recompute", "vote during recompute"),
    ):
        phase = figures[key]
        rows.append(
            {
                "section": "http (PostgreSQL, gunicorn)",
                "method": method,
                "votes_timed": phase["votes"],
                "failed": sum(phase["failures"].values()),
                "ms_median": phase["post_ms"]["median"],
                "ms_p95": phase["post_ms"]["p95"],
                "ms_max": phase["post_ms"]["max"],
            }
        )
    job = figures["recompute_job"]
    rows.append(
        {
            "section": "recompute job (PostgreSQL)",
            "method": "do_recompute, reading the votes included",
            "seconds_median": job["seconds"],
            "peak_rss_mb": job["peak_rss_mb"],
            "groups": job["groups"],
        }
    )
    return rows


SECTIONS = [measure_recompute, measure_baseline, measure_svg, measure_sweep, measure_http]


def table(rows: list[dict]) -> str:
    columns = [
        "section",
        "method",
        "seconds_median",
        "tracemalloc_peak_mb",
        "peak_rss_mb",
        "rss_before_mb",
        "ru_maxrss_mb",
        "groups",
        "ari_vs_planted",
        "planted_consensus_first",
        "ari_vs_ours",
        "svg_kb",
        "right_k",
        "ari_mean",
        "ari_min",
        "ari_at_least_0.9",
        "consensus_first",
        "votes_timed",
        "failed",
        "ms_median",
        "ms_p95",
        "ms_max",
    ]
    # One small table per kind of row (rows with the same columns), so it stays readable.
    blocks: list[list[dict]] = []
    for row in rows:
        if blocks and set(blocks[-1][0]) == set(row):
            blocks[-1].append(row)
        else:
            blocks.append([row])
    texts = []
    for block in blocks:
        shown = [c for c in columns if any(c in r for r in block)]
        cells = [[str(r.get(c, "")) for c in shown] for r in block]
        widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(shown)]

        def line(values, widths=widths):
            return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

        texts.append(
            "\n".join([line(shown), line(["-" * w for w in widths])] + [line(r) for r in cells])
        )
    return "\n\n".join(texts)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--statements", type=int, default=500)
    parser.add_argument("--votes", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--no-sweep", action="store_true")
    parser.add_argument("--child", choices=sorted(METHODS))
    parser.add_argument("--votes-file", type=Path)
    parser.add_argument("--no-http", action="store_true", help="skip the HTTP section")
    args = parser.parse_args()
    if args.child:
        child(args.child, args)
        return

    start = time.perf_counter()
    votes, statements, truth, planted = conversation(args)
    generated = time.perf_counter() - start
    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        votes_file = Path(tmp) / "votes.npy"
        np.save(votes_file, np.asarray(votes, dtype=np.int64))
        ctx = {
            "votes": votes,
            "statements": statements,
            "truth": truth,
            "planted": planted,
            "votes_file": votes_file,
        }
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
