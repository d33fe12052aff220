"""Benchmark: what one change to the on-disk vector index (usearch) costs at national size.

Builds an index of ``--vectors`` (default 100,000: the flags of the scale data) random unit
vectors of 384 dimensions, the size of the sentence model's, in a temporary folder. Then, in the
same run, makes ``--changes`` changes (a new flag's vector, or a hidden flag's removal) two ways:

- the journal (what ``core/vectors.py`` does): each change is one record appended to a journal,
  and another process applies only the records it has not seen;
- the baseline: each change saves the whole graph again, as the index did before the journal.

For each it prints milliseconds per change, the bytes written per change, and the time another
process takes to see the change; and how long the journal takes to be folded into the file.
Writes bench/results/vector_index.json.

    .venv/bin/python bench/vector_index.py [--vectors 100000] [--changes 50]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from nhs_citizen.core import vectors  # noqa: E402


def _rows(n: int, seed: int):
    rng = np.random.default_rng(seed)
    for start in range(0, n, 5000):
        block = rng.standard_normal((min(5000, n - start), vectors.DIMENSIONS)).astype(np.float32)
        block /= np.linalg.norm(block, axis=1, keepdims=True)
        for offset, row in enumerate(block):
            yield start + offset + 1, row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--vectors", type=int, default=100_000)
    parser.add_argument("--changes", type=int, default=50)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "vector_index.json"))
    args = parser.parse_args()
    if not vectors._usearch_installed():
        sys.exit("usearch is not installed")
    folder = Path(tempfile.mkdtemp(prefix="nhs-citizen-vectors-"))
    n = args.vectors
    started = time.perf_counter()
    writer = vectors.UsearchIndex("bench", lambda: _rows(n, 1), folder)
    writer.JOURNAL_LIMIT = 10**9  # fold only when asked, below
    writer.rebuild()
    build_s = time.perf_counter() - started
    file_mb = (folder / "bench.usearch").stat().st_size / 1e6
    reader = vectors.UsearchIndex("bench", lambda: iter(()), folder)
    started = time.perf_counter()
    assert len(reader) == n
    load_s = time.perf_counter() - started
    print(
        f"{n:,} vectors: built in {build_s:.1f} s, file {file_mb:.0f} MB, loaded in {load_s:.2f} s"
    )

    new = list(_rows(args.changes, 2))

    def changes(key_offset: int, after_each) -> dict:
        change_ms, seen_ms, written = [], [], []
        for number, (key, row) in enumerate(new):
            journal_before = _size(folder / "bench.journal")
            started = time.perf_counter()
            if number % 5 == 4:
                writer.remove([key_offset + key - 1])
            else:
                writer.add([key_offset + key], [row])
            after_each()
            change_ms.append((time.perf_counter() - started) * 1000)
            # The journal writes one record; the baseline writes the whole file.
            grown = _size(folder / "bench.journal") - journal_before
            written.append(grown if after_each is _nothing else _size(folder / "bench.usearch"))
            started = time.perf_counter()
            len(reader)  # the other process catches up
            seen_ms.append((time.perf_counter() - started) * 1000)
        return {
            "ms_per_change": round(float(np.median(change_ms)), 2),
            "bytes_written_per_change": int(np.median(written)),
            "ms_for_another_process_to_see_it": round(float(np.median(seen_ms)), 2),
        }

    journal = changes(10 * n, _nothing)
    started = time.perf_counter()
    with writer._locked():
        writer._ready()
        writer._save()
    fold_s = time.perf_counter() - started
    baseline = changes(20 * n, lambda: _save_whole(writer))
    figures = {
        "vectors": n,
        "dimensions": vectors.DIMENSIONS,
        "file_mb": round(file_mb, 1),
        "build_s": round(build_s, 1),
        "load_s": round(load_s, 2),
        "journal": journal,
        "baseline_save_whole_file": baseline,
        "fold_journal_into_file_s": round(fold_s, 2),
        "speed_up": round(baseline["ms_per_change"] / max(journal["ms_per_change"], 1e-3), 1),
        "meta": {
            "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "changes": args.changes,
            "cpus": os.cpu_count(),
        },
    }
    print("\n| way | ms per change | bytes written per change | ms for another process to see it |")
    print("|---|---|---|---|")
    for label, row in (("journal", journal), ("baseline: save the whole file", baseline)):
        print(
            f"| {label} | {row['ms_per_change']} | {row['bytes_written_per_change']:,} | "
            f"{row['ms_for_another_process_to_see_it']} |"
        )
    print(f"\nFolding {args.changes} journal records into the file: {fold_s:.2f} s")
    print(f"The journal is {figures['speed_up']}x faster per change")
    Path(args.out).write_text(json.dumps(figures, indent=2) + "\n")
    print(f"Written to {args.out}")


def _nothing() -> None:
    return None


def _save_whole(index: vectors.UsearchIndex) -> None:
    with index._locked():
        index._save()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


if __name__ == "__main__":
    main()
