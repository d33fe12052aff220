"""Benchmark: every public page under load, through gunicorn, on PostgreSQL and Redis.

Starts gunicorn (2 sync workers, ``nhs_citizen.config.wsgi``) with production settings as far as a
local run allows (DEBUG off, secure cookies, manifest static files collected into a temporary
folder; the HTTPS redirect is off and every request says ``X-Forwarded-Proto: https``), against a
database loaded with ``manage.py seed_scale``. Then, in one run:

- a ceiling page (``/_ceiling/`` if it exists, else ``/about/``: a short page with the site
  layout), before and after the pages, so each page's share of it is measured on the same machine
  under the same conditions;
- each public page driven by CLIENTS concurrent clients for DURATION seconds (after a short
  unmeasured warm-up): requests/s, p50, p95, errors, share of the ceiling; and each page's
  uncached cost (p50 of a few single requests with a query string no cache has seen);
- each open-data export downloaded whole, streamed through the client: time to first byte, total
  time, size, and the growth of the workers' memory (RSS from /proc, sampled every 50 ms);
- the workers' memory after the run.

Prints markdown tables and writes the figures to bench/results/web_load.json.

    .venv/bin/python bench/web_load.py [--database-url URL] [--duration 30] [--clients 16]
        [--pages home,gather,...] [--client raw|httpx] [--no-exports]

The load generator is bench/_load_http.py (raw asyncio streams): see its docstring for why.
Only 127.0.0.1 is contacted. gunicorn is stopped on exit, Ctrl+C or SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import re
import sys
import time
import uuid
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _load_http import Client, Response, Target, drive, percentile  # noqa: E402
from _load_server import (  # noqa: E402
    Gunicorn,
    git_commit,
    machine_cpu,
    manage,
    postgres_cpu_seconds,
    production_env,
    workdir,
)

TARGET_SHARE = 0.5
TARGET_P95_MS = 100
TARGET_TTFB_MS = 200
TARGET_RSS_MB = 350
# "Constant memory while streaming": a worker grows by less than this during a whole download.
TARGET_EXPORT_GROWTH_MB = 50
DEEP_PAGE = 500
DEEP_PAGE_SECONDS = 300

# Exports the issue names; any other open-data route is found in the URL configuration.
KNOWN_EXPORTS = [
    "/gather/open-data/flags.json",
    "/tracker/open-data/commitments.json",
    "/tracker/open-data/commitments.csv",
    "/culture-change/measures.csv",
    "/culture-change/measures.json",
    "/discover/statements.csv",
    "/discover/topics.json",
    "/open-data/audit-log.json",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/scale", help="PostgreSQL"
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/3")
    )
    parser.add_argument("--duration", type=float, default=30.0, help="seconds per page")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds per page")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--client", choices=["raw", "httpx"], default="raw")
    parser.add_argument("--pages", default="", help="comma-separated page names (default: all)")
    parser.add_argument("--no-exports", action="store_true")
    parser.add_argument(
        "--export-seconds", type=float, default=60, help="stop reading an export after this long"
    )
    parser.add_argument("--uncached", type=int, default=8, help="single requests per page")
    parser.add_argument("--keep-cache", action="store_true", help="do not empty the Redis db")
    parser.add_argument(
        "--page-cache-seconds",
        type=int,
        default=None,
        help="PAGE_CACHE_SECONDS for gunicorn (default: the app's own; 0 measures every page "
        "rendered afresh)",
    )
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "web_load.json"))
    args = parser.parse_args()
    args.database = urlsplit(args.database_url).path.lstrip("/")
    for url in (args.database_url, args.redis_url):
        if urlsplit(url).hostname != "127.0.0.1":
            parser.error(f"{url}: the benchmark only talks to 127.0.0.1")

    tmp = workdir("nhs-citizen-web-load-")
    env = production_env(args.database_url, args.redis_url, tmp)
    if args.page_cache_seconds is not None:
        env["PAGE_CACHE_SECONDS"] = str(args.page_cache_seconds)
    print(f"Working folder {tmp}; collecting static files…", flush=True)
    manage(env, "collectstatic", "--noinput", timeout=300)
    if not args.keep_cache:
        _flush_redis(args.redis_url)
    os.environ.update(env)
    import django

    django.setup()
    data = _data_facts()
    from django.db import connections

    connections.close_all()
    server = Gunicorn(env, workers=args.workers, worker_class=args.worker_class)
    server.start()
    print(f"gunicorn: {args.workers} {args.worker_class} workers on port {server.port}", flush=True)
    try:
        figures = asyncio.run(run(args, server, data))
    finally:
        server.stop()
    figures["meta"] = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "database": urlsplit(args.database_url).path.lstrip("/"),
        "data": data["counts"],
        "clients": args.clients,
        "duration_s": args.duration,
        "warmup_s": args.warmup,
        "workers": args.workers,
        "worker_class": args.worker_class,
        "load_generator": args.client,
        "page_cache_seconds": env.get("PAGE_CACHE_SECONDS", "app default"),
        "cpus": os.cpu_count(),
        "targets": {
            "share_of_ceiling": TARGET_SHARE,
            "p95_ms": TARGET_P95_MS,
            "export_ttfb_ms": TARGET_TTFB_MS,
            "export_worker_growth_mb": TARGET_EXPORT_GROWTH_MB,
            "worker_rss_mb": TARGET_RSS_MB,
        },
    }
    report(figures)
    out = Path(args.out)
    out.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"\nWritten to {out}")


# What to measure ------------------------------------------------------------------------------


def _data_facts() -> dict:
    """Objects the pages need, found in the database (the app's own models, read only)."""
    from django.db.models import Count, F

    from nhs_citizen.assembly.models import Cycle
    from nhs_citizen.core.models import AuditEntry, Organisation
    from nhs_citizen.discover.models import Topic as DiscoverTopic
    from nhs_citizen.gather.models import Flag, Support
    from nhs_citizen.panels.models import Panel, PanelStatus

    def estimate(model) -> int:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                [model._meta.db_table],
            )
            row = cursor.fetchone()
        return int(row[0]) if row and row[0] >= 0 else model.objects.count()

    top = Flag.objects.order_by("-support_count", "pk").values("pk", "support_count").first()
    body = (
        Organisation.objects.annotate(n=Count("commitments"))
        .filter(n__gt=0)
        .order_by("-n", "pk")
        .values("slug", "n")
        .first()
    )
    # Cycles with published scores first: their page and results.json have the most to show.
    cycles = list(
        Cycle.objects.order_by(
            F("scores_published_at").desc(nulls_last=True), "-flag_cutoff"
        ).values_list("slug", "scores_published_at")[:5]
    )
    topic = (
        DiscoverTopic.objects.public()
        .annotate(n=Count("items"))
        .order_by("-n", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    panels = list(Panel.objects.order_by("-pk").values_list("pk", "status")[:20])
    # A drawn panel first: its check page has something to show.
    panels.sort(key=lambda p: p[1] != PanelStatus.SEED_REVEALED)
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.urls import get_resolver

    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return {
        "pending_migrations": [f"{m.app_label}.{m.name}" for m, _ in pending],
        "top_flag": top,
        "body": body,
        "cycles": [slug for slug, _ in cycles],
        "published_cycles": [slug for slug, published in cycles if published],
        "discover_topic": topic,
        "panels": [pk for pk, _ in panels],
        "exports": _export_routes(get_resolver()),
        "counts": {
            "flags": estimate(Flag),
            "supports": estimate(Support),
            "audit_entries": estimate(AuditEntry),
            "top_flag_supporters": top["support_count"] if top else 0,
        },
    }


def _export_routes(resolver, prefix: str = "") -> list[str]:
    """Every route without parameters whose address ends in .json, .jsonl or .csv."""
    from django.urls import URLPattern, URLResolver

    found = []
    for pattern in resolver.url_patterns:
        route = str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += _export_routes(pattern, prefix + route)
        elif isinstance(pattern, URLPattern):
            path = prefix + route
            if "<" not in path and "(" not in path and re.search(r"\.(json|jsonl|csv)$", path):
                found.append("/" + path.lstrip("^").replace("\\", ""))
    return found


class _FormOptions(HTMLParser):
    """The options of every <select> and the rel="next" link of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.selects: dict[str, list[str]] = {}
        self._select: str | None = None
        self.next_href: str | None = None
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "select":
            self._select = a.get("name")
            self.selects.setdefault(self._select or "", [])
        elif tag == "option" and self._select is not None and a.get("value"):
            self.selects[self._select].append(a["value"])
        elif tag == "a":
            if "next" in (a.get("rel") or "").split():
                self.next_href = a.get("href")
            if a.get("href"):
                self.links.append(a["href"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def _parse(html: str) -> _FormOptions:
    parser = _FormOptions()
    parser.feed(html)
    return parser


def _join(path: str, href: str) -> str:
    if href.startswith("?"):
        return path.split("?", 1)[0] + href
    parts = urlsplit(href)
    return parts.path + (f"?{parts.query}" if parts.query else "")


async def discover_pages(target: Target, data: dict, notes: list[str]) -> list[tuple[str, str]]:
    client = Client(target)

    async def get(path: str) -> Response:
        return await client.request("GET", path)

    pages: list[tuple[str, str]] = [("home", "/")]
    # Gather: first page, a filter, and page 500 reached by its own "next" links.
    pages.append(("gather list", "/gather/"))
    gather = _parse((await get("/gather/")).text())
    filters = {}
    statuses = gather.selects.get("status", [])
    if statuses:
        filters["status"] = "open" if "open" in statuses else statuses[0]
    topics = gather.selects.get("topic", [])
    if topics:
        filters["topic"] = topics[0]
    pages.append(("gather filtered", "/gather/?" + urlencode(filters)))
    deep = await _deep_page(get, "/gather/", gather.next_href, notes)
    if deep:
        pages.append(deep)
    if top := data["top_flag"]:
        pages.append((f"flag ({top['support_count']:,} supporters)", f"/gather/flags/{top['pk']}/"))
        pages.append(("flag people", f"/gather/flags/{top['pk']}/people/"))
    else:
        notes.append("No flags in the database: flag pages skipped.")
    # Tracker, with filters read from its own form.
    pages.append(("tracker", "/tracker/"))
    tracker = _parse((await get("/tracker/")).text())
    tfilters = {}
    if statuses := tracker.selects.get("status", []):
        tfilters["status"] = "overdue" if "overdue" in statuses else statuses[0]
    if topics := tracker.selects.get("topic", []):
        tfilters["topic"] = topics[0]
    pages.append(("tracker filtered", "/tracker/?" + urlencode(tfilters)))
    if body := data["body"]:
        pages.append((f"body ({body['n']:,} commitments)", f"/tracker/bodies/{body['slug']}/"))
    # Discover: the dashboard and the first topic it links to.
    pages.append(("discover", "/discover/"))
    dashboard = _parse((await get("/discover/")).text())
    topic_links = [h for h in dashboard.links if re.fullmatch(r"/discover/topics/\d+/", h)]
    if topic_links:
        pages.append(("discover topic", topic_links[0]))
    elif data["discover_topic"]:
        notes.append("The Discover dashboard links to no topic: topic with most statements used.")
        pages.append(("discover topic", f"/discover/topics/{data['discover_topic']}/"))
    else:
        notes.append("No public Discover topic: topic page skipped.")
    pages.append(("league table", "/culture-change/"))
    for slug in data["cycles"]:
        if (await get(f"/assembly/{slug}/")).status == 200:
            pages.append(("assembly cycle", f"/assembly/{slug}/"))
            break
    else:
        notes.append("No Assembly cycle page answers 200: skipped.")
    pages.append(("audit log", "/audit-log/"))
    for pk in data["panels"][:5]:
        if (await get(f"/selection-by-lot/panels/{pk}/check/")).status == 200:
            pages.append(("check this draw", f"/selection-by-lot/panels/{pk}/check/"))
            break
    else:
        notes.append("No panel with a 'check this draw' page in this database: skipped.")
    await client.close()
    return pages


async def _deep_page(get, path: str, next_href: str | None, notes: list[str]):
    """Page 500 of a list: ?page=500 if the list numbers its pages, else its next links
    followed 499 times from the first page (at most DEEP_PAGE_SECONDS)."""
    if not next_href:
        notes.append(f"{path} has a single page: no deep page to measure.")
        return None
    nxt = _join(path, next_href)
    if re.search(r"[?&]page=2(&|$)", nxt):
        deep = re.sub(r"([?&])page=2(&|$)", rf"\g<1>page={DEEP_PAGE}\2", nxt)
        response = await get(deep)
        return (f"gather page {DEEP_PAGE} (?page=)", deep) if response.status == 200 else None
    number, current, started = 2, nxt, time.monotonic()
    while number < DEEP_PAGE and time.monotonic() - started < DEEP_PAGE_SECONDS:
        response = await get(current)
        if response.status != 200:
            break
        href = _parse(response.text()).next_href
        if not href:
            break
        current, number = _join(path, href), number + 1
    if number < DEEP_PAGE:
        notes.append(
            f"{path}: stopped at page {number} following next links "
            f"({'no more pages' if time.monotonic() - started < DEEP_PAGE_SECONDS else 'time limit'})."
        )
    return (f"gather page {number} (next links)", current)


async def discover_exports(target: Target, data: dict, notes: list[str]) -> list[str]:
    routes = list(dict.fromkeys(KNOWN_EXPORTS + data["exports"]))
    for slug in data["published_cycles"][:1]:
        routes.append(f"/assembly/{slug}/results.json")
    return routes


# Running ---------------------------------------------------------------------------------------


class _HttpxClient:
    """The same interface as _load_http.Client, on httpx, to compare the two generators."""

    def __init__(self, target: Target) -> None:
        import httpx

        self.http = httpx.AsyncClient(
            base_url=f"http://{target.host}:{target.port}",
            headers={"X-Forwarded-Proto": "https", "Host": f"{target.host}:{target.port}"},
            timeout=60,
        )

    async def request(self, method: str, path: str, keep_body: bool = False, **_) -> Response:
        start = time.perf_counter()
        async with self.http.stream(method, path) as r:
            ttfb = time.perf_counter() - start
            size = 0
            async for chunk in r.aiter_raw():
                size += len(chunk)
        return Response(
            r.status_code, dict(r.headers), [], b"", size, ttfb, time.perf_counter() - start
        )

    async def close(self) -> None:
        await self.http.aclose()


async def measure_page(args, target: Target, server: Gunicorn, name: str, path: str) -> dict:
    factory = _HttpxClient if args.client == "httpx" else Client

    async def request(client, n: int) -> Response:
        return await client.request("GET", path, keep_body=False)

    probe = await Client(target).request("GET", path, keep_body=False)
    row: dict = {"page": name, "path": path, "status": probe.status}
    if probe.status == 404:
        row["missing"] = True
        return row
    if args.warmup:
        await drive(
            request, target, clients=args.clients, duration=args.warmup, client_factory=factory
        )
    cpu = _cpu_snapshot(server, args.database)
    result = await drive(
        request, target, clients=args.clients, duration=args.duration, client_factory=factory
    )
    used = _cpu_used(cpu, _cpu_snapshot(server, args.database), result.client_cpu)
    answered = max(1, sum(result.statuses.values()))
    row.update(
        {
            "requests_per_s": round(result.rps, 1),
            "requests": result.ok,
            "p50_ms": round(percentile(result.latencies, 50) * 1000, 1),
            "p95_ms": round(percentile(result.latencies, 95) * 1000, 1),
            "max_ms": round(max(result.latencies, default=float("nan")) * 1000, 1),
            "errors": result.errors,
            "statuses": {str(k): v for k, v in sorted(result.statuses.items())},
            "exceptions": dict(result.exceptions),
            "kb_per_response": round(result.bytes / answered / 1024),
            "cpu_s": used,
            # CPU per request is what the page costs whatever else the machine is doing.
            "cpu_ms_per_request": {
                "workers": round(used["workers"] * 1000 / answered, 2),
                "postgres": round(used["postgres"] * 1000 / answered, 2),
                "load_generator": round(used["load_generator"] * 1000 / answered, 2),
            },
            "page_cache": dict(result.page_cache),
        }
    )
    if args.uncached:
        # Each address once, so no cache has it: what rendering the page costs.
        times = []
        client = Client(target)
        sep = "&" if "?" in path else "?"
        cpu = _cpu_snapshot(server, args.database)
        for _ in range(args.uncached):
            response = await client.request(
                "GET", f"{path}{sep}_bench={uuid.uuid4().hex[:12]}", keep_body=False
            )
            if response.status == 200:
                times.append(response.elapsed)
        after = _cpu_snapshot(server, args.database)
        await client.close()
        row["uncached_p50_ms"] = round(percentile(times, 50) * 1000, 1) if times else None
        row["uncached_cpu_ms_per_request"] = {
            "workers": round((after["workers"] - cpu["workers"]) * 1000 / args.uncached, 1),
            "postgres": round((after["postgres"] - cpu["postgres"]) * 1000 / args.uncached, 1),
        }
    return row


def _cpu_snapshot(server: Gunicorn, database: str) -> dict:
    busy, total = machine_cpu()
    return {
        "workers": server.worker_cpu_seconds(),
        "postgres": postgres_cpu_seconds(database),
        "busy": busy,
        "total": total,
    }


def _cpu_used(before: dict, after: dict, client: float) -> dict:
    workers = after["workers"] - before["workers"]
    pg = after["postgres"] - before["postgres"]
    busy = after["busy"] - before["busy"]
    return {
        "workers": round(workers, 1),
        "postgres": round(pg, 1),
        "load_generator": round(client, 1),
        "everything_else": round(max(0.0, busy - workers - pg - client), 1),
        "idle": round((after["total"] - before["total"]) - busy, 1),
    }


async def measure_export(target: Target, server: Gunicorn, path: str, limit: float) -> dict:
    before = server.worker_rss_mb()
    peak = dict(before)
    done = asyncio.Event()

    async def sample() -> None:
        while not done.is_set():
            for pid, rss in server.worker_rss_mb().items():
                peak[pid] = max(peak.get(pid, 0.0), rss)
            try:
                await asyncio.wait_for(done.wait(), 0.05)
            except TimeoutError:
                pass

    sampler = asyncio.ensure_future(sample())
    client = Client(target)
    row: dict = {"export": path}
    started = time.perf_counter()
    seen = {"bytes": 0, "first": None}

    def on_chunk(n: int) -> None:
        seen["bytes"] += n
        if seen["first"] is None:
            seen["first"] = time.perf_counter() - started

    response = None
    try:
        response = await asyncio.wait_for(
            client.request("GET", path, keep_body=False, on_chunk=on_chunk), limit
        )
    except TimeoutError:
        pass  # a long export: what arrived in `limit` seconds shows its speed and memory
    finally:
        done.set()
        await sampler
        await client.close()
    elapsed = time.perf_counter() - started
    after = server.worker_rss_mb()
    growth = max((peak[p] - before.get(p, peak[p]) for p in peak), default=0.0)
    if response is None and seen["first"] is None:
        row.update({"status": f"nothing within {limit:.0f} s", "meets_target": False})
        return row
    row.update(
        {
            "status": response.status if response else 200,
            "missing": bool(response and response.status == 404),
            "complete": response is not None,
            "content_type": response.headers.get("content-type", "") if response else "",
            "streamed": response is None or "content-length" not in response.headers,
            "ttfb_ms": round((response.ttfb if response else seen["first"]) * 1000, 1),
            "total_s": round(elapsed, 2),
            "mb": round(seen["bytes"] / 1e6, 2),
            "mb_per_s": round(seen["bytes"] / 1e6 / max(elapsed, 1e-9), 2),
            "worker_rss_before_mb": round(max(before.values(), default=0.0), 1),
            "worker_rss_peak_mb": round(max(peak.values(), default=0.0), 1),
            "worker_rss_after_mb": round(max(after.values(), default=0.0), 1),
            "worker_rss_growth_mb": round(growth, 1),
        }
    )
    return row


async def run(args, server: Gunicorn, data: dict) -> dict:
    target = Target("127.0.0.1", server.port)
    notes: list[str] = []
    if data["pending_migrations"]:
        notes.append(
            "The database has migrations not applied (pages may fail): "
            + ", ".join(data["pending_migrations"])
        )
    ceiling_path = "/_ceiling/"
    if (await Client(target).request("GET", ceiling_path)).status != 200:
        ceiling_path = "/about/"
        notes.append("No /_ceiling/ page: /about/ is the ceiling (a short page with the layout).")
    print("Finding the pages…", flush=True)
    pages = await discover_pages(target, data, notes)
    wanted = {p.strip() for p in args.pages.split(",") if p.strip()}
    if wanted:
        pages = [p for p in pages if any(w in p[0] for w in wanted)]
    exports = [] if args.no_exports else await discover_exports(target, data, notes)
    minutes = (len(pages) + 2) * (args.duration + args.warmup + 3) / 60
    print(f"{len(pages)} pages, {len(exports)} exports: about {minutes:.0f} min", flush=True)

    rss_start = server.worker_rss_mb()
    ceilings = []
    print(f"  ceiling {ceiling_path}", flush=True)
    ceilings.append(await measure_page(args, target, server, "ceiling (before)", ceiling_path))
    rows = []
    for name, path in pages:
        print(f"  {name}: {path}", flush=True)
        rows.append(await measure_page(args, target, server, name, path))
        if rows[-1].get("requests_per_s") is not None:
            print(
                f"    {rows[-1]['requests_per_s']} req/s, p95 {rows[-1]['p95_ms']} ms, "
                f"{rows[-1]['errors']} errors",
                flush=True,
            )
    print(f"  ceiling {ceiling_path} again", flush=True)
    ceilings.append(await measure_page(args, target, server, "ceiling (after)", ceiling_path))
    ceiling_rps = sum(c.get("requests_per_s", 0) for c in ceilings) / len(ceilings)
    ceiling_cpu = sum(_server_cpu_ms(c) for c in ceilings) / len(ceilings)
    for row in rows:
        if row.get("requests_per_s") is not None and ceiling_rps:
            row["share_of_ceiling"] = round(row["requests_per_s"] / ceiling_rps, 2)
            # The same share from CPU per request: steadier when others load the machine.
            row["share_of_ceiling_by_cpu"] = round(ceiling_cpu / max(_server_cpu_ms(row), 0.01), 2)
            row["meets_target"] = (
                row["share_of_ceiling"] >= TARGET_SHARE
                and row["p95_ms"] < TARGET_P95_MS
                and row["errors"] == 0
            )
    rss_after_pages = server.worker_rss_mb()
    export_rows = []
    for path in exports:
        print(f"  export {path}", flush=True)
        export_rows.append(await measure_export(target, server, path, args.export_seconds))
    for row in export_rows:
        if isinstance(row.get("status"), int) and row["status"] == 200:
            row["meets_target"] = (
                row["ttfb_ms"] < TARGET_TTFB_MS
                and row["worker_rss_growth_mb"] < TARGET_EXPORT_GROWTH_MB
            )
    rss_end = server.worker_rss_mb()
    return {
        "ceiling": {
            "path": ceiling_path,
            "requests_per_s": round(ceiling_rps, 1),
            "server_cpu_ms_per_request": round(ceiling_cpu, 2),
            "runs": ceilings,
        },
        "pages": rows,
        "exports": export_rows,
        "worker_rss_mb": {
            "start": _rounded(rss_start),
            "after_pages": _rounded(rss_after_pages),
            "end": _rounded(rss_end),
            "max_end": round(max(rss_end.values(), default=0.0), 1),
            "meets_target": max(rss_end.values(), default=0.0) < TARGET_RSS_MB,
        },
        "notes": notes,
    }


def _server_cpu_ms(row: dict) -> float:
    cpu = row.get("cpu_ms_per_request") or {}
    return cpu.get("workers", 0.0) + cpu.get("postgres", 0.0)


def _rounded(rss: dict[int, float]) -> dict[str, float]:
    return {str(pid): round(mb, 1) for pid, mb in sorted(rss.items())}


# Reporting -------------------------------------------------------------------------------------


def report(f: dict) -> None:
    meta = f["meta"]
    d = meta["data"]
    print(
        f"\n## Web load: {meta['clients']} clients x {meta['duration_s']:.0f} s per page, "
        f"gunicorn {meta['workers']} {meta['worker_class']} workers, {meta['cpus']} CPUs, "
        f"database `{meta['database']}` (~{d['flags']:,} flags, ~{d['supports']:,} supports, "
        f"~{d['audit_entries']:,} audit entries), load generator: {meta['load_generator']}\n"
    )
    c = f["ceiling"]
    runs = ", ".join(str(r.get("requests_per_s")) for r in c["runs"])
    print(
        f"Ceiling `{c['path']}`: {c['requests_per_s']} requests/s (before, after: {runs}), "
        f"{c['server_cpu_ms_per_request']} ms of server CPU (gunicorn + PostgreSQL) per request\n"
    )
    print(
        "| page | requests/s | share of ceiling (by CPU) | p50 ms | p95 ms | errors | cache hits "
        "| server CPU ms/request | uncached: p50 ms, server CPU ms | others' CPU | target |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in [*f["pages"], *f["ceiling"]["runs"]]:
        if r.get("missing"):
            print(f"| {r['page']} `{r['path']}` | missing (404) | | | | | | | | | |")
            continue
        cpu = r["cpu_s"]
        spent = sum(v for k, v in cpu.items() if k != "idle") or 1
        uncached = r.get("uncached_cpu_ms_per_request") or {}
        target = {True: "yes", False: "NO", None: ""}[r.get("meets_target")]
        print(
            f"| {r['page']} `{_short(r['path'])}` | {r['requests_per_s']} "
            f"| {r.get('share_of_ceiling', '')} ({r.get('share_of_ceiling_by_cpu', '')}) "
            f"| {r['p50_ms']} | {r['p95_ms']} | {r['errors']}{_statuses(r)} | {_hits(r)} "
            f"| {_server_cpu_ms(r):.1f} "
            f"| {r.get('uncached_p50_ms')}, "
            f"{uncached.get('workers', 0) + uncached.get('postgres', 0):.1f} "
            f"| {100 * cpu['everything_else'] / spent:.0f}% | {target} |"
        )
    if f["exports"]:
        print(
            "\n| export | status | streamed | first byte ms | seconds | MB (MB/s) "
            "| worker RSS before / peak MB | growth MB | target |"
        )
        print("|---|---|---|---|---|---|---|---|---|")
        for r in f["exports"]:
            if r.get("missing") or not isinstance(r.get("status"), int) or r["status"] != 200:
                status = "404 missing" if r.get("missing") else r.get("status")
                print(f"| `{r['export']}` | {status} | | | | | | | |")
                continue
            partial = "" if r["complete"] else " (stopped)"
            print(
                f"| `{r['export']}` | {r['status']} | {'yes' if r['streamed'] else 'no'} "
                f"| {r['ttfb_ms']} | {r['total_s']}{partial} | {r['mb']} ({r['mb_per_s']}) "
                f"| {r['worker_rss_before_mb']} / {r['worker_rss_peak_mb']} "
                f"| {r['worker_rss_growth_mb']} | {'yes' if r.get('meets_target') else 'NO'} |"
            )
    rss = f["worker_rss_mb"]
    print(
        f"\nWorker RSS (MB): start {rss['start']}, after the pages {rss['after_pages']}, "
        f"end {rss['end']}: target < {TARGET_RSS_MB} MB: "
        f"{'met' if rss['meets_target'] else 'NOT met'}"
    )
    slow = sorted(
        (r for r in f["pages"] if r.get("requests_per_s") is not None),
        key=lambda r: r["requests_per_s"],
    )[:5]
    if slow:
        print("Slowest pages: " + ", ".join(f"{r['page']} ({r['requests_per_s']}/s)" for r in slow))
    for note in f["notes"]:
        print(f"Note: {note}")


def _short(path: str) -> str:
    return path if len(path) <= 60 else path[:40] + "…" + path[-12:]


def _hits(row: dict) -> str:
    cache = row.get("page_cache") or {}
    total = sum(cache.values())
    return f"{100 * cache.get('hit', 0) / total:.0f}%" if total else "-"


def _statuses(row: dict) -> str:
    odd = {k: v for k, v in row["statuses"].items() if not k.startswith("2")}
    odd.update(row.get("exceptions") or {})
    return f" ({', '.join(f'{k}: {v}' for k, v in odd.items())})" if odd else ""


def _flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        print("\nStopped.")
        sys.exit(130)
