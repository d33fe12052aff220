"""Benchmark: Discover's feeling model against VADER on held-out NHS feedback.

Uses the labelled comments of ../shared/data/fft/v6_neas.csv (read from there, never copied)
that fall in the test split (the last quarter of SHA-256 of `Comment ID`; see
nhs_citizen/discover/algorithms/train_sentiment.py). None of them was used to build the model.
Human labels: `Comment sentiment` 1-2 positive, 3 neutral or mixed, 4-5 negative.

The baseline, measured in the same run on the same comments, is VADER alone (compound >= 0.05
positive, <= -0.05 negative, else neutral). Target: our 3-class macro-F1 at least 0.65.

Prints a table and writes bench/results/discover_sentiment.json.

    .venv/bin/python bench/discover_sentiment.py
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUT = ROOT / "bench" / "results" / "discover_sentiment.json"
TARGET = 0.65


def evaluate(embed_fn: Callable[[list[str]], np.ndarray] | None = None) -> dict:
    """Macro-F1 of ours and of VADER on the held-out split, per-class F1, confusion matrix, n."""
    from sklearn.metrics import confusion_matrix, f1_score

    from nhs_citizen.discover.algorithms import sentiment, train_sentiment

    if embed_fn is None:
        from nhs_citizen.core.embeddings import embed as embed_fn

    data = train_sentiment.load_labelled("test")
    start = time.perf_counter()
    vectors = embed_fn(data.texts)
    embed_seconds = time.perf_counter() - start
    start = time.perf_counter()
    results = sentiment.score(data.texts, vectors)
    score_seconds = time.perf_counter() - start
    index = {label: i for i, label in enumerate(sentiment.LABELS)}
    ours = np.array([index[r.label] for r in results])
    vader = train_sentiment.vader_labels(data.texts)
    truth = data.labels
    classes = [0, 1, 2]

    def per_class(predicted):
        f1 = f1_score(truth, predicted, labels=classes, average=None, zero_division=0)
        return {label: round(float(v), 4) for label, v in zip(sentiment.LABELS, f1, strict=True)}

    return {
        "n": int(len(truth)),
        "n_by_class": {label: int((truth == i).sum()) for i, label in enumerate(sentiment.LABELS)},
        "macro_f1_ours": round(train_sentiment.macro_f1(truth, ours), 4),
        "macro_f1_vader": round(train_sentiment.macro_f1(truth, vader), 4),
        "target": TARGET,
        "per_class_f1_ours": per_class(ours),
        "per_class_f1_vader": per_class(vader),
        "confusion_ours": confusion_matrix(truth, ours, labels=classes).tolist(),
        "confusion_vader": confusion_matrix(truth, vader, labels=classes).tolist(),
        "confusion_axes": "rows = human label, columns = predicted, order "
        + "/".join(sentiment.LABELS),
        "embed_seconds": round(embed_seconds, 2),
        "score_seconds": round(score_seconds, 3),
    }


def print_table(r: dict) -> None:
    labels = list(r["per_class_f1_ours"])
    print(f"Feeling on {r['n']:,} held-out v6_neas.csv comments ({r['n_by_class']})")
    print(f"  {'':<22}{'ours':>8}{'VADER':>8}")
    print(f"  {'macro-F1':<22}{r['macro_f1_ours']:>8.3f}{r['macro_f1_vader']:>8.3f}")
    for label in labels:
        ours, vader = r["per_class_f1_ours"][label], r["per_class_f1_vader"][label]
        print(f"  {'F1 ' + label:<22}{ours:>8.3f}{vader:>8.3f}")
    print(
        f"  target macro-F1 >= {r['target']}: {'met' if r['macro_f1_ours'] >= r['target'] else 'NOT met'}"
    )
    print(f"  confusion ({r['confusion_axes']}):")
    for name, matrix in (("ours", r["confusion_ours"]), ("VADER", r["confusion_vader"])):
        print(f"    {name:<6}" + "  ".join(str(row) for row in matrix))
    print(f"  embedding {r['embed_seconds']} s, scoring {r['score_seconds']} s")


def main() -> None:
    results = evaluate()
    print_table(results)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nWrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
