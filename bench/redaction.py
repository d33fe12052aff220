"""Benchmark: redaction of personal data in Discover (ADR 0023).

1. The hand-written evaluation set, bench/data/redaction_eval.jsonl: one JSON object a line,
   {"text": ..., "spans": [{"start", "end", "kind"}]}. Sentences with personal data of every
   kind, and clean sentences full of proper nouns (hospitals, charities, TV programmes, places,
   medicines, job titles) with no spans. The file is checked first (``--check`` does only
   that): every span inside its text, no blank edges, known kinds, no overlaps.
   Lines are split into a dev part and a held-out part: every 5th line (the 5th, 10th, ...) is
   held out. Rules are tuned on dev only; the targets are on the held-out part.
   For each part it prints, for the new redactor and the old one (bench/_old_redact.py, the
   module before ADR 0023) in the same run: recall per kind, precision per kind, and the share
   of clean sentences that had anything redacted.
2. The synthetic set (nhs_citizen/discover/algorithms/synthetic_pii.py, fixed seed): recall
   and precision per kind, as before.
3. Real comments (v6_neas.csv "FFT answer", text_data.csv "feedback" from the shared data
   folder, already anonymised upstream): how many had something redacted, and speed.

Scoring: a gold span is found when predicted spans of the same kind cover at least half of
its characters; a predicted span is correct when gold spans of the same kind cover at least
half of it.

    .venv/bin/python bench/redaction.py [--check] [--misses] [--n 2000] [--repeat 3]

``--misses`` prints the dev part's misses and false alarms (never the held-out part's).
Writes bench/results/redaction.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from nhs_citizen.discover.algorithms.redact import (  # noqa: E402
    KINDS,
    Span,
    find_personal_data,
    redact,
    score,
)

EVAL_PATH = ROOT / "bench" / "data" / "redaction_eval.jsonl"
HELD_OUT_EVERY = 5
TARGETS = {k: 0.95 for k in KINDS} | {"name": 0.92}
CLEAN_TARGET = 0.01
BASELINE_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")


# ------------------------------------------------------------------------- the evaluation set


def load_eval(path: Path = EVAL_PATH) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                rows.append(json.loads(line))
    return rows


def check_eval(rows: list[dict]) -> list[str]:
    """Problems with the evaluation set (an empty list when it is sound)."""
    problems = []
    for n, row in enumerate(rows, 1):
        text = row.get("text")
        spans = row.get("spans")
        if not isinstance(text, str) or not text.strip() or not isinstance(spans, list):
            problems.append(f"line {n}: needs a non-empty text and a list of spans")
            continue
        last_end = 0
        for s in sorted(spans, key=lambda s: (s.get("start", -1), s.get("end", -1))):
            start, end, kind = s.get("start"), s.get("end"), s.get("kind")
            if kind not in KINDS:
                problems.append(f"line {n}: unknown kind {kind!r}")
            if not (
                isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)
            ):
                problems.append(f"line {n}: span {start}-{end} is outside the text")
                continue
            value = text[start:end]
            if value != value.strip() or value.strip(",.;:!?") != value:
                problems.append(f"line {n}: span {value!r} has blank or punctuation edges")
            if start < last_end:
                problems.append(f"line {n}: span {value!r} overlaps the one before")
            last_end = max(last_end, end)
    return problems


def gold_spans(row: dict) -> tuple[Span, ...]:
    return tuple(Span(s["start"], s["end"], s["kind"]) for s in row["spans"])


def parts(rows: list[dict]) -> dict[str, list[dict]]:
    return {
        "dev": [r for i, r in enumerate(rows) if i % HELD_OUT_EVERY != HELD_OUT_EVERY - 1],
        "held_out": [r for i, r in enumerate(rows) if i % HELD_OUT_EVERY == HELD_OUT_EVERY - 1],
    }


def evaluate(rows: list[dict], find) -> dict:
    pairs = [(gold_spans(r), find(r["text"])) for r in rows]
    result = score(pairs)
    clean = [(r, p) for r, (_, p) in zip(rows, pairs, strict=True) if not r["spans"]]
    wrong = sum(1 for _, p in clean if p)
    predicted = sum(result[k]["predicted"] for k in KINDS)
    correct = sum(result[k]["correct"] for k in KINDS)
    return {
        "sentences": len(rows),
        "with_personal_data": len(rows) - len(clean),
        "clean": len(clean),
        "clean_wrongly_redacted": wrong,
        "clean_error_rate": wrong / len(clean) if clean else 0.0,
        "precision_all": correct / predicted if predicted else 1.0,
        "kinds": {
            k: {m: result[k][m] for m in ("gold", "found", "recall", "predicted", "precision")}
            for k in KINDS
        },
    }


def old_finder():
    """The redactor before ADR 0023, if its copy is here; it knows fewer kinds."""
    try:
        import _old_redact  # noqa: PLC0415
    except ImportError:
        return None

    def find(text: str) -> list[Span]:
        return [Span(s.start, s.end, s.kind) for s in _old_redact.find_personal_data(text)]

    return find


def print_part(label: str, new: dict, old: dict | None) -> None:
    print(
        f"\n{label}: {new['sentences']} sentences ({new['with_personal_data']} with personal "
        f"data, {new['clean']} clean)"
    )
    head = f"{'kind':<15}{'gold':>6}{'recall':>9}{'prec.':>8}{'target':>8}"
    print(head + (f"{'old recall':>12}{'old prec.':>11}" if old else ""))
    for k in KINDS:
        r = new["kinds"][k]
        line = f"{k:<15}{r['gold']:>6}{r['recall']:>9.3f}{r['precision']:>8.3f}{TARGETS[k]:>8.2f}"
        if old:
            o = old["kinds"][k]
            line += f"{o['recall']:>12.3f}{o['precision']:>11.3f}"
        print(line)
    line = (
        f"{'clean wrongly redacted':<29}{new['clean_wrongly_redacted']:>4}/{new['clean']}"
        f" = {new['clean_error_rate']:.4f} (target <= {CLEAN_TARGET})"
    )
    if old:
        line += f"   old: {old['clean_wrongly_redacted']}/{old['clean']} = {old['clean_error_rate']:.4f}"
    print(line)
    print(
        f"{'precision, all kinds':<29}{new['precision_all']:>9.3f}"
        + (f"   old: {old['precision_all']:.3f}" if old else "")
    )


def print_misses(rows: list[dict]) -> None:
    print("\nDev misses (gold not found) and false alarms (predicted, not gold):")
    for r in rows:
        gold = gold_spans(r)
        pred = find_personal_data(r["text"])
        result = score([(gold, pred)])
        bad = [
            k
            for k in KINDS
            if result[k]["found"] < result[k]["gold"]
            or result[k]["correct"] < result[k]["predicted"]
        ]
        if bad:
            g = [(r["text"][s.start : s.end], s.kind) for s in gold]
            p = [(r["text"][s.start : s.end], s.kind, s.rule) for s in pred]
            print(f"  - {r['text']}\n      gold {g}\n      got  {p}")


# ------------------------------------------------------------------- synthetic and real texts


def fft_dir() -> Path:
    env = os.environ.get("NHS_CITIZEN_FFT_DIR")
    if env:
        return Path(env)
    return (ROOT / ".." / "shared" / "data" / "fft").resolve()


def real_comments() -> list[str]:
    texts: list[str] = []
    folder = fft_dir()
    for name, column in (("v6_neas.csv", "FFT answer"), ("text_data.csv", "feedback")):
        path = folder / name
        if not path.exists():
            print(f"(no {path}; skipping the real comments from it)")
            continue
        with path.open(encoding="utf-8-sig", newline="") as f:
            texts.extend((row.get(column) or "").strip() for row in csv.DictReader(f))
    return [t for t in texts if t]


def per_second(fn, texts: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for t in texts:
            fn(t)
        best = min(best, time.perf_counter() - t0)
    return len(texts) / best if best > 0 else float("inf")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true", help="only check the evaluation set")
    parser.add_argument("--misses", action="store_true", help="print the dev part's misses")
    parser.add_argument("--n", type=int, default=2000, help="synthetic comments (0 to skip)")
    parser.add_argument("--seed", type=int, default=20261121)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    rows = load_eval()
    problems = check_eval(rows)
    kinds_in_set = {k: sum(1 for r in rows for s in r["spans"] if s["kind"] == k) for k in KINDS}
    print(
        f"Evaluation set {EVAL_PATH.relative_to(ROOT)}: {len(rows)} sentences, "
        f"{sum(1 for r in rows if r['spans'])} with personal data, "
        f"{sum(1 for r in rows if not r['spans'])} clean; spans per kind {kinds_in_set}"
    )
    if problems:
        print("\n".join(problems))
        sys.exit(1)
    print("Check: every span is inside its text, trimmed, of a known kind, not overlapping.")
    if args.check:
        return

    old = old_finder()
    results: dict = {}
    for name, part in parts(rows).items():
        new_r = evaluate(part, find_personal_data)
        old_r = evaluate(part, old) if old else None
        results[name] = {"new": new_r, "old": old_r}
        print_part(f"{name.replace('_', '-')} part", new_r, old_r)
    held = results["held_out"]["new"]
    met = all(held["kinds"][k]["recall"] >= TARGETS[k] for k in KINDS) and (
        held["clean_error_rate"] <= CLEAN_TARGET
    )
    print(f"\nHeld-out targets met: {'yes' if met else 'NO'}")
    if args.misses:
        print_misses(parts(rows)["dev"])

    synthetic = None
    if args.n:
        from nhs_citizen.discover.algorithms.synthetic_pii import generate  # noqa: PLC0415

        examples = generate(args.n, args.seed)
        result = score([(e.spans, find_personal_data(e.text)) for e in examples])
        synthetic = {
            k: {m: result[k][m] for m in ("gold", "recall", "precision")}
            for k in KINDS
            if result[k]["gold"]
        }
        print(f"\nSynthetic set ({args.n} comments, seed {args.seed}):")
        for k, r in synthetic.items():
            print(f"  {k:<15}{r['gold']:>6}{r['recall']:>9.3f}{r['precision']:>8.3f}")

    real = real_comments()
    real_counts = dict.fromkeys(KINDS, 0)
    redacted_items = []
    for text in real:
        r = redact(text)
        if r.spans:
            redacted_items.append((text, r.text))
            for kind, count in r.counts.items():
                if count:
                    real_counts[kind] += 1
    speed = {}
    if real:
        print(
            f"\nReal comments: {len(real)} (already anonymised upstream); with something "
            f"redacted: {len(redacted_items)}; per kind {real_counts}"
        )
        print("10 sample redactions to check by eye:")
        for before, after in random.Random(args.seed).sample(
            redacted_items, min(10, len(redacted_items))
        ):
            print("  -", before[:200].replace("\n", " "))
            print("    ->", after[:200].replace("\n", " "))
        speed = {
            "comments": len(real),
            "redact_per_second": per_second(redact, real, args.repeat),
            "baseline_email_only_per_second": per_second(
                lambda t: BASELINE_EMAIL.sub("[email address]", t), real, args.repeat
            ),
        }
        print(
            f"Speed on real comments (1 core): {speed['redact_per_second']:,.0f} comments/s; "
            f"10,000 take {10_000 / speed['redact_per_second']:.1f} s"
        )

    out = {
        "eval_set": str(EVAL_PATH.relative_to(ROOT)),
        "held_out": f"every {HELD_OUT_EVERY}th line",
        "scoring": "gold found when >=50% of its characters are covered by predicted spans of "
        "the same kind; predicted correct when >=50% of it is covered by gold of the same kind",
        "targets": {"recall": TARGETS, "clean_error_rate": CLEAN_TARGET},
        "held_out_targets_met": met,
        "results": results,
        "synthetic": synthetic,
        "real": {
            "comments": len(real),
            "comments_with_kind": real_counts,
            "comments_with_any": len(redacted_items),
        },
        "speed": speed,
        "python": platform.python_version(),
    }
    path = ROOT / "bench" / "results" / "redaction.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, indent=2) + "\n")
    print(f"\nWrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
