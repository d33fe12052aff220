"""Shared types and helpers for Discover connectors. No Django imports."""

from __future__ import annotations

import calendar
import hashlib
import json
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

from .text import MAX_TEXT, clip, normalise_whitespace

MAX_DOWNLOAD_BYTES = 5 * 1024 * 1024
MAX_QUESTION = 300  # characters in the question an item answers
USER_AGENT = "NHS-Citizen-Discover/0.1 (+https://github.com/nhs-citizen)"


@dataclass(frozen=True)
class IncomingItem:
    original_id: str  # stable within the source: feed guid/link, status id, at:// uri, Message-ID
    text: str  # plain text, HTML stripped, at most 5,000 characters
    said_at: datetime | None  # timezone-aware (UTC)
    url: str = ""  # public link to the original, if any ("" for e-mail and uploads)
    place: str = ""  # place as given by the source (postcode, town, region), if any
    group: str = ""  # organisation / group / community it came from, if the source says
    question: str = ""  # the question it answers, if the source says (one line, <= 300 chars)


@dataclass(frozen=True)
class FetchResult:
    items: list[IncomingItem]
    cursor: str  # opaque; pass it back next time to get only newer items ("" = from the start)


class ConnectorError(Exception):
    """A fetch failed. ``message`` is plain English for a curator; ``retryable`` says whether
    trying again later may work (server busy, time-out) or a person must fix something."""

    def __init__(self, message: str, *, retryable: bool):
        super().__init__(message)
        self.message = message
        self.retryable = retryable

    def __repr__(self) -> str:
        return f"ConnectorError({self.message!r}, retryable={self.retryable})"


# --------------------------------------------------------------------------- items


def make_item(
    original_id: str,
    text: str,
    said_at: datetime | None,
    *,
    url: str = "",
    place: str = "",
    group: str = "",
    question: str = "",
) -> IncomingItem:
    """An item with tidy, clipped text and a UTC time. The question is one line of at most
    MAX_QUESTION characters (check the length first if a longer one is a mistake to report)."""
    return IncomingItem(
        original_id=str(original_id).strip()[:1000],
        text=clip(normalise_whitespace(text), MAX_TEXT),
        said_at=to_utc(said_at),
        url=(url or "").strip(),
        place=normalise_whitespace(place or "")[:200],
        group=normalise_whitespace(group or "")[:200],
        question=one_line(question)[:MAX_QUESTION],
    )


def one_line(text: str | None) -> str:
    """Text on one line, with runs of spaces and line breaks made single spaces."""
    return " ".join((text or "").split())


def stable_hash(*parts: object) -> str:
    """A short, stable id made from the given values."""
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:32]


# --------------------------------------------------------------------------- dates


def to_utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def struct_to_datetime(value) -> datetime | None:
    """feedparser's UTC ``time.struct_time`` to an aware datetime."""
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (OverflowError, ValueError, TypeError):
        return None


_ISO_Z = re.compile(r"[zZ]$")


def parse_datetime(value) -> datetime | None:
    """A UTC datetime from an ISO 8601 string, an RFC 822 date, epoch seconds or milliseconds,
    or a datetime. Naive values are taken as UTC. None when it cannot be read."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return to_utc(value)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        seconds = float(value)
        if seconds > 1e11:  # milliseconds
            seconds /= 1000
        try:
            return datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if re.fullmatch(r"\d{9,13}(\.\d+)?", text):
        return parse_datetime(float(text))
    try:
        return to_utc(datetime.fromisoformat(_ISO_Z.sub("+00:00", text)))
    except ValueError:
        pass
    try:
        return to_utc(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        return None


def iso(value: datetime) -> str:
    """UTC ISO 8601 with a Z, to the microsecond when there is one."""
    value = to_utc(value)
    return value.isoformat().replace("+00:00", "Z")


# --------------------------------------------------------------------------- cursors


@dataclass
class TimeCursor:
    """Newest time seen, the ids seen at exactly that time (so ties are not repeated or lost),
    and short hashes of undated items already handed over. Also HTTP validators."""

    newest: datetime | None = None
    ids_at_newest: set[str] = field(default_factory=set)
    undated: list[str] = field(default_factory=list)
    etag: str = ""
    modified: str = ""

    MAX_UNDATED = 2000

    @classmethod
    def load(cls, cursor: str) -> TimeCursor:
        """Read a cursor; anything unreadable means 'from the start'."""
        if not cursor:
            return cls()
        try:
            data = json.loads(cursor)
            if not isinstance(data, dict):
                raise ValueError
        except ValueError:
            newest = parse_datetime(cursor)  # a bare time is accepted too
            return cls(newest=newest)
        return cls(
            newest=parse_datetime(data.get("t")),
            ids_at_newest={str(i) for i in data.get("ids", [])},
            undated=[str(i) for i in data.get("u", [])],
            etag=str(data.get("etag", "")),
            modified=str(data.get("mod", "")),
        )

    def dump(self) -> str:
        data: dict = {}
        if self.newest is not None:
            data["t"] = iso(self.newest)
            data["ids"] = sorted(self.ids_at_newest)
        if self.undated:
            data["u"] = self.undated[-self.MAX_UNDATED :]
        if self.etag:
            data["etag"] = self.etag
        if self.modified:
            data["mod"] = self.modified
        return json.dumps(data, separators=(",", ":"), sort_keys=True) if data else ""

    def is_new(self, original_id: str, said_at: datetime | None) -> bool:
        if said_at is None:
            return stable_hash(original_id)[:16] not in set(self.undated)
        if self.newest is None:
            return True
        if said_at > self.newest:
            return True
        return said_at == self.newest and original_id not in self.ids_at_newest

    def take_new(self, items: Iterable[IncomingItem], limit: int) -> list[IncomingItem]:
        """The items not handed over before, oldest first, at most ``limit``; updates the cursor
        so the next call continues after the last item taken (no gaps, no repeats)."""
        seen: set[str] = set()
        dated: list[IncomingItem] = []
        undated: list[IncomingItem] = []
        for item in items:
            if item.original_id in seen or not item.original_id:
                continue
            seen.add(item.original_id)
            if not self.is_new(item.original_id, item.said_at):
                continue
            (dated if item.said_at is not None else undated).append(item)
        dated.sort(key=lambda i: (i.said_at, i.original_id))
        taken = (dated + undated)[: max(0, limit)]
        for item in taken:
            if item.said_at is None:
                self.undated.append(stable_hash(item.original_id)[:16])
            elif self.newest is None or item.said_at > self.newest:
                self.newest = item.said_at
                self.ids_at_newest = {item.original_id}
            elif item.said_at == self.newest:
                self.ids_at_newest.add(item.original_id)
        return taken


# --------------------------------------------------------------------------- HTTP


def check_http_url(url: str, what: str = "web address") -> list[str]:
    """Plain-English problems with a URL we are about to fetch."""
    if not url or not isinstance(url, str) or not url.strip():
        return [f"Enter the {what}."]
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("http", "https"):
        return [f"The {what} must start with https:// (or http://)."]
    if not parts.hostname:
        return [f"The {what} is missing the name of the website."]
    return []


@dataclass(frozen=True)
class HttpResponse:
    status: int
    headers: dict[str, str]
    body: bytes


class _SafeRedirects(urllib.request.HTTPRedirectHandler):
    max_redirections = 5

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urllib.parse.urlsplit(newurl).scheme not in ("http", "https"):
            raise ConnectorError(
                "The feed sent us to an address that is not a web page.", retryable=False
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_opener = urllib.request.build_opener(_SafeRedirects)


def http_get(
    url: str,
    *,
    timeout: float,
    headers: dict[str, str] | None = None,
    max_bytes: int | None = None,
    what: str = "feed",
) -> HttpResponse:
    """GET a http(s) URL with a time limit and a size cap. A 304 comes back as a response;
    other failures become ConnectorError with a plain-English message."""
    max_bytes = max_bytes or MAX_DOWNLOAD_BYTES
    problems = check_http_url(url, f"{what} address")
    if problems:
        raise ConnectorError(problems[0], retryable=False)
    request = urllib.request.Request(url.strip(), headers={"User-Agent": USER_AGENT})
    for name, value in (headers or {}).items():
        if value:
            request.add_header(name, value)
    try:
        with _opener.open(request, timeout=timeout) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise _too_big(what, max_bytes)
            body = response.read(max_bytes + 1)
            if len(body) > max_bytes:
                raise _too_big(what, max_bytes)
            return HttpResponse(response.status, _lower(response.headers), body)
    except urllib.error.HTTPError as error:
        if error.code == 304:
            return HttpResponse(304, _lower(error.headers), b"")
        raise http_status_error(error.code, what) from None
    except ConnectorError:
        raise
    except TimeoutError:
        raise ConnectorError(
            f"The {what} took too long to answer. We will try again later.", retryable=True
        ) from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError | socket.timeout):
            raise ConnectorError(
                f"The {what} took too long to answer. We will try again later.", retryable=True
            ) from None
        raise ConnectorError(
            f"We could not reach the {what}. We will try again later.", retryable=True
        ) from None
    except (ConnectionError, OSError):
        raise ConnectorError(
            f"We could not reach the {what}. We will try again later.", retryable=True
        ) from None


def http_status_error(status: int, what: str) -> ConnectorError:
    """ConnectorError for an HTTP status code: 5xx, 408 and 429 may pass; others need a person."""
    if status >= 500 or status in (408, 425, 429):
        return ConnectorError(
            f"The {what} is having problems (error {status}). We will try again later.",
            retryable=True,
        )
    if status == 404 or status == 410:
        return ConnectorError(
            f"There is nothing at the {what} address (error {status}). Check the address.",
            retryable=False,
        )
    if status in (401, 403):
        return ConnectorError(
            f"The {what} did not let us in (error {status}). It may need a password or be private.",
            retryable=False,
        )
    return ConnectorError(
        f"The {what} turned down our request (error {status}). Check the settings.",
        retryable=False,
    )


def _too_big(what: str, max_bytes: int) -> ConnectorError:
    return ConnectorError(
        f"The {what} is too big (more than {max_bytes // (1024 * 1024)} MB).", retryable=False
    )


def _lower(headers) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()} if headers else {}


def require_str(config: dict, key: str, label: str, problems: list[str]) -> str:
    value = config.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        problems.append(f"Enter the {label}.")
        return ""
    if not isinstance(value, str):
        problems.append(f"The {label} must be text.")
        return ""
    return value.strip()
