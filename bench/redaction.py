"""Benchmark: redaction of personal data in Discover.

On a synthetic UK test set (nhs_citizen/discover/algorithms/synthetic_pii.py, fixed seed) it
prints, per kind: the gold count, recall and precision (a gold span is found when predicted
spans of the same kind cover at least half its characters; a predicted span is correct when
gold spans of the same kind cover at least half of it). Names are also split into those whose
words are all missing from our gazetteer and the rest.

Then it runs over the real comments (v6_neas.csv column "FFT answer" and text_data.csv column
"feedback", read from the shared data folder at run time), prints how many comments had each
kind redacted and 20 sample redactions for a person to check by eye (printed only, never
written to the results file).

Speed: comments a second for ``redact`` over the synthetic and the real comments, against a
baseline measured in the same run: one plain ``re`` e-mail-only substitution over the same
texts.

    .venv/bin/python bench/redaction.py [--n 2000] [--seed 20261121] [--repeat 3]

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

from nhs_citizen.discover.algorithms.redact import (  # noqa: E402
    KINDS,
    _gazetteer,
    find_personal_data,
    redact,
    score,
)
from nhs_citizen.discover.algorithms.synthetic_pii import generate  # noqa: E402

BASELINE_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")


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


def baseline(text: str) -> str:
    return BASELINE_EMAIL.sub("[email address]", text)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=20261121)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    t0 = time.perf_counter()
    examples = generate(args.n, args.seed)
    gen_seconds = time.perf_counter() - t0
    predicted = [find_personal_data(e.text) for e in examples]
    result = score([(e.spans, p) for e, p in zip(examples, predicted, strict=True)])

    # Names split by whether any of their words is in our gazetteer.
    forenames, surnames = _gazetteer()
    split = {"in gazetteer": [], "not in gazetteer": []}
    for e, p in zip(examples, predicted, strict=True):
        for g in e.spans:
            if g.kind != "name":
                continue
            words = re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", e.text[g.start : g.end].lower())
            known = any(w in forenames or w in surnames for w in words)
            split["in gazetteer" if known else "not in gazetteer"].append(((g,), p))
    name_split = {}
    for label, pairs in split.items():
        r = score(pairs)["name"]
        name_split[label] = {"gold": r["gold"], "recall": r["recall"]}

    print(f"Synthetic set: {args.n} comments, seed {args.seed} (made in {gen_seconds:.1f} s)")
    print(f"{'kind':<26}{'gold':>7}{'recall':>9}{'precision':>11}{'predicted':>11}")
    for kind in KINDS:
        r = result[kind]
        print(
            f"{kind:<26}{r['gold']:>7}{r['recall']:>9.3f}{r['precision']:>11.3f}"
            f"{r['predicted']:>11}"
        )
    for label, r in name_split.items():
        print(f"{'  name, ' + label:<26}{r['gold']:>7}{r['recall']:>9.3f}")

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
    print()
    print(f"Real comments: {len(real)} (already anonymised upstream)")
    print(f"{'kind':<26}{'comments with it':>18}")
    for kind in KINDS:
        print(f"{kind:<26}{real_counts[kind]:>18}")
    print(f"{'any':<26}{len(redacted_items):>18}")
    print()
    print("20 sample redactions to check by eye:")
    rng = random.Random(args.seed)
    for before, after in rng.sample(redacted_items, min(20, len(redacted_items))):
        print("  -", before[:300].replace("\n", " "))
        print("    ->", after[:300].replace("\n", " "))

    synthetic_texts = [e.text for e in examples]
    speed = {}
    for label, texts in (("synthetic", synthetic_texts), ("real", real)):
        if not texts:
            continue
        speed[label] = {
            "comments": len(texts),
            "redact_per_second": per_second(redact, texts, args.repeat),
            "baseline_email_only_per_second": per_second(baseline, texts, args.repeat),
        }
    print()
    print(f"{'speed (comments/s, 1 core)':<30}{'redact':>12}{'e-mail re only':>16}{'ratio':>8}")
    for label, s in speed.items():
        ratio = s["baseline_email_only_per_second"] / s["redact_per_second"]
        print(
            f"{label:<30}{s['redact_per_second']:>12,.0f}"
            f"{s['baseline_email_only_per_second']:>16,.0f}{ratio:>7.1f}x"
        )
        s["baseline_over_redact"] = ratio
    if "real" in speed:
        secs = 10_000 / speed["real"]["redact_per_second"]
        print(f"10,000 real-length comments would take {secs:.1f} s to redact")

    out = {
        "n": args.n,
        "seed": args.seed,
        "scoring": "gold found when >=50% of its characters are covered by predicted spans of "
        "the same kind; predicted correct when >=50% of it is covered by gold of the same kind",
        "synthetic": {
            k: {m: result[k][m] for m in ("gold", "recall", "precision", "predicted")}
            for k in KINDS
        },
        "name_split": name_split,
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
