"""Offline test servers for the connectors: a real HTTP server and a small IMAP4 server,
both on 127.0.0.1, serving recorded fixtures. Nothing here reaches the internet."""

from __future__ import annotations

import json
import re
import socketserver
import threading
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def fixture_json(name: str):
    return json.loads(fixture_bytes(name))


# --------------------------------------------------------------------------- HTTP


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]


Handler = Callable[[Request], tuple[int, dict[str, str], bytes]]


@dataclass
class FakeWeb:
    """Routes are exact paths; each returns (status, headers, body). ``requests`` logs calls."""

    base_url: str = ""
    routes: dict[str, Handler] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base_url + path

    def serve_file(self, path: str, name: str, content_type: str, *, etag: str = "") -> None:
        body = fixture_bytes(name)

        def handler(request: Request):
            headers = {"Content-Type": content_type}
            if etag:
                headers["ETag"] = etag
                if request.headers.get("if-none-match") == etag:
                    return 304, headers, b""
            return 200, headers, body

        self.routes[path] = handler

    def fail(self, path: str, status: int) -> None:
        self.routes[path] = lambda request: (
            status,
            {"Content-Type": "application/json"},
            json.dumps({"error": "Something broke"}).encode(),
        )


@pytest.fixture
def web():
    fake = FakeWeb()

    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # keep test output quiet
            pass

        def _handle(self):
            parts = urllib.parse.urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            request = Request(
                self.command,
                parts.path,
                dict(urllib.parse.parse_qsl(parts.query)),
                {k.lower(): v for k, v in self.headers.items()},
            )
            fake.requests.append(request)
            handler = fake.routes.get(parts.path)
            if handler is None:
                status, headers, body = 404, {"Content-Type": "text/plain"}, b"Not found"
            else:
                status, headers, body = handler(request)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        do_GET = do_POST = do_HEAD = _handle

    class _Server(ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request, client_address):
            pass  # a client that gave up (time-out tests) is not a failure of the server

    server = _Server(("127.0.0.1", 0), _Handler)
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield fake
    server.shutdown()
    server.server_close()


def mastodon_timeline(web: FakeWeb, statuses: list[dict], *, page_cap: int = 2) -> Handler:
    """Mastodon's hashtag timeline: newest first, max_id / since_id / min_id paging, at most
    ``page_cap`` statuses a page (small, so paging is exercised), Link headers like Mastodon."""

    def handler(request: Request):
        q = request.query
        ordered = sorted(statuses, key=lambda s: int(s["id"]), reverse=True)
        if "max_id" in q:
            ordered = [s for s in ordered if int(s["id"]) < int(q["max_id"])]
        if "since_id" in q:
            ordered = [s for s in ordered if int(s["id"]) > int(q["since_id"])]
        size = min(int(q.get("limit", 20)), page_cap)
        if "min_id" in q:
            above = [s for s in reversed(ordered) if int(s["id"]) > int(q["min_id"])]
            page = list(reversed(above[:size]))
        else:
            page = ordered[:size]
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if page:
            base = web.url(request.path)
            headers["Link"] = (
                f'<{base}?max_id={page[-1]["id"]}>; rel="next", '
                f'<{base}?min_id={page[0]["id"]}>; rel="prev"'
            )
        return 200, headers, json.dumps(page).encode()

    return handler


def bluesky_search(posts: list[dict], *, page_cap: int = 2) -> Handler:
    """app.bsky.feed.searchPosts with sort=latest: newest first, 'since' (inclusive) on the
    earlier of createdAt and indexedAt, and an opaque paging cursor."""

    def sort_at(post: dict) -> str:
        return min(post["record"]["createdAt"], post["indexedAt"])

    def handler(request: Request):
        q = request.query
        if not q.get("q"):
            return 400, {"Content-Type": "application/json"}, b'{"error":"InvalidRequest"}'
        ordered = sorted(posts, key=sort_at, reverse=True)
        if q.get("since"):
            ordered = [p for p in ordered if sort_at(p) >= q["since"]]
        start = int(q.get("cursor") or 0)
        size = min(int(q.get("limit", 25)), page_cap)
        page = ordered[start : start + size]
        body: dict = {"posts": page, "hitsTotal": len(ordered)}
        if start + size < len(ordered):
            body["cursor"] = str(start + size)
        return 200, {"Content-Type": "application/json; charset=utf-8"}, json.dumps(body).encode()

    return handler


# --------------------------------------------------------------------------- IMAP


@dataclass
class FakeMailbox:
    host: str = "127.0.0.1"
    port: int = 0
    username: str = "listening@riverside-voice.example.org"
    password: str = "correct horse"
    uidvalidity: int = 1700000001
    folders: dict[str, list[tuple[int, bytes]]] = field(default_factory=lambda: {"INBOX": []})
    fail_fetch: bool = False
    commands: list[str] = field(default_factory=list)
    flags_set: list[str] = field(default_factory=list)

    def add(self, raw: bytes, folder: str = "INBOX", uid: int | None = None) -> int:
        messages = self.folders.setdefault(folder, [])
        uid = uid or (max((u for u, _ in messages), default=0) + 1)
        raw = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        messages.append((uid, raw))
        return uid

    def config(self, **overrides) -> dict:
        return {
            "host": self.host,
            "port": self.port,
            "ssl": False,
            "username": self.username,
            "password": self.password,
            "folder": "INBOX",
        } | overrides


_ARG = re.compile(rb'"((?:[^"\\]|\\.)*)"|(\S+)')


def _args(data: bytes) -> list[str]:
    out = []
    for quoted, bare in _ARG.findall(data):
        if bare:
            out.append(bare.decode())
        else:
            out.append(re.sub(rb"\\(.)", rb"\1", quoted).decode())
    return out


def _uid_set(spec: str, uids: list[int]) -> list[int]:
    """A UID set such as 1,3:5 or 7:* over the UIDs present (RFC 3501 semantics)."""
    top = max(uids, default=0)
    chosen: set[int] = set()
    for part in spec.split(","):
        if ":" in part:
            a, b = part.split(":")
            lo = top if a == "*" else int(a)
            hi = top if b == "*" else int(b)
            lo, hi = min(lo, hi), max(lo, hi)
            chosen.update(u for u in uids if lo <= u <= hi)
        else:
            u = top if part == "*" else int(part)
            if u in uids:
                chosen.add(u)
    return sorted(chosen)


@pytest.fixture
def imap_server():
    box = FakeMailbox()

    class _Handler(socketserver.StreamRequestHandler):
        def send(self, line: str | bytes) -> None:
            self.wfile.write((line.encode() if isinstance(line, str) else line) + b"\r\n")

        def handle(self):
            selected: str | None = None
            self.send("* OK [CAPABILITY IMAP4rev1] Fake IMAP ready")
            while True:
                line = self.rfile.readline()
                if not line:
                    return
                line = line.rstrip(b"\r\n")
                box.commands.append(line.decode(errors="replace"))
                tag, _, rest = line.partition(b" ")
                tag = tag.decode()
                command, _, tail = rest.partition(b" ")
                command = command.upper()
                if command == b"UID":
                    sub, _, tail = tail.partition(b" ")
                    command = b"UID " + sub.upper()
                if command == b"CAPABILITY":
                    self.send("* CAPABILITY IMAP4rev1 UIDPLUS")
                    self.send(f"{tag} OK CAPABILITY completed")
                elif command == b"NOOP":
                    self.send(f"{tag} OK NOOP completed")
                elif command == b"LOGIN":
                    user, password = _args(tail)[:2]
                    if (user, password) == (box.username, box.password):
                        self.send(f"{tag} OK LOGIN completed")
                    else:
                        self.send(f"{tag} NO [AUTHENTICATIONFAILED] Invalid credentials")
                elif command in (b"SELECT", b"EXAMINE"):
                    name = _args(tail)[0]
                    if name not in box.folders:
                        self.send(f"{tag} NO Mailbox does not exist")
                        continue
                    selected = name
                    messages = box.folders[name]
                    next_uid = max((u for u, _ in messages), default=0) + 1
                    self.send(r"* FLAGS (\Answered \Flagged \Deleted \Seen \Draft)")
                    self.send(f"* {len(messages)} EXISTS")
                    self.send("* 0 RECENT")
                    self.send(f"* OK [UIDVALIDITY {box.uidvalidity}] UIDs valid")
                    self.send(f"* OK [UIDNEXT {next_uid}] Predicted next UID")
                    mode = "READ-ONLY" if command == b"EXAMINE" else "READ-WRITE"
                    self.send(f"{tag} OK [{mode}] {command.decode()} completed")
                elif command == b"UID SEARCH" and selected:
                    words = _args(tail)
                    if words[:1] == ["CHARSET"]:
                        words = words[2:]
                    uids = sorted(u for u, _ in box.folders[selected])
                    if words[:1] == ["UID"]:
                        uids = _uid_set(words[1], uids)
                    self.send("* SEARCH" + "".join(f" {u}" for u in uids))
                    self.send(f"{tag} OK SEARCH completed")
                elif command == b"UID FETCH" and selected:
                    if box.fail_fetch:
                        self.send(f"{tag} NO [UNAVAILABLE] Server busy, try later")
                        continue
                    spec, _, items = tail.partition(b" ")
                    if b"BODY[" in items.upper():  # not .PEEK: the message would be marked read
                        box.flags_set.append("\\Seen")
                    messages = box.folders[selected]
                    uids = [u for u, _ in messages]
                    for uid in _uid_set(spec.decode(), uids):
                        seq = uids.index(uid) + 1
                        raw = dict(messages)[uid]
                        self.wfile.write(
                            f"* {seq} FETCH (UID {uid} FLAGS () RFC822.SIZE {len(raw)} "
                            f"BODY[] {{{len(raw)}}}\r\n".encode()
                            + raw
                            + b")\r\n"
                        )
                    self.send(f"{tag} OK FETCH completed")
                elif command == b"LOGOUT":
                    self.send("* BYE Logging out")
                    self.send(f"{tag} OK LOGOUT completed")
                    return
                else:
                    self.send(f"{tag} BAD Unknown command")

    class _Server(socketserver.ThreadingTCPServer):
        allow_reuse_address = True
        daemon_threads = True

    server = _Server(("127.0.0.1", 0), _Handler)
    box.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield box
    server.shutdown()
    server.server_close()


@pytest.fixture
def mail_fixtures() -> list[bytes]:
    return [p.read_bytes() for p in sorted((FIXTURES / "mail").glob("*.eml"))]
