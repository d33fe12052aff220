"""Benchmark: Discover end to end on real NHS feedback, in one run.

Uses the Friends and Family Test comments in ../shared/data/fft/ (read from there, never copied):

1. Throughput. The baseline is embedding only: all-MiniLM-L6-v2 over N comments in batches of
   the pipeline's size. Then the whole pipeline on the same N comments in a fresh database:
   take them in as a source, then process every batch (redact, exact and near duplicates,
   embed, feeling, place, join topics, one transaction per batch), then find topics from
   everything and refresh every topic's figures. Target: at least 0.8 of the embedding-only
   rate, and 10,000 comments in under 6 minutes.
2. Topics against human labels (ARI and NMI): all of text_data.csv (9 labels, 44
   subcategories), each of its trusts alone, and v6_neas.csv's single-topic comments; ours
   over 5 input orders (the method is deterministic) against BERTopic + reduce_outliers over
   5 UMAP seeds, on the same embeddings from the project's one embedding function
   (bench/discover_topics.py, ADR 0029).
3. Feeling: leave one trust out, 3-class macro-F1 for each trust, the worst and the mean,
   ours against VADER (bench/discover_sentiment.py).
4. Stance-safe duplicates: opposite pairs and rewordings merged (bench/data/stance_pairs.jsonl).

Prints a table and writes bench/results/discover.json (a section run alone with --only
replaces that section and keeps the others).

    .venv/bin/python bench/discover.py [--items 10000] [--seeds 5] [--no-bertopic]
    .venv/bin/python bench/discover.py --only stance   # or throughput, topics, feeling

Runs against a fresh temporary SQLite database, or, when DATABASE_URL is set, a throwaway test
database on that server.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _fresh_db import fresh_database  # noqa: E402

OUT = Path(os.environ.get("DISCOVER_BENCH_OUT", ROOT / "bench" / "results" / "discover.json"))


def fft_dir() -> Path:
    env = os.environ.get("NHS_CITIZEN_FFT_DIR")
    return Path(env) if env else (ROOT / ".." / "shared" / "data" / "fft").resolve()


def load_text_data() -> tuple[list[str], list[str], list[str]]:
    texts, labels, sublabels = [], [], []
    with open(fft_dir() / "text_data.csv", encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            text = (row.get("feedback") or "").strip()
            if text:
                texts.append(text)
                labels.append(row["label"])
                sublabels.append(row["subcategory"])
    return texts, labels, sublabels


def fft_incoming(texts: list[str]) -> list:
    """The comments as a connector would hand them over: ids fft-0, fft-1, ..., dated over
    the last 60 days, one in three with a postcode area."""
    from django.utils import timezone

    from nhs_citizen.discover.connectors import IncomingItem

    now = timezone.now()
    return [
        IncomingItem(
            original_id=f"fft-{i}",
            text=text,
            said_at=now - dt.timedelta(hours=i % (24 * 60)),
            place="LS6" if i % 3 == 0 else "",
        )
        for i, text in enumerate(texts)
    ]


def throughput(texts: list[str]) -> dict:
    from nhs_citizen.core import embeddings
    from nhs_citizen.discover.services import pipeline

    embeddings.embed(["warm up the model"])  # loading the model is not part of either figure
    start = time.perf_counter()
    vectors = []
    for i in range(0, len(texts), pipeline.BATCH_SIZE):
        vectors.append(embeddings.embed(texts[i : i + pipeline.BATCH_SIZE]))
    embed_seconds = time.perf_counter() - start

    from nhs_citizen.discover.models import Item, Source, SourceKind, Topic
    from nhs_citizen.discover.services.ingest import do_ingest

    source = Source.objects.create(name="FFT comments", kind=SourceKind.UPLOAD)
    incoming = fft_incoming(texts)
    pipeline.reset_caches()
    start = time.perf_counter()
    do_ingest(source, incoming)
    ingest_seconds = time.perf_counter() - start
    processed = 0
    while True:
        batch = pipeline.do_process_batch()
        if batch is None:
            break
        processed += batch.item_count
    process_seconds = time.perf_counter() - start - ingest_seconds
    recluster = pipeline.do_recluster()
    total_seconds = time.perf_counter() - start
    public = Item.objects.public().count()
    return {
        "items": len(texts),
        "embedding_only_seconds": round(embed_seconds, 1),
        "embedding_only_per_second": round(len(texts) / embed_seconds, 1),
        "ingest_seconds": round(ingest_seconds, 1),
        "process_seconds": round(process_seconds, 1),
        "find_topics_seconds": round(total_seconds - ingest_seconds - process_seconds, 1),
        "end_to_end_seconds": round(total_seconds, 1),
        "end_to_end_per_second": round(len(texts) / total_seconds, 1),
        "ratio_to_embedding_only": round(embed_seconds / total_seconds, 3),
        "processed": processed,
        "public_statements": public,
        "duplicates_merged": processed - public,
        "topics": Topic.objects.live().count(),
        "find_topics_message": recluster.message if recluster else "",
        "peak_memory_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }, __import__("numpy").vstack(vectors)


# --- Stance-safe duplicates (ADR 0024) ---------------------------------------------------

STANCE_PAIRS = ROOT / "bench" / "data" / "stance_pairs.jsonl"
STANCE_OUT = ROOT / "bench" / "results" / "discover_stance.json"


def stance_pairs() -> dict:
    """Hand-written pairs (bench/data/stance_pairs.jsonl): how many opposite-stance pairs the
    pipeline's near-duplicate step merges (target 0) and how many rewordings it merges (target
    >= 90%), with the real embedding model and threshold. Every 5th pair is held out (never
    used to tune the rules); both parts are reported."""
    from nhs_citizen.core import embeddings
    from nhs_citizen.discover.algorithms import dedupe

    rows = [
        json.loads(line)
        for line in STANCE_PAIRS.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    va = embeddings.embed([r["a"] for r in rows])
    vb = embeddings.embed([r["b"] for r in rows])
    result: dict = {"threshold": dedupe.DEFAULT_THRESHOLD, "pairs": len(rows)}
    for part in ("dev", "held_out"):
        counts: dict = {}
        for k, row in enumerate(rows):
            if (k % 5 == 4) != (part == "held_out"):
                continue
            reps = dedupe.near_duplicates(
                [row["a"], row["b"]], __import__("numpy").vstack([va[k], vb[k]])
            )
            merged = reps[1] == 0
            c = counts.setdefault(row["label"], {"pairs": 0, "merged": 0, "merged_examples": []})
            c["pairs"] += 1
            c["merged"] += merged
            if merged and row["label"] == "opposite":
                c["merged_examples"].append([row["a"], row["b"]])
        for c in counts.values():
            c["merged_share"] = round(c["merged"] / c["pairs"], 3) if c["pairs"] else None
        result[part] = counts
    STANCE_OUT.parent.mkdir(parents=True, exist_ok=True)
    STANCE_OUT.write_text(json.dumps(result, indent=2) + "\n")
    return result


def print_stance(result: dict) -> None:
    print(
        "Stance-safe duplicates (bench/data/stance_pairs.jsonl, cosine threshold "
        f"{result['threshold']})"
    )
    for part in ("dev", "held_out"):
        opp, rew = result[part]["opposite"], result[part]["rewording"]
        print(
            f"  {part:9} opposite pairs merged {opp['merged']:>3} of {opp['pairs']:<3} (target 0)   "
            f"rewordings merged {rew['merged']:>3} of {rew['pairs']:<3} = {rew['merged_share']:.0%} (target >= 90%)"
        )
    print(f"Wrote {STANCE_OUT.relative_to(ROOT)}")


def _throughput_in_a_fresh_database(items: int) -> dict:
    # Jobs are queued, not run inline: the benchmark runs each step itself.
    with fresh_database(TASKS_BACKEND="django_tasks_db.DatabaseBackend") as vendor:
        texts, _, _ = load_text_data()
        sample = texts[:items]
        print(f"Throughput on {len(sample):,} FFT comments ({vendor})…", flush=True)
        speed, _ = throughput(sample)
    speed["database"] = vendor
    return speed


def print_throughput(s: dict) -> None:
    print(f"Throughput ({s.get('database', 'sqlite')})")
    print(
        f"  embedding only          {s['embedding_only_per_second']:>8} items/s ({s['embedding_only_seconds']} s)"
    )
    print(
        f"  end to end              {s['end_to_end_per_second']:>8} items/s ({s['end_to_end_seconds']} s: "
        f"take in {s['ingest_seconds']} s, batches {s['process_seconds']} s, find topics {s['find_topics_seconds']} s)"
    )
    print(f"  ratio (target >= 0.8)   {s['ratio_to_embedding_only']:>8}")
    print(
        f"  {s['items']:,} items in under 6 minutes: {'yes' if s['end_to_end_seconds'] < 360 else 'NO'}"
        f"; {s['public_statements']:,} statements after {s['duplicates_merged']:,} duplicates merged; {s['topics']} topics;"
        f" peak memory {s['peak_memory_mib']} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--seeds", type=int, default=5, help="seeds for the topic comparison")
    parser.add_argument("--no-bertopic", action="store_true")
    parser.add_argument(
        "--only", choices=["stance", "throughput", "topics", "feeling"], help="one section only"
    )
    parser.add_argument(
        "--topic-sets", default="", help="comma-separated set names (default: all sets)"
    )
    args = parser.parse_args()
    if args.only == "stance":
        print_stance(stance_pairs())
        return

    import discover_sentiment
    import discover_topics

    results = json.loads(OUT.read_text()) if OUT.exists() and args.only else {}
    for stale in ("clustering", "sentiment"):  # sections of the earlier layout
        results.pop(stale, None)
    sections = [args.only] if args.only else ["throughput", "topics", "feeling"]
    if "throughput" in sections:
        results["throughput"] = _throughput_in_a_fresh_database(args.items)
    if "topics" in sections:
        print("Topics: ours against BERTopic + reduce_outliers on the same embeddings…", flush=True)
        only = [name.strip() for name in args.topic_sets.split(",") if name.strip()] or None
        found = discover_topics.topics_against_bertopic(
            discover_sentiment.cached_embed,
            seeds=args.seeds,
            bertopic=not args.no_bertopic,
            only=only,
        )
        if only and "topics" in results:  # some sets again: keep the others' figures
            results["topics"]["sets"].update(found["sets"])
        else:
            results["topics"] = found
    if "feeling" in sections:
        print("Feeling: leave one trust out, ours against VADER…", flush=True)
        results["feeling"] = discover_sentiment.evaluate()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2, default=float) + "\n")

    print()
    if "throughput" in results:
        print_throughput(results["throughput"])
        print()
    if "topics" in results:
        discover_topics.print_topics_table(results["topics"])
        print()
    if "feeling" in results:
        discover_sentiment.print_table(results["feeling"])
        print()
    print(f"Wrote {OUT}")
    if not args.only:
        print()
        print_stance(stance_pairs())


if __name__ == "__main__":
    main()
