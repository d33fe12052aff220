"""Benchmark: Discover's feeling model on a trust it has never seen, against VADER.

Leave one trust out at a time: Trusts A, B and C of ../shared/data/fft/text_data.csv and the
ambulance trust of v6_neas.csv (read from there, never copied). For each, the model is fitted
on the other three (nhs_citizen/discover/algorithms/train_sentiment.py explains the labels and
the questions) and scored on the held-out trust, short-answer rules included. VADER (compound
>= 0.05 positive, <= -0.05 negative, else neutral) is scored on the same comments. We report
each trust's 3-class macro-F1 and neutral F1, the worst and the mean, and the same model told
no question, to show what the question adds. Targets: worst macro-F1 >= 0.72, neutral F1 >= 0.50.

Embeddings of the comments are cached in a file under /tmp named after the embedding code and
the glossary (FFT_EMBEDDINGS_CACHE to move it), so a second run does not embed again.

    .venv/bin/python bench/discover_sentiment.py

Prints a table and writes bench/results/discover_sentiment.json.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUT = ROOT / "bench" / "results" / "discover_sentiment.json"


def _cache_path() -> Path:
    """The cache file, named after the embedding code and glossary it was made with, so a
    change to either starts a new cache instead of mixing old and new vectors."""
    import hashlib

    digest = hashlib.sha256()
    for module in ("embeddings.py", "nhs_glossary.py"):
        digest.update((ROOT / "nhs_citizen" / "core" / module).read_bytes())
    name = f"/tmp/nhs_citizen_fft_embeddings-{digest.hexdigest()[:12]}.npz"
    return Path(os.environ.get("FFT_EMBEDDINGS_CACHE", name))


CACHE = _cache_path()
TARGET_WORST_MACRO_F1 = 0.72
TARGET_NEUTRAL_F1 = 0.50


def cached_embed(texts: list[str], cache: Path = CACHE) -> np.ndarray:
    """Embeddings of texts, reusing (and adding to) the cache file."""
    from nhs_citizen.core.embeddings import embed

    known: dict[str, np.ndarray] = {}
    if cache.exists():
        with np.load(cache, allow_pickle=False) as data:
            known = dict(zip(data["texts"].tolist(), data["vectors"], strict=True))
    missing = sorted(set(texts) - known.keys())
    if missing:
        known.update(zip(missing, embed(missing), strict=True))
        keys = sorted(known)
        np.savez(
            cache, texts=np.array(keys, dtype=str), vectors=np.vstack([known[k] for k in keys])
        )
    return np.vstack([known[t] for t in texts]).astype(np.float64)


def _scores(truth: np.ndarray, predicted: np.ndarray) -> dict:
    from sklearn.metrics import f1_score

    per_class = f1_score(truth, predicted, labels=[0, 1, 2], average=None, zero_division=0)
    return {
        "macro_f1": round(float(per_class.mean()), 4),
        "neutral_f1": round(float(per_class[1]), 4),
    }


def leave_one_trust_out(embed_fn: Callable[[list[str]], np.ndarray] | None = None) -> dict:
    """Per held-out trust: n, class counts, ours (with and without the question) and VADER;
    then the worst and the mean of each."""
    from nhs_citizen.discover.algorithms import sentiment, train_sentiment

    embed_fn = embed_fn or cached_embed
    data = train_sentiment.load_trusts()
    start = time.perf_counter()
    vectors = embed_fn(data.texts)
    embed_seconds = time.perf_counter() - start
    trusts = np.array(data.trusts)
    index = {label: i for i, label in enumerate(sentiment.LABELS)}
    per_trust = {}
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        for trust in sorted(set(data.trusts)):
            held = trusts == trust
            path = train_sentiment.fit(data.subset(~held), vectors[~held], Path(folder) / "m.npz")
            test = data.subset(held)
            ours = sentiment.score(test.texts, vectors[held], test.questions, model_path=path)
            blind = sentiment.score(test.texts, vectors[held], None, model_path=path)
            truth = test.labels
            per_trust[trust] = {
                "n": int(len(truth)),
                "n_by_class": {name: int((truth == i).sum()) for name, i in index.items()},
                "ours": _scores(truth, np.array([index[r.label] for r in ours])),
                "ours_without_question": _scores(truth, np.array([index[r.label] for r in blind])),
                "vader": _scores(truth, train_sentiment.vader_labels(test.texts)),
            }
            sentiment._model.cache_clear()

    def summary(system: str) -> dict:
        return {
            measure: {
                "worst": min(r[system][measure] for r in per_trust.values()),
                "mean": round(float(np.mean([r[system][measure] for r in per_trust.values()])), 4),
            }
            for measure in ("macro_f1", "neutral_f1")
        }

    return {
        "per_trust": per_trust,
        "summary": {s: summary(s) for s in ("ours", "ours_without_question", "vader")},
        "targets": {"worst_macro_f1": TARGET_WORST_MACRO_F1, "neutral_f1": TARGET_NEUTRAL_F1},
        "embed_seconds": round(embed_seconds, 1),
        "fit_and_score_seconds": round(time.perf_counter() - start, 1),
    }


def evaluate(embed_fn: Callable[[list[str]], np.ndarray] | None = None) -> dict:
    """What bench/discover.py reports for feeling: the leave-one-trust-out figures."""
    return leave_one_trust_out(embed_fn)


def print_table(r: dict) -> None:
    print("Feeling on a held-out trust (3-class macro-F1 / neutral F1), trained on the others")
    head = f"  {'held-out trust':<16}{'n':>6}   {'ours':>13}   {'no question':>13}   {'VADER':>13}"
    print(head)
    for trust, row in r["per_trust"].items():
        cells = [
            f"{row[s]['macro_f1']:.3f} / {row[s]['neutral_f1']:.3f}"
            for s in ("ours", "ours_without_question", "vader")
        ]
        print(f"  {trust:<16}{row['n']:>6}   " + "   ".join(f"{c:>13}" for c in cells))
    for stat in ("worst", "mean"):
        cells = [
            f"{r['summary'][s]['macro_f1'][stat]:.3f} / {r['summary'][s]['neutral_f1'][stat]:.3f}"
            for s in ("ours", "ours_without_question", "vader")
        ]
        print(f"  {stat:<22}   " + "   ".join(f"{c:>13}" for c in cells))
    ours = r["summary"]["ours"]
    print(
        f"  target worst macro-F1 >= {TARGET_WORST_MACRO_F1}: "
        f"{'met' if ours['macro_f1']['worst'] >= TARGET_WORST_MACRO_F1 else 'NOT met'}; "
        f"neutral F1 >= {TARGET_NEUTRAL_F1} (worst): "
        f"{'met' if ours['neutral_f1']['worst'] >= TARGET_NEUTRAL_F1 else 'NOT met'}"
    )


def main() -> None:
    results = leave_one_trust_out()
    print_table(results)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nWrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
