"""A small HTTP/1.1 load generator on raw asyncio streams, for bench/web_load.py and
bench/vote_load.py.

Why not locust or httpx: the load generator shares the machine's 2 cores with gunicorn and
PostgreSQL, so every bit of CPU it spends is taken from the server it measures. This client does
the least work a browser-like request needs (one connection per request when the server closes it,
as gunicorn's sync workers do; keep-alive when the server allows it; Content-Length, chunked and
read-until-close bodies), and streams bodies it does not keep. ``web_load.py --client httpx`` runs
the same load with httpx's AsyncClient so the two can be compared on the same page.

Only 127.0.0.1 is ever contacted: ``Target`` refuses any other host.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

MAX_HEADER_BYTES = 64 * 1024


class HttpError(Exception):
    pass


@dataclass
class Response:
    status: int
    # Lower-case names; repeated headers joined with ", " (Set-Cookie also in cookies).
    headers: dict[str, str]
    cookies: list[str]
    body: bytes
    size: int
    ttfb: float  # seconds from the start of the request to the status line
    elapsed: float  # seconds from the start of the request to the last byte

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Target:
    host: str
    port: int
    https_proxy_header: bool = True  # send X-Forwarded-Proto: https (production mode)
    extra_headers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.host != "127.0.0.1":
            raise ValueError("The load benchmarks only talk to 127.0.0.1")

    @property
    def origin(self) -> str:
        return f"https://{self.host}:{self.port}"


class Client:
    """One simulated browser: at most one connection, reused while the server keeps it open."""

    def __init__(self, target: Target, cookies: dict[str, str] | None = None) -> None:
        self.target = target
        self.cookies: dict[str, str] = dict(cookies or {})
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            try:
                await self._writer.wait_closed()
            except (ConnectionError, OSError):
                pass
        self._reader = self._writer = None

    def _head(self, method: str, path: str, headers: dict[str, str], body: bytes) -> bytes:
        lines = [
            f"{method} {path} HTTP/1.1",
            f"Host: {self.target.host}:{self.target.port}",
            "User-Agent: nhs-citizen-bench",
            "Accept: */*",
        ]
        if self.target.https_proxy_header:
            lines.append("X-Forwarded-Proto: https")
        for name, value in {**self.target.extra_headers, **headers}.items():
            lines.append(f"{name}: {value}")
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if body or method in {"POST", "PUT", "PATCH"}:
            lines.append(f"Content-Length: {len(body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body

    async def request(
        self,
        method: str,
        path: str,
        *,
        headers: dict[str, str] | None = None,
        body: bytes = b"",
        keep_body: bool = True,
        on_chunk: Callable[[int], None] | None = None,
    ) -> Response:
        """Send one request and read the whole response. With keep_body=False the body is read
        and dropped chunk by chunk (only its size is kept), so big exports stream through."""
        start = time.perf_counter()
        if self._writer is None or self._writer.is_closing():
            self._reader, self._writer = await asyncio.open_connection(
                self.target.host, self.target.port, limit=MAX_HEADER_BYTES
            )
        reader, writer = self._reader, self._writer
        try:
            writer.write(self._head(method, path, headers or {}, body))
            await writer.drain()
            try:
                raw = await reader.readuntil(b"\r\n\r\n")
            except asyncio.IncompleteReadError as error:
                raise HttpError("The server closed the connection before answering") from error
            ttfb = time.perf_counter() - start
            status, response_headers, cookies, close = _parse_head(raw)
            chunks: list[bytes] = []
            size = 0

            def take(data: bytes) -> None:
                nonlocal size
                size += len(data)
                if keep_body:
                    chunks.append(data)
                if on_chunk is not None:
                    on_chunk(len(data))

            if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
                pass
            elif "chunked" in response_headers.get("transfer-encoding", ""):
                while True:
                    line = await reader.readuntil(b"\r\n")
                    length = int(line.split(b";", 1)[0].strip(), 16)
                    if length == 0:
                        # Trailers, if any, end with an empty line.
                        while (await reader.readuntil(b"\r\n")) != b"\r\n":
                            pass
                        break
                    while length > 0:
                        data = await reader.read(min(length, 256 * 1024))
                        if not data:
                            raise HttpError("The connection closed in the middle of a chunk")
                        length -= len(data)
                        take(data)
                    await reader.readexactly(2)
            elif "content-length" in response_headers:
                remaining = int(response_headers["content-length"])
                while remaining > 0:
                    data = await reader.read(min(remaining, 256 * 1024))
                    if not data:
                        raise HttpError("The connection closed before the whole body arrived")
                    remaining -= len(data)
                    take(data)
            else:
                close = True
                while data := await reader.read(256 * 1024):
                    take(data)
        except BaseException:
            await self.close()
            raise
        if close:
            await self.close()
        for cookie in cookies:
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if "max-age=0" in cookie.lower() or not value:
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value
        return Response(
            status=status,
            headers=response_headers,
            cookies=cookies,
            body=b"".join(chunks),
            size=size,
            ttfb=ttfb,
            elapsed=time.perf_counter() - start,
        )


def _parse_head(raw: bytes) -> tuple[int, dict[str, str], list[str], bool]:
    lines = raw.decode("latin-1").split("\r\n")
    version, _, rest = lines[0].partition(" ")
    status = int(rest.split(" ", 1)[0])
    headers: dict[str, str] = {}
    cookies: list[str] = []
    for line in lines[1:]:
        if not line:
            continue
        name, _, value = line.partition(":")
        name, value = name.strip().lower(), value.strip()
        if name == "set-cookie":
            cookies.append(value)
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    connection = headers.get("connection", "").lower()
    close = "close" in connection or (version == "HTTP/1.0" and "keep-alive" not in connection)
    return status, headers, cookies, close


# Load: N clients repeating one request until a deadline --------------------------------------


@dataclass
class LoadResult:
    latencies: list[float]  # seconds, successful (2xx) requests only
    ttfbs: list[float]
    statuses: Counter
    exceptions: Counter
    elapsed: float
    bytes: int
    client_cpu: float  # CPU seconds this process spent during the run
    page_cache: Counter  # the X-Page-Cache header of each measured response (hit, miss, ...)

    @property
    def ok(self) -> int:
        return len(self.latencies)

    @property
    def errors(self) -> int:
        return sum(n for s, n in self.statuses.items() if not 200 <= s < 300) + sum(
            self.exceptions.values()
        )

    @property
    def rps(self) -> float:
        return self.ok / self.elapsed if self.elapsed else 0.0


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


async def drive(
    make_request: Callable[[Client, int], Awaitable[Response]],
    target: Target,
    *,
    clients: int,
    duration: float,
    warmup: float = 0.0,
    timeout: float = 30.0,
    client_factory: Callable[[Target], Client] = Client,
) -> LoadResult:
    """Run `clients` clients, each calling make_request(client, n) in a loop, for `warmup`
    seconds unmeasured and then `duration` seconds measured. Requests still running at the
    deadline are waited for (up to `timeout`) and counted if they started in the window."""
    latencies: list[float] = []
    ttfbs: list[float] = []
    statuses: Counter = Counter()
    exceptions: Counter = Counter()
    page_cache: Counter = Counter()
    size = 0
    counter = 0
    loop_start = time.perf_counter()
    measure_from = loop_start + warmup
    deadline = measure_from + duration
    cpu_start = None

    async def one(client: Client) -> None:
        nonlocal size, counter
        while True:
            started = time.perf_counter()
            if started >= deadline:
                return
            counter += 1
            try:
                response = await asyncio.wait_for(make_request(client, counter), timeout)
            except TimeoutError:
                await client.close()
                if started >= measure_from:
                    exceptions["timeout"] += 1
                continue
            except (OSError, HttpError, asyncio.IncompleteReadError, ValueError) as error:
                await client.close()
                if started >= measure_from:
                    exceptions[type(error).__name__] += 1
                await asyncio.sleep(0.01)
                continue
            if started < measure_from:
                continue
            statuses[response.status] += 1
            page_cache[response.headers.get("x-page-cache", "none")] += 1
            size += response.size
            if 200 <= response.status < 300:
                latencies.append(response.elapsed)
                ttfbs.append(response.ttfb)

    async def mark_cpu() -> None:
        nonlocal cpu_start
        await asyncio.sleep(max(0.0, measure_from - time.perf_counter()))
        cpu_start = time.process_time()

    pool = [client_factory(target) for _ in range(clients)]
    marker = asyncio.ensure_future(mark_cpu())
    try:
        await asyncio.gather(*(one(c) for c in pool))
    finally:
        for c in pool:
            await c.close()
    await marker
    end = time.perf_counter()
    return LoadResult(
        latencies=latencies,
        ttfbs=ttfbs,
        statuses=statuses,
        exceptions=exceptions,
        elapsed=max(end - measure_from, 1e-9),
        bytes=size,
        client_cpu=time.process_time() - (cpu_start or 0.0),
        page_cache=page_cache,
    )


def get(path: str, *, keep_body: bool = False) -> Callable[[Client, int], Awaitable[Response]]:
    async def request(client: Client, n: int) -> Response:
        return await client.request("GET", path, keep_body=keep_body)

    return request
