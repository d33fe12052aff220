"""Benchmark: recording one conversation vote over HTTP while the opinion map is recomputed
(issue 17), through gunicorn, on PostgreSQL.

Makes a fresh database (``conversation_bench`` by default: dropped and made again), migrates
it, and makes a conversation of PARTICIPANTS people, STATEMENTS statements and about VOTES votes
with planted groups (``conversations.algorithms.planted``), loaded with the app's own bulk
loader. VOTERS more people are signed in (a session row each, as bench/vote_load.py does).

Then, with gunicorn (2 sync workers, production settings):

1. ``quiet``: each voter votes on the statement the vote page offers (GET the page, POST the
   form), one after another, with nothing else running;
2. ``recompute``: the recompute job (``services.results.do_recompute``: reading every vote,
   the maths, storing the map and each participant's group) runs in its own process, timed,
   with its peak memory (ru_maxrss); while it runs the voters vote again in the same way.

Reports the time to record a vote (the POST; the page GET too) in both phases, and the job's
time and memory. Jobs are queued to the database by the votes but no worker runs them, so only
the one recompute runs.

    .venv/bin/python bench/conversation_vote.py [--participants 10000] [--statements 500]
        [--votes 1000000] [--voters 400]
        [--database-url postgres://postgres@127.0.0.1:5432/conversation_bench]

Writes bench/results/conversation_vote.json. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _load_http import Client, HttpError, Target, percentile  # noqa: E402
from _load_server import Gunicorn, git_commit, manage, production_env, workdir  # noqa: E402

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken"\s+value="([^"]+)"')
VOTE_FORM = re.compile(r'action="([^"]+/vote/)"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/conversation_bench"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--statements", type=int, default=500)
    parser.add_argument("--votes", type=int, default=1_000_000)
    parser.add_argument("--voters", type=int, default=400)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "conversation_vote.json"))
    args = parser.parse_args()
    url = urlsplit(args.database_url)
    name = url.path.lstrip("/")
    if url.hostname != "127.0.0.1" or urlsplit(args.redis_url).hostname != "127.0.0.1":
        parser.error("the benchmark only talks to 127.0.0.1")
    if "bench" not in name:
        parser.error(f"{name}: the database is dropped and made again, so its name must say bench")

    tmp = workdir("nhs-citizen-conversation-vote-")
    env = production_env(args.database_url, args.redis_url, tmp)
    print(f"Fresh database {name}; migrating…", flush=True)
    _recreate_database(args.database_url, name)
    manage(env, "migrate", "--noinput", timeout=900)
    manage(env, "collectstatic", "--noinput", timeout=300)
    import redis

    redis.Redis.from_url(args.redis_url).flushdb()
    os.environ.update(env)
    import django

    django.setup()
    started = time.perf_counter()
    setup = make_conversation(args)
    setup_seconds = time.perf_counter() - started
    print(
        f"{setup['votes']:,} votes by {args.participants:,} people on {args.statements} "
        f"statements, and {args.voters} signed-in voters ({setup_seconds:.0f} s)",
        flush=True,
    )
    server = Gunicorn(env, workers=2)
    server.start()
    try:
        quiet = asyncio.run(vote_round(server, setup, "quiet"))
        print(f"quiet: POST median {quiet['post_ms']['median']} ms", flush=True)
        job = subprocess.Popen(
            [sys.executable, "-c", RECOMPUTE, str(setup["conversation_pk"])],
            env={**env, "PYTHONPATH": env["PYTHONPATH"]},
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        during = asyncio.run(vote_round(server, setup, "recompute", until=job))
        out, _ = job.communicate(timeout=3600)
        recompute = json.loads(out.strip().splitlines()[-1])
    finally:
        server.stop()
    figures = {
        "quiet": quiet,
        "during_recompute": during,
        "recompute_job": recompute,
        "meta": {
            "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "commit": git_commit(),
            "participants": args.participants,
            "statements": args.statements,
            "votes": setup["votes"],
            "voters": args.voters,
            "cpus": os.cpu_count(),
            "setup_seconds": round(setup_seconds, 1),
        },
    }
    report(figures)
    out_path = Path(args.out)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"\nWritten to {out_path}")


# The recompute job, in its own process, as a worker would run it.
RECOMPUTE = """
import json, resource, sys, time
import django
django.setup()
from nhs_citizen.conversations.services.results import do_recompute
start = time.perf_counter()
result = do_recompute(int(sys.argv[1]))
seconds = time.perf_counter() - start
print(json.dumps({
    "seconds": round(seconds, 2),
    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    "votes": result.vote_count,
    "groups": result.figures["k"],
    "participants_clustered": result.figures["participants_clustered"],
}))
"""


def _recreate_database(database_url: str, name: str) -> None:
    import psycopg

    admin = urlsplit(database_url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def make_conversation(args) -> dict:
    """A planted conversation loaded with the app's bulk loader, and signed-in voters."""
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from nhs_citizen.conversations.algorithms.planted import planted_conversation
    from nhs_citizen.conversations.models import Conversation, Statement
    from nhs_citizen.conversations.services.bulk import load_votes

    now = timezone.now()
    missing = max(0.0, 1 - args.votes / (args.participants * args.statements))
    rows, cols, votes, _truth = planted_conversation(
        participants=args.participants,
        statements=args.statements,
        groups=4,
        missing=missing,
        seed=17,
        as_arrays=True,
    )
    conversation = Conversation.objects.create(
        slug="bench-conversation",
        question="What would make it easier to get a GP appointment?",
        opens_at=now - dt.timedelta(days=5),
        closes_at=now + dt.timedelta(days=30),
    )
    Statement.objects.bulk_create(
        Statement(conversation=conversation, number=n, text=f"Benchmark statement number {n}")
        for n in range(1, args.statements + 1)
    )
    loaded = load_votes(
        conversation,
        ((str(int(r)), int(c) + 1, int(v)) for r, c, v in zip(rows, cols, votes, strict=True)),
    )
    User = get_user_model()
    people = User.objects.bulk_create(
        User(email=f"voter{n}@bench.example", display_name=f"Bench Voter {n}")
        for n in range(args.voters)
    )
    store = SessionStore()
    backend = "allauth.account.auth_backends.AuthenticationBackend"
    sessions, keys = [], []
    for person in people:
        key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
        sessions.append(
            Session(
                session_key=key,
                session_data=store.encode(
                    {
                        SESSION_KEY: str(person.pk),
                        BACKEND_SESSION_KEY: backend,
                        HASH_SESSION_KEY: person.get_session_auth_hash(),
                    }
                ),
                expire_date=now + dt.timedelta(days=2),
            )
        )
        keys.append(key)
    Session.objects.bulk_create(sessions, batch_size=2000)
    return {
        "conversation_pk": conversation.pk,
        "path": conversation.get_absolute_url(),
        "votes": loaded,
        "sessions": keys,
        "session_cookie": settings.SESSION_COOKIE_NAME,
    }


async def vote_round(server: Gunicorn, setup: dict, label: str, until=None) -> dict:
    """Each voter in turn: GET the vote page, POST agree on the statement it offers. With
    ``until`` (the recompute's process), keeps going round the voters until it has finished,
    and counts only the votes made while it ran."""
    target = Target("127.0.0.1", server.port)
    client = Client(target)
    path = setup["path"]
    gets: list[float] = []
    posts: list[float] = []
    failures: dict[str, int] = {}
    round_number = 0
    while True:
        for key in setup["sessions"]:
            if until is not None and until.poll() is not None:
                break
            client.cookies = {setup["session_cookie"]: key}
            try:
                page = await client.request("GET", path)
                token = CSRF_INPUT.search(page.text())
                form = VOTE_FORM.search(page.text())
                if page.status != 200 or token is None or form is None:
                    failures[f"page {page.status}"] = failures.get(f"page {page.status}", 0) + 1
                    continue
                gets.append(page.elapsed)
                posted = await client.request(
                    "POST",
                    form.group(1),
                    body=urlencode({"csrfmiddlewaretoken": token.group(1), "choice": "1"}).encode(),
                    headers={
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Origin": target.origin,
                        "Referer": target.origin + path,
                    },
                )
            except (OSError, HttpError, asyncio.IncompleteReadError) as error:
                failures[type(error).__name__] = failures.get(type(error).__name__, 0) + 1
                await client.close()
                continue
            if posted.status == 302:
                posts.append(posted.elapsed)
            else:
                failures[f"vote {posted.status}"] = failures.get(f"vote {posted.status}", 0) + 1
        round_number += 1
        if until is None or until.poll() is not None:
            break
    await client.close()
    return {
        "label": label,
        "votes": len(posts),
        "post_ms": _ms(posts),
        "get_ms": _ms(gets),
        "failures": failures,
    }


def _ms(values: list[float]) -> dict:
    if not values:
        return {"median": None, "p95": None, "max": None}
    return {
        "median": round(percentile(values, 50) * 1000, 1),
        "p95": round(percentile(values, 95) * 1000, 1),
        "max": round(max(values) * 1000, 1),
    }


def report(f: dict) -> None:
    m = f["meta"]
    job = f["recompute_job"]
    print(
        f"\nConversation of {m['participants']:,} people, {m['statements']} statements, "
        f"{m['votes']:,} votes ({m['cpus']} CPUs)"
    )
    print(
        f"recompute job: {job['seconds']} s, peak {job['peak_rss_mb']} MB, {job['groups']} groups, "
        f"{job['participants_clustered']:,} people grouped"
    )
    for phase in ("quiet", "during_recompute"):
        p = f[phase]
        print(
            f"{phase:>17}: {p['votes']} votes; POST median {p['post_ms']['median']} ms, "
            f"p95 {p['post_ms']['p95']} ms, max {p['post_ms']['max']} ms; page GET median "
            f"{p['get_ms']['median']} ms; failures {p['failures'] or 'none'}"
        )


if __name__ == "__main__":
    main()
