"""Benchmark: where a ballot's CPU goes, in one process, with no load generator in the way.

Makes a fresh PostgreSQL database (``vote_profile_bench`` by default: dropped and made again)
with the same voting cycle and signed-in voters as bench/vote_load.py, under the same production
settings (Redis sessions and cache), then calls the WSGI application directly, as gunicorn's
sync worker would, for each voter: GET the vote page, then POST the choice. Measures process CPU
per request for the vote page, the ballot POST and, as the ceiling in the same run, the minimal
page with the site layout (``/_ceiling/``). With ``--profile``, also prints the functions that
take the most CPU (cProfile, cumulative) for the page and the post.

    .venv/bin/python bench/vote_profile.py [--ballots 2000] [--entries 15] [--profile]

Prints a table and writes bench/results/vote_profile.json.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import json
import os
import pstats
import re
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _load_server import git_commit, manage, production_env, workdir  # noqa: E402

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken"\s+value="([^"]+)"')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/vote_profile_bench"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--ballots", type=int, default=2000)
    parser.add_argument("--entries", type=int, default=15)
    parser.add_argument("--ceiling", type=int, default=2000, help="ceiling requests to time")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--sort", default="cumulative", help="cProfile sort key (CPU time)")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "vote_profile.json"))
    args = parser.parse_args()
    url = urlsplit(args.database_url)
    name = url.path.lstrip("/")
    if url.hostname != "127.0.0.1" or urlsplit(args.redis_url).hostname != "127.0.0.1":
        parser.error("the benchmark only talks to 127.0.0.1")
    if "bench" not in name:
        parser.error(f"{name}: the database is dropped and made again, so its name must say bench")

    from vote_load import _recreate_database, make_voters

    tmp = workdir("nhs-citizen-vote-profile-")
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
    setup = make_voters(args.ballots, args.entries)
    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()
    figures = run(app, setup, args)
    figures["meta"] = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "ballots": args.ballots,
        "entries": args.entries,
        "cpus": os.cpu_count(),
    }
    report(figures)
    Path(args.out).write_text(json.dumps(figures, indent=2) + "\n")
    print(f"\nWritten to {args.out}")


def call(app, method: str, path: str, cookies: dict[str, str], body: bytes = b"") -> tuple:
    """One request through the WSGI application, as gunicorn would hand it over."""
    captured = {}

    def start_response(status, headers, exc_info=None):
        captured["status"] = int(status.split()[0])
        captured["headers"] = headers

    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "443",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_REFERER": f"https://127.0.0.1{path}",
        "HTTP_ORIGIN": "https://127.0.0.1",
        "HTTP_ACCEPT": "text/html",
        "HTTP_ACCEPT_ENCODING": "gzip",
        "HTTP_COOKIE": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "https",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": "application/x-www-form-urlencoded" if body else "",
    }
    result = app(environ, start_response)
    content = b"".join(result)
    if hasattr(result, "close"):
        result.close()
    set_cookies = {}
    for key, value in captured["headers"]:
        if key.lower() == "set-cookie":
            first = value.split(";", 1)[0]
            k, _, v = first.partition("=")
            set_cookies[k] = v
    return captured["status"], content, set_cookies


def run(app, setup: dict, args) -> dict:
    path = f"/assembly/{setup['cycle_slug']}/vote/"
    session_cookie = setup["session_cookie"]
    voters = setup["voters"]
    # Warm up: templates compiled, connections open, caches filled, as after a few requests.
    for _ in range(20):
        call(app, "GET", "/_ceiling/", {})
    half = len(voters) // 2
    page_cpu: list[float] = []
    post_cpu: list[float] = []
    statuses: dict[str, int] = {}
    profiles = {
        "page": cProfile.Profile(time.process_time),
        "post": cProfile.Profile(time.process_time),
    }
    for n, (_pk, key, choice) in enumerate(voters):
        cookies = {session_cookie: key}
        profile = args.profile and n >= half
        t = time.process_time()
        if profile:
            profiles["page"].enable()
        status, content, set_cookies = call(app, "GET", path, cookies)
        if profile:
            profiles["page"].disable()
        page_cpu.append(time.process_time() - t)
        if status != 200:
            statuses[f"page {status}"] = statuses.get(f"page {status}", 0) + 1
            continue
        token = CSRF_INPUT.search(content.decode()).group(1)
        cookies.update(set_cookies)
        body = urlencode([("csrfmiddlewaretoken", token)] + [("entries", c) for c in choice])
        t = time.process_time()
        if profile:
            profiles["post"].enable()
        status, _content, _ = call(app, "POST", path, cookies, body.encode())
        if profile:
            profiles["post"].disable()
        post_cpu.append(time.process_time() - t)
        statuses[f"post {status}"] = statuses.get(f"post {status}", 0) + 1
    ceiling_cpu = []
    for _ in range(args.ceiling):
        t = time.process_time()
        call(app, "GET", "/_ceiling/", {})
        ceiling_cpu.append(time.process_time() - t)

    def ms(values: list[float]) -> float:
        # The later half: after warm-up, and the half profiled with --profile is excluded
        # when profiling so cProfile's own cost does not count.
        sample = values[: len(values) // 2] if args.profile else values[len(values) // 4 :]
        return round(1000 * sum(sample) / max(1, len(sample)), 2)

    figures = {
        "statuses": statuses,
        "cpu_ms": {
            "ceiling": ms(ceiling_cpu),
            "vote_page": ms(page_cpu),
            "ballot_post": ms(post_cpu),
        },
    }
    c = figures["cpu_ms"]
    c["ballot"] = round(c["vote_page"] + c["ballot_post"], 2)
    c["ballot_in_ceiling_requests"] = round(c["ballot"] / c["ceiling"], 2) if c["ceiling"] else None
    if args.profile:
        for label, profile in profiles.items():
            out = io.StringIO()
            stats = pstats.Stats(profile, stream=out)
            stats.sort_stats(args.sort).print_stats(args.top)
            figures[f"profile_{label}"] = out.getvalue()
    return figures


def report(f: dict) -> None:
    c = f["cpu_ms"]
    print("\n## Ballot CPU in one process (WSGI called directly), PostgreSQL + Redis\n")
    print("| request | CPU ms |\n|---|---|")
    print(f"| ceiling (/_ceiling/, layout, no query) | {c['ceiling']} |")
    print(f"| vote page (GET) | {c['vote_page']} |")
    print(f"| ballot (POST) | {c['ballot_post']} |")
    print(f"| ballot, page + post | {c['ballot']} ({c['ballot_in_ceiling_requests']} ceilings) |")
    print(f"\nStatuses: {f['statuses']}")
    for label in ("page", "post"):
        if f"profile_{label}" in f:
            print(f"\n### Profile: {label}\n")
            print(f[f"profile_{label}"])


if __name__ == "__main__":
    main()
