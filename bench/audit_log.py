"""Benchmark: the hash-chained audit log at national size, on PostgreSQL.

In one run, against a database of its own (dropped and made again unless --reuse):

1. Loads ``--entries`` (default 1,000,000) minus ``--tail`` (default 10,000, about a day of
   entries) valid chained entries with COPY, then signs the first checkpoint (which checks the
   whole chain: a full verification, timed in-process).
2. Writes ``--writes`` entries through ``record_audit_entry`` one at a time, and as the
   baseline in the same run as many plain rows of a similar size through the ORM; then
   ``--writers`` threads write at once, and it reports the share of their time spent waiting
   for the audit lock (``audit_lock_stats``).
3. Loads the rest of the tail with COPY, so the log has ``--entries`` entries, ``--tail`` of
   them after the checkpoint.
4. Times ``manage.py verify_audit_log`` (from the checkpoint; a new process each time, start-up
   included), ``verify_audit_log --full`` and ``write_audit_checkpoint`` (checks the tail).

Prints a table and writes bench/results/audit_log.<database>.json.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/audit_log.py

The database name in DATABASE_URL is only used to connect: the benchmark works in
``--database`` (default ``audit_bench``). With ``--existing``, it works in that database as it
is (for example ``scale`` loaded by ``seed_scale``): it loads nothing and writes nothing but
checkpoints, signing one ``--tail`` entries before the head if there is none there yet.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--tail", type=int, default=10_000)
    parser.add_argument("--writes", type=int, default=2000, help="0 to skip the write part")
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--database", default="audit_bench")
    parser.add_argument("--reuse", action="store_true", help="keep the database if it exists")
    parser.add_argument("--existing", action="store_true", help="measure the database as it is")
    parser.add_argument("--repeat", type=int, default=5, help="runs of the default verification")
    args = parser.parse_args()

    base_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    if not base_url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL server: this benchmark is about PostgreSQL.")
    url = _with_database(base_url, args.database)
    if not args.existing:
        _prepare_database(base_url, args.database, fresh=not args.reuse)

    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nhs_citizen.config.settings")
    os.environ.setdefault("NHS_CITIZEN_ENV", "test")
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if not args.existing:
        call_command("migrate", verbosity=0)
    results = {"database": connection.vendor, "database_name": args.database}
    results.update(run(args, url))
    print_table(results)
    out = ROOT / "bench" / "results" / f"audit_log.{connection.vendor}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nWritten to {out.relative_to(ROOT)}")


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def _prepare_database(base_url: str, name: str, fresh: bool) -> None:
    import psycopg

    with psycopg.connect(_with_database(base_url, "postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


# Loading entries ---------------------------------------------------------------------------


def copy_entries(count: int) -> float:
    """Append ``count`` valid entries to the chain with COPY; returns the seconds taken."""
    from django.db import connection

    from nhs_citizen.core import audit_chain
    from nhs_citizen.core.models import AuditEntry
    from nhs_citizen.core.services.audit import audit_head

    start = time.perf_counter()
    head = audit_head()
    sequence, previous = head["sequence"], head["entry_hash"]
    moment = dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=sequence)
    columns = (*audit_chain.HASHED_FIELDS, "entry_hash")
    table = AuditEntry._meta.db_table
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    connection.ensure_connection()
    with connection.connection.cursor() as cursor, cursor.copy(sql) as copy:
        for _ in range(count):
            sequence += 1
            moment += dt.timedelta(seconds=1, microseconds=7)
            public = sequence % 3 != 0
            content = {
                "sequence": sequence,
                "created_at": moment.isoformat(),
                "actor_id": None,
                "action": "bench.decision" if public else "bench.private",
                "summary": f"Bench decision number {sequence} about a flag",
                "target_type": "gather.flag",
                "target_id": str(sequence % 100_000),
                "reason": "Because the benchmark needs one" if public else "",
                "data": {"n": sequence, "note": "national scale"},
                "is_public": public,
                "previous_hash": previous,
            }
            content["entry_hash"] = audit_chain.entry_hash(content)
            previous = content["entry_hash"]
            row = [content[name] for name in columns]
            row[columns.index("data")] = json.dumps(content["data"])
            copy.write_row(row)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")
    return time.perf_counter() - start


# Writing through the service ---------------------------------------------------------------


def measure_writes(n: int, writers: int) -> dict:
    from django.db import connections

    from nhs_citizen.accounts.models import User
    from nhs_citizen.core.services.audit import (
        audit_lock_stats,
        record_audit_entry,
        reset_audit_lock_stats,
    )
    from nhs_citizen.notifications.models import Notification

    user, _ = User.objects.get_or_create(
        email="audit-bench@example.com", defaults={"display_name": "Bench"}
    )
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

    # Several writers at once: how much of each write is spent waiting for the lock?
    per_writer = max(1, n // writers)
    busy: list[float] = []
    guard = threading.Lock()

    def write(worker: int) -> None:
        try:
            spent = 0.0
            for i in range(per_writer):
                t = time.perf_counter()
                record_audit_entry(
                    actor=None, action="bench.concurrent", summary=f"{worker}-{i}", public=True
                )
                spent += time.perf_counter() - t
            with guard:
                busy.append(spent)
        finally:
            connections.close_all()

    reset_audit_lock_stats()
    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    concurrent = time.perf_counter() - start
    stats = audit_lock_stats()
    total = per_writer * writers
    return {
        "writes_measured": n,
        "baseline_plain_writes_per_second": round(n / baseline_write),
        "audit_writes_per_second": round(n / chained_write),
        "write_cost_vs_baseline": round(chained_write / baseline_write, 2),
        "concurrent_writers": writers,
        "concurrent_audit_writes_per_second": round(total / concurrent),
        "concurrent_mean_write_ms": round(sum(busy) / total * 1000, 2),
        "concurrent_mean_lock_wait_ms": round(stats["wait_seconds"] / stats["waits"] * 1000, 2),
        "concurrent_share_of_write_time_waiting_for_lock": round(
            stats["wait_seconds"] / sum(busy), 3
        ),
        "concurrent_longest_lock_wait_ms": round(stats["longest_wait_seconds"] * 1000, 1),
    }


# Verifying in new processes ----------------------------------------------------------------


def run_command(url: str, *command: str) -> tuple[float, float, str]:
    """Run a manage.py command in a new process: (wall seconds, CPU seconds, its output).

    CPU time (user + system, the child's own) is shown beside the wall time because this
    machine is shared: under load the wall time grows, the CPU time much less."""
    env = dict(os.environ, DATABASE_URL=url)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *command],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    return seconds, cpu, done.stdout.strip()


def run(args: argparse.Namespace, url: str) -> dict:
    from nhs_citizen.core.models.audit import AuditCheckpoint
    from nhs_citizen.core.services.audit import audit_head, do_write_audit_checkpoint

    results: dict = {"load_average_at_start": round(os.getloadavg()[0], 2)}
    if not args.existing:
        first = args.entries - args.tail
        have = audit_head()["sequence"]
        if have < first:
            results["copy_load_seconds"] = round(copy_entries(first - have), 1)
        full_check = not AuditCheckpoint.objects.exists()
        start = time.perf_counter()
        written = do_write_audit_checkpoint()
        key = "first_checkpoint_full_check_seconds" if full_check else "checkpoint_seconds"
        results[key] = round(time.perf_counter() - start, 2)
        assert written.problems == [], written.problems
        if args.writes:
            results.update(measure_writes(args.writes, args.writers))
        # Then a day's entries after the checkpoint (with --reuse, the log grows each run).
        after = audit_head()["sequence"] - written.checkpoint.sequence
        if after < args.tail:
            copy_entries(args.tail - after)
    else:
        head = audit_head()["sequence"]
        target = max(1, head - args.tail)
        if not AuditCheckpoint.objects.filter(sequence__gte=target).exists():
            start = time.perf_counter()
            written = do_write_audit_checkpoint(upto=target)
            results["first_checkpoint_full_check_seconds"] = round(time.perf_counter() - start, 2)
            assert written.problems == [], written.problems

    head = audit_head()["sequence"]
    checkpoint = AuditCheckpoint.objects.order_by("-sequence").first()
    results["entries"] = head
    results["entries_after_checkpoint"] = head - checkpoint.sequence

    walls, cpus = [], []
    output = ""
    for _ in range(args.repeat):
        seconds, cpu, output = run_command(url, "verify_audit_log")
        walls.append(seconds)
        cpus.append(cpu)
    results["verify_from_checkpoint_wall_seconds_best"] = round(min(walls), 3)
    results["verify_from_checkpoint_wall_seconds_median"] = round(statistics.median(walls), 3)
    results["verify_from_checkpoint_cpu_seconds_median"] = round(statistics.median(cpus), 3)
    results["verify_from_checkpoint_output"] = output.splitlines()
    seconds, cpu, _ = run_command(url, "verify_audit_log", "--full")
    results["verify_full_wall_seconds"] = round(seconds, 1)
    results["verify_full_cpu_seconds"] = round(cpu, 1)
    results["verify_full_entries_per_wall_second"] = round(head / seconds)
    # The largest resident size of any child so far: the full check is the largest.
    results["verify_full_peak_rss_mib"] = round(
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1
    )
    seconds, cpu, output = run_command(url, "write_audit_checkpoint")
    results["write_checkpoint_after_tail_wall_seconds"] = round(seconds, 3)
    results["write_checkpoint_output"] = output
    # Right after a checkpoint nothing is left to recompute: this is the command's start-up,
    # the checkpoints' signatures and one published checkpoint looked up.
    seconds, cpu, _ = run_command(url, "verify_audit_log", "--checkpoint", f"1:{_first_hash()}")
    results["verify_at_head_checkpoint_wall_seconds"] = round(seconds, 3)
    results["verify_at_head_checkpoint_cpu_seconds"] = round(cpu, 3)
    results["load_average_at_end"] = round(os.getloadavg()[0], 2)
    return results


def _first_hash() -> str:
    from nhs_citizen.core.models import AuditEntry

    return AuditEntry.objects.filter(sequence=1).values_list("entry_hash", flat=True).get()


def print_table(results: dict) -> None:
    print(f"Audit log benchmark ({results.get('entries')} entries, {results['database']})")
    print(f"{'measure':<58}{'value':>20}")
    for key, value in results.items():
        if key in {"entries", "database"} or isinstance(value, list):
            continue
        if isinstance(value, str) and len(value) > 20:
            print(f"{key}: {value}")
            continue
        print(f"{key:<58}{value!s:>20}")
    for line in results.get("verify_from_checkpoint_output", []):
        print(f"  {line}")


if __name__ == "__main__":
    main()
