"""Where a page spends its time: one request through Django's test client (production settings,
as bench/web_load.py runs them, the page cache off), with every SQL query timed, the slowest
queries EXPLAIN ANALYZEd, and the Python functions that took longest (cProfile).

    .venv/bin/python bench/_load_explain.py /gather/ /tracker/ [--database-url URL]
        [--explain 3] [--profile 15]

Read only: EXPLAIN ANALYZE runs SELECTs only, inside a transaction that is rolled back.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _load_server import production_env, workdir  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/scale")
    parser.add_argument("--explain", type=int, default=3, help="slowest queries to explain")
    parser.add_argument("--profile", type=int, default=15, help="functions to list")
    parser.add_argument("--repeat", type=int, default=2, help="requests before the measured one")
    args = parser.parse_args()
    if urlsplit(args.database_url).hostname != "127.0.0.1":
        parser.error("only 127.0.0.1")
    tmp = workdir("nhs-citizen-explain-")
    env = production_env(args.database_url, "", tmp)
    env.pop("REDIS_URL")
    env["PAGE_CACHE_SECONDS"] = "0"
    env["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    # Static file names as in development: nothing to collect for a one-off request.
    env["BENCH_STATIC_ROOT"] = str(tmp / "static")
    os.environ.update(env)
    import django

    django.setup()
    from django.conf import settings

    settings.STORAGES["staticfiles"]["BACKEND"] = (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_X_FORWARDED_PROTO="https")
    for path in args.paths:
        for _ in range(args.repeat):
            client.get(path)
        profile = cProfile.Profile()
        started = time.perf_counter()
        cpu = time.process_time()
        with CaptureQueriesContext(connection) as queries:
            profile.enable()
            response = client.get(path)
            profile.disable()
        wall = time.perf_counter() - started
        cpu = time.process_time() - cpu
        sql_time = sum(float(q["time"]) for q in queries.captured_queries)
        print(f"\n=== {path}: {response.status_code}, {wall * 1000:.0f} ms")
        print(
            f"    {len(queries.captured_queries)} queries, {sql_time * 1000:.0f} ms in SQL; "
            f"{cpu * 1000:.0f} ms CPU in Python (profiled, so slower than usual)"
        )
        slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))
        for q in slowest[:10]:
            print(f"    {float(q['time']) * 1000:7.1f} ms  {q['sql'][:220]}")
        for q in slowest[: args.explain]:
            sql = q["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            print(f"\n    EXPLAIN ANALYZE ({float(q['time']) * 1000:.1f} ms): {sql[:300]}")
            try:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                    for (line,) in cursor.fetchall():
                        print(f"      {line}")
                    transaction.set_rollback(True)
            except Exception as error:  # a query Django printed with parameters it cannot re-run
                print(f"      (could not explain: {error})")
        text = io.StringIO()
        pstats.Stats(profile, stream=text).sort_stats("tottime").print_stats(args.profile)
        print("\n    Python functions by own time:")
        lines = text.getvalue().splitlines()
        header = next((n for n, line in enumerate(lines) if "ncalls" in line), len(lines))
        for line in lines[header:]:
            if line.strip():
                print(f"    {line[:200]}")


if __name__ == "__main__":
    main()
