"""Benchmark: how ARI and NMI trade off as our topics get finer, against BERTopic, same run.

For each labelled FFT set (`discover_topics.topic_sets`: the three trusts of text_data.csv
and NEAS, read from ../shared/data/fft), our method (`topics.cluster`'s steps: PCA to 50-d, a
deterministic split into fine groups refined by k-means, Ward merges) is cut at several
numbers of topics, with and without neighbour smoothing (each vector replaced by the mean of
its m nearest neighbours first, an idea the method does not use). The baseline, in the same
run on the same glossary embeddings, is BERTopic + reduce_outliers (UMAP seed 0). It shows
whether any number of topics beats BERTopic on both measures (ADR 0029, addendum).

    .venv/bin/python bench/discover_topic_curve.py [--sets "Trust A,Trust B"] [--smooth 0,30]

Prints a table and writes bench/results/discover_topic_curve.json. Embeddings are cached as
in bench/discover_sentiment.py.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

OUT = ROOT / "bench" / "results" / "discover_topic_curve.json"
CUTS = (10, 20, 30, 40, 60, 80, 120)


def smooth(vectors: np.ndarray, m: int) -> np.ndarray:
    """Each unit vector replaced by the unit mean of its m nearest neighbours (itself
    included). Exact neighbours: n^2 work, fine for a benchmark."""
    from nhs_citizen.discover.algorithms.topics import _unit_rows

    out = np.empty_like(vectors)
    for start in range(0, len(vectors), 2048):
        sims = vectors[start : start + 2048] @ vectors.T
        nearest = np.argpartition(-sims, m, axis=1)[:, :m]
        out[start : start + 2048] = vectors[nearest].mean(axis=1)
    return _unit_rows(out).astype(np.float64)


def curve(vectors: np.ndarray, truth: dict[str, list[str]]) -> list[dict]:
    from sklearn.decomposition import PCA
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    from nhs_citizen.discover.algorithms import topics

    n = len(vectors)
    x = PCA(n_components=50, svd_solver="full").fit_transform(vectors)
    x = topics._unit_rows(x).astype(np.float64)
    weights = np.ones(n)
    fine_labels, fine_centres = topics._fine_groups(x, min(2 * max(CUTS), n - 1), weights)
    fine_k = fine_centres.shape[0]
    merges = topics._ward_merges(fine_centres, np.bincount(fine_labels, minlength=fine_k))
    rows = []
    chosen = topics.cluster(vectors).labels
    for k in (*CUTS, "chosen"):
        if k != "chosen" and k > fine_k:
            continue
        found = chosen if k == "chosen" else topics._cut(merges, fine_k, k)[fine_labels]
        row = {"topics": int(len(set(found.tolist()))), "cut": k}
        for name, labels in truth.items():
            row[name] = {
                "ari": round(float(adjusted_rand_score(labels, found)), 4),
                "nmi": round(float(normalized_mutual_info_score(labels, found)), 4),
            }
        rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", default="Trust A,Trust B,Trust C,NEAS (one topic each)")
    parser.add_argument("--smooth", default="0,30", help="neighbours to average; 0 = none")
    args = parser.parse_args()
    import discover_topics
    from discover_sentiment import cached_embed
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    wanted = [s.strip() for s in args.sets.split(",") if s.strip()]
    result: dict = {"sets": {}}
    for data in discover_topics.topic_sets():
        if data["name"] not in wanted:
            continue
        vectors = cached_embed(data["texts"])
        baseline = discover_topics._bertopic_reduced(data["texts"], vectors, 0)
        entry = {
            "items": len(vectors),
            "bertopic": {
                "topics": int(len(set(baseline.tolist()) - {-1})),
                **{
                    name: {
                        "ari": round(float(adjusted_rand_score(labels, baseline)), 4),
                        "nmi": round(float(normalized_mutual_info_score(labels, baseline)), 4),
                    }
                    for name, labels in data["truth"].items()
                },
            },
            "ours": {},
        }
        for m in (int(v) for v in args.smooth.split(",")):
            entry["ours"][str(m)] = curve(smooth(vectors, m) if m else vectors, data["truth"])
        result["sets"][data["name"]] = entry
        print_set(data["name"], entry)
    OUT.write_text(json.dumps(result, indent=1) + "\n")
    print(f"Wrote {OUT}")


def print_set(name: str, entry: dict) -> None:
    b = entry["bertopic"]
    measures = [k for k in b if k != "topics"]
    print(f"\n{name} ({entry['items']:,} comments): ARI / NMI; * = beats BERTopic on both")
    print(
        f"  BERTopic + reduce_outliers, {b['topics']} topics: "
        + ", ".join(f"{m} {b[m]['ari']:.3f} / {b[m]['nmi']:.3f}" for m in measures)
    )
    for m, rows in entry["ours"].items():
        for row in rows:
            cells = []
            for measure in measures:
                ours = row[measure]
                beats = ours["ari"] > b[measure]["ari"] and ours["nmi"] > b[measure]["nmi"]
                cells.append(
                    f"{measure} {ours['ari']:.3f} / {ours['nmi']:.3f}{'*' if beats else ' '}"
                )
            label = "chosen k" if row["cut"] == "chosen" else f"cut {row['cut']}"
            print(f"  smooth {m:>3}  {label:<9} {row['topics']:>4} topics  " + "  ".join(cells))


if __name__ == "__main__":
    main()
