"""Benchmark: the cost of the hash-chained audit log.

Writes N entries through record_audit_entry (hashing, chaining, serialised writers) and, as the
baseline in the same run, N plain rows of a comparable size through the ORM; then verifies the
chain and, as its baseline, reads the same rows without hashing. Prints a table and writes
bench/results/audit_log.<database>.json.

    .venv/bin/python bench/audit_log.py [--entries N]

Runs against a fresh temporary SQLite database (or DATABASE_URL, where it uses a throwaway
test database created by Django's test runner utilities).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=5000)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="nhs-citizen-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nhs_citizen.config.settings")
    os.environ["NHS_CITIZEN_ENV"] = "test"
    os.environ["DATA_DIR"] = tmp
    os.environ["SQLITE_PATH"] = str(Path(tmp) / "bench.sqlite3")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        results = run(args.entries)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    results["database"] = connection.vendor
    print_table(results)
    out = ROOT / "bench" / "results" / f"audit_log.{connection.vendor}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nWritten to {out.relative_to(ROOT)}")


def run(n: int) -> dict:
    from nhs_citizen.accounts.models import User
    from nhs_citizen.core.models import AuditEntry
    from nhs_citizen.core.services.audit import record_audit_entry, verify_audit_log
    from nhs_citizen.notifications.models import Notification

    user = User.objects.create_user(email="bench@example.com", password="x", display_name="Bench")

    start = time.perf_counter()
    for i in range(n):
        Notification.objects.create(
            user=user, subject=f"Entry {i}", body="Plain row of a similar size"
        )
    baseline_write = time.perf_counter() - start

    start = time.perf_counter()
    for i in range(n):
        record_audit_entry(
            actor=user, action="bench.entry", summary=f"Entry {i}", data={"i": i}, public=i % 2 == 0
        )
    chained_write = time.perf_counter() - start

    start = time.perf_counter()
    rows = sum(1 for _ in AuditEntry.objects.order_by("sequence").iterator(chunk_size=2000))
    baseline_read = time.perf_counter() - start

    tracemalloc.start()
    start = time.perf_counter()
    problems = verify_audit_log()
    verify = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert problems == [] and rows == n

    return {
        "entries": n,
        "baseline_plain_writes_per_second": round(n / baseline_write),
        "audit_writes_per_second": round(n / chained_write),
        "write_cost_vs_baseline": round(chained_write / baseline_write, 2),
        "baseline_plain_reads_per_second": round(n / baseline_read),
        "verify_entries_per_second": round(n / verify),
        "verify_cost_vs_baseline_read": round(verify / baseline_read, 2),
        "verify_peak_memory_mib": round(peak / 2**20, 2),
    }


def print_table(results: dict) -> None:
    print(f"Audit log benchmark ({results['entries']} entries, {results['database']})")
    print(f"{'measure':<40}{'value':>14}")
    for key, value in results.items():
        if key in {"entries", "database"}:
            continue
        print(f"{key:<40}{value:>14}")


if __name__ == "__main__":
    main()
