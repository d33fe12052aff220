"""Benchmark: one change on a flag with 50,000 supporters, then the daily summary run.

In a database of its own (made fresh each run):

1. Loads one flag and ``--supporters`` people who support it (bulk inserts, not timed).
2. The change: the service call a request makes (inside a transaction), with the real
   database job queue. Times the whole "request" and, inside it, the enqueue (the on-commit
   callback that writes the one job row), and counts the queries it made.
3. Runs the queued jobs with ``db_worker`` (the fan-out job, then the e-mail jobs it queued):
   messages written per second.
4. The daily summary run (``send_digests`` and the batch jobs it queues, through the worker):
   e-mails rendered per second (each e-mail is rendered to its full MIME bytes by a counting
   mail backend), peak memory (resident set size), and a count that every supporter got
   exactly one summary. Then runs the summaries again: nobody gets a second one.

Prints a table and writes bench/results/notifications.json (notifications.<vendor>.json with
--per-vendor).

    .venv/bin/python bench/notifications.py                     # SQLite, in a temp file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/notifications.py

On PostgreSQL the name in DATABASE_URL is only used to connect; the benchmark works in
``--database`` (default ``notifications_bench``), which it drops and makes again.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SENT: collections.Counter = collections.Counter()
RENDERED = {"count": 0, "bytes": 0}


class CountingBackend:
    """A mail backend that renders every message to bytes, as SMTP would, and counts who got
    what, without keeping the messages."""

    def __init__(self, *args, fail_silently=False, **kwargs):
        pass

    def open(self):
        return False

    def close(self):
        pass

    def send_messages(self, messages):
        for message in messages:
            RENDERED["bytes"] += len(message.message().as_bytes())
            RENDERED["count"] += 1
            kind = "summary" if "summary" in message.subject else "single"
            for to in message.to:
                SENT[(kind, to)] += 1
        return len(messages)


def _with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


def _prepare(args) -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        if "bench" not in args.database:
            sys.exit("Use a database name with 'bench' in it.")
        import psycopg

        with psycopg.connect(_with_database(url, "postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{args.database}"')
        os.environ["DATABASE_URL"] = _with_database(url, args.database)
        return "postgresql"
    path = Path(tempfile.gettempdir()) / "notifications_bench.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.environ["SQLITE_PATH"] = str(path)
    return "sqlite"


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--supporters", type=int, default=50_000)
    parser.add_argument("--database", default="notifications_bench")
    parser.add_argument("--per-vendor", action="store_true")
    args = parser.parse_args()
    vendor = _prepare(args)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nhs_citizen.config.settings")
    os.environ.setdefault("NHS_CITIZEN_ENV", "test")
    os.environ["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
    import django
    from django.conf import settings

    django.setup()
    settings.EMAIL_BACKEND = "__main__.CountingBackend"
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    results = {"database": vendor, "supporters": args.supporters}
    results.update(run(args.supporters))
    print_table(results)
    name = f"notifications.{vendor}.json" if args.per_vendor else "notifications.json"
    out = ROOT / "bench" / "results" / name
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nWrote {out.relative_to(ROOT)}")
    if not results["every_supporter_got_exactly_one_summary"]:
        sys.exit(1)


def run(supporters: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from nhs_citizen.gather.models import Flag, Support
    from nhs_citizen.gather.services import notify
    from nhs_citizen.gather.tests.factories import raise_flag
    from nhs_citizen.notifications import services
    from nhs_citizen.notifications.models import Digest, Notification

    User = get_user_model()
    flag = raise_flag()
    load_started = time.perf_counter()
    chunk = 5000
    for start in range(0, supporters, chunk):
        people = User.objects.bulk_create(
            [
                User(email=f"supporter{i}@bench.example", display_name=f"Supporter {i}")
                for i in range(start, min(start + chunk, supporters))
            ]
        )
        ids = (
            User.objects.filter(email__endswith="@bench.example")
            .order_by("-pk")
            .values_list("pk", flat=True)[: len(people)]
        )
        Support.objects.bulk_create([Support(flag_id=flag.pk, user_id=i) for i in ids])
    load_seconds = time.perf_counter() - load_started
    emails = set(
        User.objects.filter(email__endswith="@bench.example").values_list("email", flat=True)
    )
    assert len(emails) == supporters

    # Raising the flags queued their own jobs (similar flags): not part of this benchmark. A
    # warm-up change on a flag nobody supports loads the code the first request would.
    warm_up = raise_flag(title="Warm up the code paths before timing")
    with transaction.atomic():
        notify.notify_flag_audience(warm_up, "Warm up", "Warm up.")
    DBTaskResult.objects.all().delete()
    Notification.objects.all().delete()

    # 2. The request: change the flag and tell everyone, in one transaction.
    enqueue = {"seconds": 0.0}
    real_on_commit = transaction.on_commit

    def timed_on_commit(func, *a, **kw):
        def timed():
            started = time.perf_counter()
            func()
            enqueue["seconds"] += time.perf_counter() - started

        return real_on_commit(timed, *a, **kw)

    transaction.on_commit = timed_on_commit
    try:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            with transaction.atomic():
                Flag.objects.filter(pk=flag.pk).update(last_activity_at=timezone.now())
                notify.notify_flag_audience(
                    flag,
                    "A flag you support is being reviewed",
                    "It has reached 100 supporters. The independent review panel will now "
                    "decide what happens next, and will publish its reasons.",
                )
            request_seconds = time.perf_counter() - started
    finally:
        transaction.on_commit = real_on_commit
    jobs_queued_by_request = DBTaskResult.objects.count()

    # 3. The worker runs the fan-out and the e-mails that go straight away.
    started = time.perf_counter()
    call_command("db_worker", batch=True, interval=0, verbosity=0)
    fan_out_seconds = time.perf_counter() - started
    messages = Notification.objects.count()
    straight_away = sum(n for (kind, _), n in SENT.items() if kind == "single")

    # 4. The daily summary run.
    rss_before = _rss_mb()
    RENDERED.update(count=0, bytes=0)
    started = time.perf_counter()
    people_queued = services.do_send_digests("daily")
    call_command("db_worker", batch=True, interval=0, verbosity=0)
    digest_seconds = time.perf_counter() - started
    rendered = RENDERED["count"]
    summaries = {to: n for (kind, to), n in SENT.items() if kind == "summary"}
    exactly_one = summaries.keys() == emails and set(summaries.values()) == {1}
    # Again, the same day: nobody gets a second summary.
    services.do_send_digests("daily")
    call_command("db_worker", batch=True, interval=0, verbosity=0)
    second_run = sum(n for (kind, _), n in SENT.items() if kind == "summary") - len(summaries)
    return {
        "load_seconds": round(load_seconds, 2),
        "request_seconds": round(request_seconds, 4),
        "request_queries": len(queries),
        "enqueue_seconds": round(enqueue["seconds"], 4),
        "jobs_queued_by_request": jobs_queued_by_request,
        "fan_out_seconds": round(fan_out_seconds, 2),
        "messages_written": messages,
        "messages_written_per_second": round(messages / fan_out_seconds),
        "emails_straight_away": straight_away,
        "digest_people_queued": people_queued,
        "digest_seconds": round(digest_seconds, 2),
        "emails_rendered": rendered,
        "emails_rendered_per_second": round(rendered / digest_seconds, 1),
        "average_email_bytes": round(RENDERED["bytes"] / max(rendered, 1)),
        "peak_rss_mb_before_digests": round(rss_before, 1),
        "peak_rss_mb": round(_rss_mb(), 1),
        "digest_rows": Digest.objects.filter(sent_at__isnull=False).count(),
        "every_supporter_got_exactly_one_summary": exactly_one,
        "summaries_sent_by_a_second_run": second_run,
    }


def print_table(results: dict) -> None:
    width = max(len(k) for k in results)
    print(f"\n{'measure':<{width}}  value")
    print(f"{'-' * width}  -----")
    for key, value in results.items():
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
