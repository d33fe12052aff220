"""What every response of the open API has in common (ADR 0030), applied around each of its
views: the licence, CORS for reading from any web page, ETag and Last-Modified with 304
answers, and a per-client rate limit. Request parameters shared by every list are read here too,
with a plain-English message for each one that is wrong."""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import json
import math
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.dateparse import parse_date, parse_datetime

from nhs_citizen.core.streaming import OPEN_DATA_LICENCE

LICENCE = dict(OPEN_DATA_LICENCE)
LICENCE_LINK = f'<{LICENCE["url"]}>; rel="license"'

# Requests per client per window; settings can change both (the tests raise them).
DEFAULT_RATE_LIMIT = 600
DEFAULT_RATE_WINDOW = 60
CACHE_SECONDS = 60

EXPOSED_HEADERS = "ETag, Last-Modified, Link, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining"


class BadParameter(ValueError):
    """A request parameter we cannot use: answered with 400 and ``message``."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def error_body(errors: list[tuple[str, str]]) -> dict:
    return {
        "detail": " ".join(message for _, message in errors),
        "errors": [{"field": field, "message": message} for field, message in errors],
    }


# Parameters ------------------------------------------------------------------------------------


def parse_changed_since(value: str | None) -> dt.datetime | None:
    """An ISO 8601 date or date and time. Without a time zone it is UK time."""
    if value is None or value == "":
        return None
    message = (
        "changed_since must be a date, or a date and time, written like 2026-05-01 or "
        "2026-05-01T09:30:00Z"
    )
    text = value.strip()
    try:
        moment = parse_datetime(text)
        if moment is None:
            day = parse_date(text)
            if day is None:
                raise BadParameter("changed_since", message)
            moment = dt.datetime.combine(day, dt.time())
    except (ValueError, OverflowError):
        raise BadParameter("changed_since", message) from None
    if timezone.is_naive(moment):
        try:
            moment = timezone.make_aware(moment)
        except (ValueError, OverflowError):
            raise BadParameter("changed_since", message) from None
    return moment


# Rate limit ------------------------------------------------------------------------------------


def _address(text: str | None) -> str | None:
    """An IPv4 or IPv6 address written in a header, tidied, or None if it is not one."""
    text = (text or "").strip()
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # 203.0.113.9:443
        text = text.split(":")[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def client_of(request: HttpRequest) -> str:
    """Who is asking: the socket's address, or behind ``API_TRUSTED_PROXY_COUNT`` proxies of
    our own, the address the outermost of them saw (that many entries from the right of
    X-Forwarded-For; entries further left are whatever the client chose to write). A header
    shorter than the proxies we have, or an entry that is not an address, falls back to the
    socket's address rather than trusting it."""
    remote = request.META.get("REMOTE_ADDR") or "unknown"
    proxies = int(getattr(settings, "API_TRUSTED_PROXY_COUNT", 0) or 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote
    hops = [hop for hop in forwarded.split(",")]
    if len(hops) < proxies:
        return remote
    return _address(hops[-proxies]) or remote


def rate_limit(request: HttpRequest) -> tuple[bool, int, int, int]:
    """(allowed, limit, remaining, seconds until the window ends). A fixed window counted in
    the default cache: Redis in production (one atomic INCR per request, shared by every
    worker), a local memory cache otherwise."""
    limit = int(getattr(settings, "API_RATE_LIMIT", DEFAULT_RATE_LIMIT))
    window = int(getattr(settings, "API_RATE_WINDOW", DEFAULT_RATE_WINDOW))
    now = time.time()
    slot = int(now // window)
    client = hashlib.sha256(client_of(request).encode()).hexdigest()[:32]
    key = f"api-rate:{window}:{slot}:{client}"
    retry_after = max(1, math.ceil((slot + 1) * window - now))
    try:
        cache.add(key, 0, timeout=window + 1)
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    except Exception:  # the cache is down: serve rather than refuse everyone
        return True, limit, limit, retry_after
    return count <= limit, limit, max(0, limit - count), retry_after


# Around every view -----------------------------------------------------------------------------


def mark_last_modified(request: HttpRequest, *moments: dt.datetime | None) -> None:
    """Tell the wrapper when what this response shows last changed (the newest of these)."""
    found = [moment for moment in moments if moment is not None]
    if found:
        current = getattr(request, "api_last_modified", None)
        newest = max(found)
        request.api_last_modified = newest if current is None else max(current, newest)


def _add_common_headers(response: HttpResponse) -> HttpResponse:
    response["Link"] = LICENCE_LINK
    response["X-Licence"] = LICENCE["name"]
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    response["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
    response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    response["Access-Control-Max-Age"] = "86400"
    response["X-Content-Type-Options"] = "nosniff"
    # The API does its own conditional answers; the page cache would replace its ETag and
    # Last-Modified with its own and count no requests against the limit.
    response.page_cache_exempt = True
    return response


def _too_many(limit: int, retry_after: int) -> HttpResponse:
    minutes = "a minute" if retry_after > 30 else f"{retry_after} seconds"
    body = error_body(
        [
            (
                "",
                f"You have made more than {limit} requests in a short time. "
                f"Wait {minutes} and try again.",
            )
        ]
    )
    response = HttpResponse(json.dumps(body), status=429, content_type="application/json")
    response["Retry-After"] = str(retry_after)
    return response


def _conditional(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if request.method not in ("GET", "HEAD") or response.status_code != 200 or response.streaming:
        return response
    etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
    response["ETag"] = etag
    last_modified = getattr(request, "api_last_modified", None)
    timestamp = None
    if last_modified is not None:
        timestamp = int(last_modified.timestamp())
        response["Last-Modified"] = _http_date(timestamp)
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return get_conditional_response(request, etag=etag, last_modified=timestamp, response=response)


def _http_date(timestamp: int) -> str:
    from django.utils.http import http_date

    return http_date(timestamp)


def api_view(view):
    """Wrap one of the API's views with the conventions above."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if request.method == "OPTIONS":
            # A CORS preflight (a page sending If-None-Match): nothing to read, nothing counted.
            response = HttpResponse(status=204)
            return _add_common_headers(response)
        allowed, limit, remaining, retry_after = rate_limit(request)
        if not allowed:
            response = _too_many(limit, retry_after)
        else:
            response = _conditional(request, view(request, *args, **kwargs))
        response["X-RateLimit-Limit"] = str(limit)
        response["X-RateLimit-Remaining"] = str(remaining)
        return _add_common_headers(response)

    wrapped.csrf_exempt = True
    return wrapped
