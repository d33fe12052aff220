"""Benchmark: the Assembly priority vote over HTTP, through gunicorn, on PostgreSQL.

Makes a fresh database (``vote_bench`` by default: dropped and made again), migrates it, and
makes a cycle in its voting stage with ENTRIES shortlisted flags and BALLOTS eligible voters
(bulk inserts: accounts made and confirmed long before the cut-off), each already signed in: a
session row per voter written directly with Django's session store and the auth session keys,
instead of signing in BALLOTS times. Voters are citizens, so no two-step verification is needed.

Then starts gunicorn (2 sync workers, production settings as in bench/web_load.py) and CLIENTS
concurrent clients cast one ballot per voter like a browser: GET the vote page (the CSRF token
from the form, the CSRF cookie), then POST the choice (the redirect after it is not followed).
While they vote, a separate connection samples pg_stat_activity every 20 ms, so the time the
server's database sessions spend waiting for each lock (the audit chain's advisory lock, the
cycle's row lock, ...) is known; by Little's law, sampled waiting sessions x interval = total
waiting time.

Afterwards, in this process: counts Ballot rows, checks no voter has two, checks each ballot
holds exactly what its voter sent, counts the ballot entries in the audit log, and runs the app's
count (from the ballots) and recount (from the audit log) and compares them.

    .venv/bin/python bench/vote_load.py [--ballots 20000] [--clients 16] [--entries 15]
        [--database-url postgres://postgres@127.0.0.1:5432/vote_bench]

Prints a table and writes bench/results/vote_load.json. Only 127.0.0.1 is contacted; gunicorn is
stopped on exit, Ctrl+C or SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import re
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _load_http import Client, HttpError, Target, percentile  # noqa: E402
from _load_server import (  # noqa: E402
    Gunicorn,
    git_commit,
    machine_cpu,
    manage,
    postgres_cpu_seconds,
    production_env,
    workdir,
)

TARGET_BALLOTS_PER_S = 100
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken"\s+value="([^"]+)"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/vote_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/4")
    parser.add_argument("--ballots", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--entries", type=int, default=15)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--sample-ms", type=float, default=20.0)
    parser.add_argument("--ceiling-seconds", type=float, default=15.0)
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=1800,
        help="stop handing out voters after this long (the checks then cover what was cast)",
    )
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "vote_load.json"))
    args = parser.parse_args()
    url = urlsplit(args.database_url)
    name = url.path.lstrip("/")
    if url.hostname != "127.0.0.1" or urlsplit(args.redis_url).hostname != "127.0.0.1":
        parser.error("the benchmark only talks to 127.0.0.1")
    if "bench" not in name:
        parser.error(f"{name}: the database is dropped and made again, so its name must say bench")

    tmp = workdir("nhs-citizen-vote-load-")
    env = production_env(args.database_url, args.redis_url, tmp)
    env["BENCH_REQUEST_LOG"] = str(tmp / "requests.log")
    print(f"Fresh database {name}; migrating…", flush=True)
    _recreate_database(args.database_url, name)
    manage(env, "migrate", "--noinput", timeout=900)
    manage(env, "collectstatic", "--noinput", timeout=300)
    import redis

    redis.Redis.from_url(args.redis_url).flushdb()
    os.environ.update(env)
    import django

    django.setup()
    start = time.perf_counter()
    setup = make_voters(args.ballots, args.entries)
    print(
        f"{args.ballots:,} signed-in voters and {args.entries} flags in {setup['cycle_slug']} "
        f"({time.perf_counter() - start:.0f} s)",
        flush=True,
    )

    server = Gunicorn(env, workers=args.workers, worker_class=args.worker_class)
    server.start()
    print(f"gunicorn: {args.workers} {args.worker_class} workers on port {server.port}", flush=True)
    sampler = LockSampler(args.database_url, name, args.sample_ms / 1000)
    try:
        ceiling = asyncio.run(measure_ceiling(args, server, name))
        print(
            f"ceiling /_ceiling/: {ceiling['requests_per_s']} requests/s, "
            f"{ceiling['cpu_ms_per_request']['workers']} ms of worker CPU each",
            flush=True,
        )
        sampler.start()
        run_figures = asyncio.run(vote(args, server, setup))
    finally:
        sampler.stop()
        server.stop()
    figures = {**run_figures, **check(setup, run_figures["sent"])}
    figures["ceiling"] = ceiling_figures(ceiling, figures)
    figures["database_waits"] = sampler.summary(run_figures["ballots_cast"])
    figures["server_side"] = _request_log(tmp, setup["cycle_slug"], run_figures["ballots_cast"])
    figures["meta"] = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "ballots": args.ballots,
        "clients": args.clients,
        "entries": args.entries,
        "workers": args.workers,
        "worker_class": args.worker_class,
        "cpus": os.cpu_count(),
        "target_ballots_per_s": TARGET_BALLOTS_PER_S,
    }
    del figures["sent"]
    report(figures)
    out = Path(args.out)
    out.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"\nWritten to {out}")


async def measure_ceiling(args, server: Gunicorn, database: str) -> dict:
    """The simplest page with the site's layout and no query (``/_ceiling/``), driven by the
    same number of clients in the same run, as web_load.py does: what this machine can serve
    at all. A ballot is two requests (the page, then the post), so half the ceiling's rate is
    the most any ballot could reach here."""
    from argparse import Namespace

    from web_load import measure_page

    options = Namespace(
        client="own",
        clients=args.clients,
        warmup=3,
        duration=args.ceiling_seconds,
        database=database,
        uncached=0,
    )
    return await measure_page(
        options, Target("127.0.0.1", server.port), server, "ceiling", "/_ceiling/"
    )


def ceiling_figures(ceiling: dict, figures: dict) -> dict:
    rps = ceiling.get("requests_per_s") or 0
    cpu = (ceiling.get("cpu_ms_per_request") or {}).get("workers") or 0
    ballot_cpu = figures["cpu_ms_per_ballot"]["gunicorn_workers"]
    return {
        "path": "/_ceiling/",
        "requests_per_s": rps,
        "p95_ms": ceiling.get("p95_ms"),
        "worker_cpu_ms_per_request": cpu,
        "ballots_per_s_at_ceiling": round(rps / 2, 1),
        "ballots_share_of_ceiling": round(figures["ballots_per_s"] / (rps / 2), 2) if rps else None,
        "ballot_cpu_in_ceiling_requests": round(ballot_cpu / cpu, 2) if cpu else None,
    }


def _recreate_database(database_url: str, name: str) -> None:
    import psycopg

    admin = urlsplit(database_url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


# Setting up the vote ---------------------------------------------------------------------------


def make_voters(ballots: int, entries: int) -> dict:
    from _vote_setup import make_voting_cycle
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    now = timezone.now()
    made = make_voting_cycle(ballots, entries, domain="bench.example", slug="vote-bench")
    cycle, people, shortlisted = made.cycle, made.voters, made.entries
    entry_ids = [e.pk for e in shortlisted]
    # A signed-in session for each voter, as django.contrib.auth.login() would leave it.
    store = SessionStore()
    backend = "allauth.account.auth_backends.AuthenticationBackend"
    expires = now + dt.timedelta(days=2)
    sessions, voters = [], []
    rng = random.Random(11)
    for person in people:
        key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
        data = {
            SESSION_KEY: str(person.pk),
            BACKEND_SESSION_KEY: backend,
            HASH_SESSION_KEY: person.get_session_auth_hash(),
        }
        sessions.append(
            Session(session_key=key, session_data=store.encode(data), expire_date=expires)
        )
        choice = sorted(rng.sample(entry_ids, rng.randint(1, cycle.max_choices)))
        voters.append((person.pk, key, choice))
    Session.objects.bulk_create(sessions, batch_size=2000)
    return {
        "cycle_pk": cycle.pk,
        "cycle_slug": cycle.slug,
        "entry_ids": entry_ids,
        "voters": voters,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
    }


# Voting ----------------------------------------------------------------------------------------


async def vote(args, server: Gunicorn, setup: dict) -> dict:
    target = Target("127.0.0.1", server.port)
    path = f"/assembly/{setup['cycle_slug']}/vote/"
    queue: asyncio.Queue = asyncio.Queue()
    for voter in setup["voters"]:
        queue.put_nowait(voter)
    get_times: list[float] = []
    post_times: list[float] = []
    ballot_times: list[float] = []
    outcomes: Counter = Counter()
    server_timing: list[dict[str, float]] = []
    sent: dict[int, list[int]] = {}
    failures: list[str] = []
    progress = {"done": 0}

    async def one_client() -> None:
        client = Client(target)
        while True:
            try:
                voter_pk, session_key, choice = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            client.cookies = {setup["session_cookie"]: session_key}
            started = time.perf_counter()
            try:
                page = await client.request("GET", path)
                get_times.append(page.elapsed)
                token = CSRF_INPUT.search(page.text())
                if page.status != 200 or token is None:
                    outcomes[f"vote page {page.status}{'' if token else ', no form'}"] += 1
                    if len(failures) < 5:
                        failures.append(page.text()[:2000])
                    continue
                body = urlencode(
                    [("csrfmiddlewaretoken", token.group(1))] + [("entries", e) for e in choice]
                ).encode()
                posted = await client.request(
                    "POST",
                    path,
                    body=body,
                    headers={
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Origin": target.origin,
                        "Referer": target.origin + path,
                    },
                )
            except (OSError, HttpError, asyncio.IncompleteReadError) as error:
                outcomes[type(error).__name__] += 1
                await client.close()
                continue
            post_times.append(posted.elapsed)
            if timing := _server_timing(posted.headers.get("server-timing", "")):
                server_timing.append(timing)
            if posted.status == 302 and posted.headers.get("location", "").endswith(path):
                outcomes["cast"] += 1
                sent[voter_pk] = choice
                ballot_times.append(time.perf_counter() - started)
            else:
                outcomes[f"ballot {posted.status}"] += 1
                if len(failures) < 5:
                    failures.append(posted.text()[:2000])
            progress["done"] += 1

    async def show_progress() -> None:
        while True:
            await asyncio.sleep(10)
            print(f"  {progress['done']:,} ballots", flush=True)

    async def stop_in_time() -> None:
        await asyncio.sleep(args.max_seconds)
        stopped["early"] = queue.qsize()
        while not queue.empty():
            queue.get_nowait()

    stopped = {"early": 0}
    database = urlsplit(args.database_url).path.lstrip("/")
    cpu_before = (server.worker_cpu_seconds(), postgres_cpu_seconds(database), machine_cpu())
    started = time.perf_counter()
    ticker = asyncio.ensure_future(show_progress())
    limit = asyncio.ensure_future(stop_in_time())
    await asyncio.gather(*(one_client() for _ in range(args.clients)))
    ticker.cancel()
    limit.cancel()
    elapsed = time.perf_counter() - started
    workers = server.worker_cpu_seconds() - cpu_before[0]
    pg = postgres_cpu_seconds(database) - cpu_before[1]
    busy = machine_cpu()[0] - cpu_before[2][0]
    total = machine_cpu()[1] - cpu_before[2][1]
    cast = outcomes["cast"]
    return {
        "ballots_cast": cast,
        "elapsed_s": round(elapsed, 1),
        "ballots_per_s": round(cast / elapsed, 1),
        "voters_not_reached": stopped["early"],
        "cpu_ms_per_ballot": {
            "gunicorn_workers": round(workers * 1000 / max(cast, 1), 1),
            "postgres": round(pg * 1000 / max(cast, 1), 1),
        },
        "machine_cpu_share": {
            "gunicorn_workers": round(workers / max(total, 1e-9), 2),
            "postgres_vote_bench": round(pg / max(total, 1e-9), 2),
            "everything_else_busy": round((busy - workers - pg) / max(total, 1e-9), 2),
            "idle": round((total - busy) / max(total, 1e-9), 2),
        },
        "outcomes": dict(outcomes),
        "vote_page_ms": _ms(get_times),
        "ballot_post_ms": _ms(post_times),
        "page_and_post_ms": _ms(ballot_times),
        "server_timing_post": _server_timing_summary(server_timing),
        "worker_rss_mb_end": {str(k): round(v, 1) for k, v in server.worker_rss_mb().items()},
        "failures": failures,
        "sent": sent,
    }


def _server_timing(header: str) -> dict[str, float]:
    """`Server-Timing: app;dur=12.3, audit-lock;dur=0.4` as {"app": 12.3, "audit-lock": 0.4}."""
    found = {}
    for part in header.split(","):
        name, _, rest = part.strip().partition(";")
        match = re.search(r"dur=([0-9.]+)", rest)
        if name and match:
            found[name] = float(match.group(1))
    return found


def _server_timing_summary(timings: list[dict[str, float]]) -> dict:
    """The app's own measure of each ballot POST (core.middleware's Server-Timing header): its
    time in the app and its wait for the audit lock, in ms."""
    if not timings:
        return {}
    app = [t["app"] / 1000 for t in timings if "app" in t]
    lock = [t["audit-lock"] / 1000 for t in timings if "audit-lock" in t]
    return {
        "posts": len(timings),
        "app_ms": _ms(app),
        "audit_lock_ms": _ms(lock),
        "audit_lock_share_of_app_time": round(sum(lock) / sum(app), 4) if app and lock else None,
    }


def _ms(values: list[float]) -> dict:
    if not values:
        return {}
    return {
        "mean": round(sum(values) / len(values) * 1000, 1),
        "p50": round(percentile(values, 50) * 1000, 1),
        "p95": round(percentile(values, 95) * 1000, 1),
        "max": round(max(values) * 1000, 1),
    }


# Lock waits, sampled from PostgreSQL ----------------------------------------------------------


class LockSampler:
    """Samples what the benchmark database's server sessions are doing, every `interval`."""

    QUERY = """
        SELECT a.wait_event_type, a.wait_event, l.locktype, l.objid, a.state
        FROM pg_stat_activity a
        LEFT JOIN pg_locks l ON l.pid = a.pid AND NOT l.granted
        WHERE a.datname = %s AND a.pid <> pg_backend_pid() AND a.backend_type = 'client backend'
    """

    def __init__(self, database_url: str, name: str, interval: float) -> None:
        self.url = urlsplit(database_url)._replace(path="/postgres").geturl()
        self.name = name
        self.interval = interval
        self.samples = 0
        self.counts: Counter = Counter()
        self.elapsed = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            started = time.perf_counter()
            while not self._stop.is_set():
                for wait_type, wait_event, locktype, objid, state in conn.execute(
                    self.QUERY, [self.name]
                ).fetchall():
                    self.counts[_what(wait_type, wait_event, locktype, objid, state)] += 1
                self.samples += 1
                self._stop.wait(self.interval)
            self.elapsed = time.perf_counter() - started

    def summary(self, ballots: int) -> dict:
        """Seconds of server-session time in each state (samples x mean interval), and per
        ballot in milliseconds."""
        if not self.samples:
            return {}
        step = self.elapsed / self.samples
        states = {
            what: {
                "session_seconds": round(n * step, 1),
                "ms_per_ballot": round(n * step * 1000 / max(ballots, 1), 2),
            }
            for what, n in self.counts.most_common()
        }
        return {"samples": self.samples, "interval_ms": round(step * 1000, 1), "states": states}


def _what(wait_type, wait_event, locktype, objid, state) -> str:
    if wait_type == "Lock":
        locktype = locktype or wait_event  # granted between the two views: name it by the wait
        if locktype == "advisory":
            return f"waiting: advisory lock {objid} (audit chain)"
        if locktype in ("transactionid", "tuple"):
            return f"waiting: row lock ({locktype})"
        return f"waiting: lock {wait_event} ({locktype})"
    if state == "idle in transaction":
        return "in a transaction, waiting for the app"
    if state == "active":
        return f"running{f' ({wait_type}: {wait_event})' if wait_type else ''}"
    return state or "unknown"


def _request_log(tmp: Path, slug: str, ballots: int) -> dict:
    """What gunicorn's workers measured (bench/_load_gunicorn.py): time inside the worker, CPU,
    and the audit lock wait from the app's own counter, for the vote page and the ballot POST."""
    rows: dict[str, list[tuple[float, float, float | None]]] = {"GET": [], "POST": []}
    for log in tmp.glob("requests.log.*"):
        for line in log.read_text().splitlines():
            method, path, _status, wall, cpu, wait = line.split("\t")
            if path == f"/assembly/{slug}/vote/" and method in rows:
                rows[method].append((float(wall), float(cpu), float(wait) if wait else None))
    figures: dict = {}
    for method, items in rows.items():
        if not items:
            continue
        waits = [w for _, _, w in items if w is not None]
        walls = [w for w, _, _ in items]
        figures["vote page" if method == "GET" else "ballot POST"] = {
            "requests": len(items),
            "worker_ms": _ms(walls),
            "worker_cpu_ms_mean": round(sum(c for _, c, _ in items) / len(items) * 1000, 2),
            "audit_lock_wait_ms": _ms(waits) if waits else None,
            "audit_lock_share_of_worker_time": round(sum(waits) / sum(walls), 4) if waits else None,
        }
    if not any((f.get("audit_lock_wait_ms") or {}).get("max") for f in figures.values()):
        figures["note"] = (
            "No audit lock wait seen by the gunicorn hook: either the app has no "
            "take_audit_lock_wait(), or its Server-Timing middleware already took it (see the "
            "Server-Timing rows)."
        )
    return figures


# Checking --------------------------------------------------------------------------------------


def check(setup: dict, sent: dict[int, list[int]]) -> dict:
    from django.db.models import Count

    from nhs_citizen.assembly.models import Ballot, Cycle
    from nhs_citizen.assembly.services import vote as services
    from nhs_citizen.core.models import AuditEntry
    from nhs_citizen.core.services.audit import verify_audit_log

    cycle = Cycle.objects.get(pk=setup["cycle_pk"])
    ballots = Ballot.objects.filter(cycle=cycle)
    rows = ballots.count()
    twice = ballots.values("voter").annotate(n=Count("pk")).filter(n__gt=1).count()
    stored: dict[int, set[int]] = {}
    through = Ballot.entries.through
    voter_of = dict(ballots.values_list("pk", "voter_id"))
    for ballot_id, entry_id in through.objects.filter(ballot__cycle=cycle).values_list(
        "ballot_id", "cycleentry_id"
    ):
        stored.setdefault(voter_of[ballot_id], set()).add(entry_id)
    lost = sum(1 for voter, choice in sent.items() if voter not in stored)
    wrong = sum(
        1 for voter, choice in sent.items() if stored.get(voter, set(choice)) != set(choice)
    )
    unexpected = sum(1 for voter in stored if voter not in sent)
    expected_votes = Counter(e for choice in sent.values() for e in choice)
    audit_entries = AuditEntry.objects.filter(
        action=services.BALLOT_ACTION, target_type="assembly.cycle", target_id=str(cycle.pk)
    ).count()
    start = time.perf_counter()
    count = services.count_from_ballots(cycle)
    count_ms = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    recount = services.recount_from_audit(cycle)
    recount_ms = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    try:
        problems = verify_audit_log(full=True)
    except TypeError:  # before checkpoints existed
        problems = verify_audit_log()
    verify_s = time.perf_counter() - start
    return {
        "ballot_rows": rows,
        "lost": lost,
        "counted_twice": twice,
        "wrong_choice": wrong,
        "ballots_nobody_sent": unexpected,
        "audit_ballot_entries": audit_entries,
        "count_matches_what_was_sent": {k: v for k, v in count.votes.items() if v}
        == dict(expected_votes),
        "recount_matches": count == recount,
        "count_ms": round(count_ms, 1),
        "recount_ms": round(recount_ms, 1),
        "audit_chain_valid": not problems,
        "verify_audit_log_s": round(verify_s, 1),
    }


def report(f: dict) -> None:
    m = f["meta"]
    print(
        f"\n## Priority vote over HTTP: {m['ballots']:,} voters, {m['clients']} clients, "
        f"gunicorn {m['workers']} {m['worker_class']} workers, PostgreSQL, {m['cpus']} CPUs\n"
    )
    rows = [
        ("Ballots cast", f"{f['ballots_cast']:,} in {f['elapsed_s']} s"),
        (
            "Ballots per second (page + post)",
            f"{f['ballots_per_s']} (target >= {TARGET_BALLOTS_PER_S})",
        ),
        (
            "Ceiling in the same run (/_ceiling/, no query): requests/s, its ballot equivalent",
            f"{f['ceiling']['requests_per_s']} requests/s, so at most "
            f"{f['ceiling']['ballots_per_s_at_ceiling']} ballots/s (2 requests each); "
            f"this run reached {f['ceiling']['ballots_share_of_ceiling']} of that",
        ),
        (
            "Worker CPU of a ballot, in ceiling requests",
            f"{f['ceiling']['ballot_cpu_in_ceiling_requests']} "
            f"({f['ceiling']['worker_cpu_ms_per_request']} ms each)",
        ),
        ("Outcomes", ", ".join(f"{k}: {v:,}" for k, v in f["outcomes"].items())),
        ("Ballot rows", f"{f['ballot_rows']:,}"),
        ("Lost (sent, no ballot)", f["lost"]),
        ("Counted twice (voters with 2+ ballots)", f["counted_twice"]),
        ("Ballot differs from what was sent", f["wrong_choice"]),
        ("Audit entries for ballots", f"{f['audit_ballot_entries']:,}"),
        ("Count matches what was sent", f["count_matches_what_was_sent"]),
        ("Recount from the audit log matches", f["recount_matches"]),
        ("Audit chain valid", f"{f['audit_chain_valid']} ({f['verify_audit_log_s']} s)"),
        ("Vote page ms (mean / p50 / p95)", _three(f["vote_page_ms"])),
        ("Ballot POST ms (mean / p50 / p95)", _three(f["ballot_post_ms"])),
        (
            "CPU ms per ballot: gunicorn workers / PostgreSQL",
            f"{f['cpu_ms_per_ballot']['gunicorn_workers']} / {f['cpu_ms_per_ballot']['postgres']}",
        ),
        (
            "Machine CPU: workers / vote_bench PostgreSQL / everything else / idle",
            " / ".join(f"{100 * v:.0f}%" for v in f["machine_cpu_share"].values()),
        ),
    ]
    if f["voters_not_reached"]:
        rows.insert(1, ("Voters not reached (time limit)", f"{f['voters_not_reached']:,}"))
    for name, s in f["server_side"].items():
        if name == "note":
            continue
        rows.append(
            (
                f"In the worker, {name}: ms (mean / p50 / p95), CPU ms",
                f"{_three(s['worker_ms'])}, {s['worker_cpu_ms_mean']}",
            )
        )
        if (s["audit_lock_wait_ms"] or {}).get("max"):
            rows.append(
                (
                    f"Waiting for the audit lock, {name}: ms (mean / p50 / p95), share",
                    f"{_three(s['audit_lock_wait_ms'])}, "
                    f"{100 * s['audit_lock_share_of_worker_time']:.1f}% of its time in the worker",
                )
            )
    if st := f.get("server_timing_post"):
        rows.append(
            (
                "Ballot POST, the app's Server-Timing: app ms (mean / p50 / p95)",
                _three(st["app_ms"]),
            )
        )
        rows.append(
            (
                "Ballot POST, the app's Server-Timing: audit lock wait ms (mean / p50 / p95)",
                f"{_three(st['audit_lock_ms'])}, "
                f"{100 * (st['audit_lock_share_of_app_time'] or 0):.1f}% of its time in the app",
            )
        )
    if note := f["server_side"].get("note"):
        rows.append(("Audit lock hook", note))
    print("| measure | value |\n|---|---|")
    for label, value in rows:
        print(f"| {label} | {value} |")
    waits = f["database_waits"]
    if waits:
        print(
            f"\nServer database sessions, sampled every {waits['interval_ms']} ms "
            f"({waits['samples']:,} samples): time in each state, per ballot\n"
        )
        print("| state | session s | ms per ballot |\n|---|---|---|")
        for what, v in waits["states"].items():
            print(f"| {what} | {v['session_seconds']} | {v['ms_per_ballot']} |")


def _three(ms: dict) -> str:
    return f"{ms.get('mean')} / {ms.get('p50')} / {ms.get('p95')}" if ms else "-"


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        print("\nStopped.")
        sys.exit(130)
