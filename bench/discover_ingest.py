"""Benchmark: taking Discover items in on PostgreSQL, COPY against bulk_create, same run.

`ingest.do_ingest` adds new items on PostgreSQL by COPY into a temporary table and one
INSERT ... ON CONFLICT DO NOTHING (`ingest._copy_in`, ADR 0017). The baseline is what it did
before: Django's `bulk_create(batch_size=500, ignore_conflicts=True)`. Each way takes in the
same N FFT comments (../shared/data/fft, read from there) into a source of its own, in turns,
`--rounds` times, in one throwaway database; nothing else runs (jobs are queued, not run).
On SQLite both ways are bulk_create, so run it with DATABASE_URL set:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test \\
        .venv/bin/python bench/discover_ingest.py [--items 10000] [--rounds 2]

Prints each round and writes bench/results/discover_ingest.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

OUT = ROOT / "bench" / "results" / "discover_ingest.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()

    from _fresh_db import fresh_database

    with fresh_database(TASKS_BACKEND="django_tasks_db.DatabaseBackend") as vendor:
        from discover import fft_incoming, load_text_data

        from nhs_citizen.discover.models import Item, Source, SourceKind
        from nhs_citizen.discover.services import ingest

        texts = load_text_data()[0][: args.items]
        incoming = fft_incoming(texts)
        copy_in = ingest._copy_in

        def bulk_create(items):
            Item.objects.bulk_create(items, batch_size=500, ignore_conflicts=True)

        # One small untimed round each way first: the first COPY and the first INSERT pay for
        # warming up the connection, the tables and their indexes.
        for how, insert in (("copy", copy_in), ("bulk_create", bulk_create)):
            source = Source.objects.create(name=f"warm-up {how}", kind=SourceKind.UPLOAD)
            ingest._copy_in = insert
            try:
                ingest.do_ingest(source, incoming[:200])
            finally:
                ingest._copy_in = copy_in
        seconds: dict[str, list[float]] = {"copy": [], "bulk_create": []}
        for round_ in range(args.rounds):
            for how in ("copy", "bulk_create"):
                source = Source.objects.create(name=f"{how} {round_}", kind=SourceKind.UPLOAD)
                ingest._copy_in = copy_in if how == "copy" else bulk_create
                try:
                    start = time.perf_counter()
                    result = ingest.do_ingest(source, incoming)
                    took = time.perf_counter() - start
                finally:
                    ingest._copy_in = copy_in
                assert result.new == len(texts), result
                seconds[how].append(round(took, 2))
                print(f"{vendor} round {round_ + 1}: {how:<12} {took:6.2f} s", flush=True)
        in_order = list(
            Item.objects.filter(source__name="copy 0")
            .order_by("pk")
            .values_list("original_id", flat=True)
        ) == [f"fft-{i}" for i in range(len(texts))]
    result = {
        "database": vendor,
        "items": len(texts),
        "seconds": seconds,
        "median_seconds": {how: round(statistics.median(v), 2) for how, v in seconds.items()},
        "copy_keeps_order": in_order,
    }
    median = result["median_seconds"]
    print(
        f"median: COPY {median['copy']} s, bulk_create {median['bulk_create']} s "
        f"({len(texts):,} items, {vendor}); COPY keeps the order: {in_order}"
    )
    OUT.write_text(json.dumps(result, indent=1) + "\n")
    print(f"Wrote {OUT}")


if __name__ == "__main__":
    main()
