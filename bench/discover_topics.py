"""Benchmark: Discover's topic clustering against BERTopic's defaults.

Embeds the feedback in text_data.csv (10,334 FFT comments with human labels) with
all-MiniLM-L6-v2, then clusters the SAME embeddings two ways, in the same run:

- ours: `nhs_citizen.discover.algorithms.topics.cluster` (seed 0);
- the baseline: `BERTopic()` with its defaults (UMAP + HDBSCAN + c-TF-IDF), given the
  precomputed embeddings in `fit_transform`.

Scores each against the human `label` (9 categories) and `subcategory` (44): adjusted Rand
index (ARI) and normalised mutual information (NMI). Also reports the number of topics, the
share of comments left without a topic (outliers) and the seconds taken.

The labels are only used for scoring: neither method sees them.

Prints a table and writes bench/results/discover_topics.json. Embeddings are cached in
bench/results/.cache/ (keyed by a hash of the texts), so later runs skip the embedding
(about 6 minutes on a busy 2-core machine).

    .venv/bin/python bench/discover_topics.py [--seeds N] [--candidates] [--no-bertopic] [--limit N]

--candidates adds the other methods weighed in docs/adr/0016-discover-topics.md: plain
k-means with k by silhouette, and BERTopic with its outliers moved to the nearest topic.

`compare(texts, vectors, labels, sublabels)` is importable (used by bench/discover.py).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CACHE = ROOT / "bench" / "results" / ".cache"
OUT = ROOT / "bench" / "results" / "discover_topics.json"


def fft_dir() -> Path:
    env = os.environ.get("NHS_CITIZEN_FFT_DIR")
    if env:
        return Path(env)
    return (ROOT / ".." / "shared" / "data" / "fft").resolve()


def load_text_data(limit: int | None = None) -> tuple[list[str], list[str], list[str]]:
    """(texts, labels, sublabels) for rows with non-empty feedback, in file order."""
    texts, labels, sublabels = [], [], []
    with (fft_dir() / "text_data.csv").open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            text = (row.get("feedback") or "").strip()
            if not text:
                continue
            texts.append(text)
            labels.append(row["label"])
            sublabels.append(row["subcategory"])
    if limit:
        texts, labels, sublabels = texts[:limit], labels[:limit], sublabels[:limit]
    return texts, labels, sublabels


def cached_embeddings(texts: list[str]) -> np.ndarray:
    digest = hashlib.sha256("\x1e".join(texts).encode("utf-8")).hexdigest()[:16]
    path = CACHE / f"minilm-{digest}.npy"
    if path.exists():
        return np.load(path)
    from nhs_citizen.core.embeddings import embed

    vectors = embed(texts)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


def _scores(found, labels, sublabels) -> dict:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    found = np.asarray(found)
    return {
        "ari_label": round(float(adjusted_rand_score(labels, found)), 4),
        "nmi_label": round(float(normalized_mutual_info_score(labels, found)), 4),
        "ari_subcategory": round(float(adjusted_rand_score(sublabels, found)), 4),
        "nmi_subcategory": round(float(normalized_mutual_info_score(sublabels, found)), 4),
        "topics": int(len(set(found.tolist()) - {-1})),
        "outlier_share": round(float(np.mean(found == -1)), 4),
    }


def _ours(vectors, seed):
    from nhs_citizen.discover.algorithms.topics import cluster

    start = time.perf_counter()
    model = cluster(vectors, seed=seed)
    return model, time.perf_counter() - start


def _kmeans_silhouette(vectors, seed):
    """Candidate: plain k-means (PCA-50), k by silhouette on a 3,000 sample, 12 k from 8 to 40."""
    from sklearn.cluster import KMeans
    from sklearn.decomposition import PCA
    from sklearn.metrics import silhouette_score

    start = time.perf_counter()
    x = PCA(50, svd_solver="full").fit_transform(vectors)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    sample = np.random.default_rng(seed).choice(len(x), min(len(x), 3000), replace=False)
    best = (-np.inf, 8)
    for k in sorted({int(round(k)) for k in np.geomspace(8, 40, 12)}):
        found = KMeans(k, n_init=2, random_state=seed).fit(x[sample]).labels_
        best = max(best, (silhouette_score(x[sample], found), k))
    found = KMeans(best[1], n_init=4, random_state=seed).fit(x).labels_
    return found, time.perf_counter() - start


def compare(
    texts: list[str],
    vectors: np.ndarray,
    labels: list[str],
    sublabels: list[str],
    *,
    seeds: tuple[int, ...] = (0,),
    bertopic: bool = True,
    candidates: bool = False,
) -> dict:
    """ARI/NMI against `labels` and `sublabels`, topics, outlier share and seconds, for ours
    (one entry per seed; "ours" is the first seed) and for BERTopic's defaults on the SAME
    vectors. BERTopic's outliers (-1) count as one group when scoring, as they would show on
    a dashboard. With candidates=True, also the other methods weighed in the ADR."""
    vectors = np.asarray(vectors, dtype=np.float32)
    result: dict = {"items": len(texts), "embedding": "all-MiniLM-L6-v2 (384-d, unit length)"}
    per_seed = {}
    for seed in seeds:
        model, seconds = _ours(vectors, seed)
        per_seed[str(seed)] = {
            **_scores(model.labels, labels, sublabels),
            "seconds": round(seconds, 2),
        }
    result["ours"] = per_seed[str(seeds[0])]
    if len(seeds) > 1:
        result["ours_by_seed"] = per_seed
    if candidates:
        found, seconds = _kmeans_silhouette(vectors, seeds[0])
        result["kmeans_silhouette"] = {
            **_scores(found, labels, sublabels),
            "seconds": round(seconds, 2),
        }
    if bertopic:
        import logging

        from bertopic import BERTopic

        logging.getLogger("BERTopic").setLevel(logging.WARNING)
        start = time.perf_counter()
        topic_model = BERTopic()
        found, _ = topic_model.fit_transform(texts, embeddings=vectors)
        seconds = time.perf_counter() - start
        result["bertopic"] = {**_scores(found, labels, sublabels), "seconds": round(seconds, 2)}
        if candidates:
            start = time.perf_counter()
            moved = topic_model.reduce_outliers(
                texts, found, strategy="embeddings", embeddings=vectors
            )
            seconds += time.perf_counter() - start
            result["bertopic_outliers_reassigned"] = {
                **_scores(moved, labels, sublabels),
                "seconds": round(seconds, 2),
            }
        result["ours_beats_bertopic_on_label"] = bool(
            result["ours"]["ari_label"] > result["bertopic"]["ari_label"]
            and result["ours"]["nmi_label"] > result["bertopic"]["nmi_label"]
        )
    return result


def print_table(result: dict) -> None:
    rows = [
        (name, fig) for name, fig in result.items() if isinstance(fig, dict) and "ari_label" in fig
    ]
    rows += [(f"ours seed {seed}", fig) for seed, fig in result.get("ours_by_seed", {}).items()]
    print(f"{result['items']} comments, {result['embedding']}")
    head = f"{'method':30} {'ARI lab':>8} {'NMI lab':>8} {'ARI sub':>8} {'NMI sub':>8}"
    print(f"{head} {'topics':>7} {'outliers':>9} {'seconds':>8}")
    for name, fig in rows:
        print(
            f"{name:30} {fig['ari_label']:8.3f} {fig['nmi_label']:8.3f} "
            f"{fig['ari_subcategory']:8.3f} {fig['nmi_subcategory']:8.3f} {fig['topics']:7d} "
            f"{fig['outlier_share']:9.1%} {fig['seconds']:8.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-bertopic", action="store_true")
    parser.add_argument("--candidates", action="store_true", help="also the other methods")
    parser.add_argument("--seeds", type=int, default=3, help="run ours with seeds 0..N-1")
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()

    texts, labels, sublabels = load_text_data(args.limit)
    start = time.perf_counter()
    vectors = cached_embeddings(texts)
    print(f"embeddings: {time.perf_counter() - start:.1f}s (cache: {CACHE.relative_to(ROOT)})")
    result = compare(
        texts,
        vectors,
        labels,
        sublabels,
        seeds=tuple(range(max(args.seeds, 1))),
        bertopic=not args.no_bertopic,
        candidates=args.candidates,
    )
    print_table(result)
    if args.limit is None:
        OUT.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n")
        print(f"\nWritten to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()


# --- Issue 13: topics on held-out sets, ours against BERTopic + reduce_outliers -------------


def topic_sets() -> list[dict]:
    """The labelled sets: all of text_data.csv (9 labels, 44 subcategories), each of its three
    trusts alone, and the single-topic comments of v6_neas.csv (another trust, 50 topics).
    Texts as in the files (raw), so that the embedding cache is shared with the feeling bench."""
    rows = []
    with (fft_dir() / "text_data.csv").open(newline="", encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            if (row.get("feedback") or "").strip():
                rows.append(row)
    sets = [
        {
            "name": "FFT all trusts",
            "texts": [r["feedback"] for r in rows],
            "truth": {
                "label": [r["label"] for r in rows],
                "subcategory": [r["subcategory"] for r in rows],
            },
        }
    ]
    for trust in sorted({r["organization"] for r in rows}):
        mine = [r for r in rows if r["organization"] == trust]
        sets.append(
            {
                "name": trust,
                "texts": [r["feedback"] for r in mine],
                "truth": {
                    "label": [r["label"] for r in mine],
                    "subcategory": [r["subcategory"] for r in mine],
                },
            }
        )
    texts, topics = [], []
    with (fft_dir() / "v6_neas.csv").open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        columns = reader.fieldnames[reader.fieldnames.index("Not assigned") :]
        for row in reader:
            chosen = [c for c in columns if (row.get(c) or "").strip() not in ("", "0")]
            if len(chosen) == 1 and (row.get("FFT answer") or "").strip():
                texts.append(row["FFT answer"])
                topics.append(chosen[0])
    sets.append({"name": "NEAS (one topic each)", "texts": texts, "truth": {"topic": topics}})
    return sets


def _ours_in_order(vectors: np.ndarray, seed: int) -> np.ndarray:
    """Our topics with the items shuffled by `seed` (seed 0: file order), mapped back: the
    method has no random seed, so the seeds test that the input order changes nothing."""
    from nhs_citizen.discover.algorithms.topics import cluster

    order = (
        np.arange(len(vectors))
        if seed == 0
        else np.random.default_rng(seed).permutation(len(vectors))
    )
    found = np.empty(len(vectors), dtype=np.int64)
    found[order] = cluster(vectors[order]).labels
    return found


def _bertopic_reduced(texts: list[str], vectors: np.ndarray, seed: int) -> np.ndarray:
    """BERTopic's defaults (UMAP 15 neighbours to 5-d, HDBSCAN min size 10, c-TF-IDF) on the
    given embeddings, UMAP seeded, then `reduce_outliers(strategy="embeddings")`: every
    outlier moved to the topic whose embedding is closest."""
    import logging

    from bertopic import BERTopic
    from umap import UMAP

    logging.getLogger("BERTopic").setLevel(logging.WARNING)
    umap_model = UMAP(
        n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=seed
    )
    model = BERTopic(umap_model=umap_model)
    found, _ = model.fit_transform(texts, embeddings=vectors)
    if all(t == -1 for t in found):
        return np.asarray(found)
    return np.asarray(
        model.reduce_outliers(texts, found, strategy="embeddings", embeddings=vectors)
    )


def _summary(values: list[float]) -> dict:
    return {
        "mean": round(float(np.mean(values)), 4),
        "min": round(float(np.min(values)), 4),
        "max": round(float(np.max(values)), 4),
        "spread": round(float(np.max(values) - np.min(values)), 4),
        "by_seed": [round(float(v), 4) for v in values],
    }


def topics_against_bertopic(embed_fn, seeds: int = 5, bertopic: bool = True, only=None) -> dict:
    """ARI and NMI against every set's human labels, ours over `seeds` input orders and
    BERTopic + reduce_outliers over `seeds` UMAP seeds, on the SAME embeddings (embed_fn, the
    project's one embedding function with the NHS glossary). Ours "beats" when its worst
    seed is above BERTopic's mean on both ARI and NMI."""
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    result: dict = {"seeds": seeds, "sets": {}}
    for data in topic_sets():
        if only and data["name"] not in only:
            continue
        vectors = np.asarray(embed_fn(data["texts"]), dtype=np.float32)
        entry: dict = {"items": len(data["texts"]), "seeds": seeds, "by_labels": {}}
        runs: dict[str, list] = {"ours": [], "bertopic": []}
        seconds = {"ours": 0.0, "bertopic": 0.0}
        for seed in range(seeds):
            start = time.perf_counter()
            runs["ours"].append(_ours_in_order(vectors, seed))
            seconds["ours"] += time.perf_counter() - start
            if bertopic:
                start = time.perf_counter()
                runs["bertopic"].append(_bertopic_reduced(data["texts"], vectors, seed))
                seconds["bertopic"] += time.perf_counter() - start
        for method, found in runs.items():
            if found:
                entry[method] = {
                    "topics": [int(len(set(f.tolist()) - {-1})) for f in found],
                    "seconds_per_run": round(seconds[method] / len(found), 1),
                }
        for kind, truth in data["truth"].items():
            scores: dict = {}
            for method, found in runs.items():
                if found:
                    scores[method] = {
                        "ari": _summary([adjusted_rand_score(truth, f) for f in found]),
                        "nmi": _summary([normalized_mutual_info_score(truth, f) for f in found]),
                    }
            if "bertopic" in scores:
                scores["ours_beats_bertopic"] = all(
                    scores["ours"][m]["min"] > scores["bertopic"][m]["mean"] for m in ("ari", "nmi")
                )
            entry["by_labels"][kind] = scores
        result["sets"][data["name"]] = entry
        print(f"  topics: {data['name']} done", flush=True)
    return result


def print_topics_table(result: dict) -> None:
    print(
        "Topics against human labels, ARI / NMI over each set's seeds (ours: deterministic, "
        "seeds = input orders; BERTopic + reduce_outliers: UMAP seeds)"
    )
    head = (
        f"  {'set':<22}{'labels':<12}{'n':>6}{'seeds':>6}  {'ours ARI mean/min/spread':>26}  "
        f"{'ours NMI mean/min/spread':>26}  {'BERTopic ARI mean/spread':>25}  "
        f"{'BERTopic NMI mean/spread':>25}  {'topics':>9}  beats"
    )
    print(head)
    for name, entry in result["sets"].items():
        for kind, scores in entry["by_labels"].items():
            o = scores["ours"]
            cells = [
                f"{o[m]['mean']:.3f} / {o[m]['min']:.3f} / {o[m]['spread']:.3f}"
                for m in ("ari", "nmi")
            ]
            b = scores.get("bertopic")
            if b:
                cells += [f"{b[m]['mean']:.3f} / {b[m]['spread']:.3f}" for m in ("ari", "nmi")]
                topics = (
                    f"{entry['ours']['topics'][0]}/{round(np.mean(entry['bertopic']['topics']))}"
                )
                beats = "yes" if scores["ours_beats_bertopic"] else "NO"
            else:
                cells += ["-", "-"]
                topics, beats = f"{entry['ours']['topics'][0]}", "-"
            print(
                f"  {name:<22}{kind:<12}{entry['items']:>6}{entry.get('seeds', result['seeds']):>6}  {cells[0]:>26}  {cells[1]:>26}  "
                f"{cells[2]:>25}  {cells[3]:>25}  {topics:>9}  {beats}"
            )
