"""Whole-page caching for visitors who are not signed in, with ETag and Last-Modified.

Most traffic at national scale is people who are not signed in reading public pages (a flag
shared on social media brings a burst). Every such visitor sees the same page, so the
middleware keeps each rendered page for ``PAGE_CACHE_SECONDS`` (30 s by default, 0 turns caching
off) in the default cache (Redis in production) and serves it without running the view.

A page is only served from the cache, or stored in it, when all of these hold:

- the request is a GET (or a HEAD, served from what a GET stored);
- it has no session cookie, no messages cookie and no read-your-writes cookie (see
  ``nhs_citizen.config.db_router``), and no Authorization header: so it is not signed in, and it
  has not just changed anything;
- the response is a 200, not streamed, sets no cookie (a page with a form sets the CSRF cookie,
  so pages with POST forms are never cached), is not marked ``never_cache``, private or
  ``no_page_cache``, varies on nothing but Cookie, and the visitor is still not signed in.

Why a short lifetime is safe: everyone who changes anything is signed in (or has just posted a
form, which leaves a cookie), so they bypass the cache and see their own change at once. Other
visitors see a page at most ``PAGE_CACHE_SECONDS`` old. ``invalidate_page_cache()`` drops every
cached page at once (one counter bump), for changes that must disappear now, such as hiding
content.

Content security policy nonces: django-csp makes a fresh random nonce for each request, puts it
in the ``Content-Security-Policy`` header (in ``CSPMiddleware.process_response``) and our
layout puts it in ``<script nonce=…>``. A cached page must not replay an old nonce, so the body
is stored with the nonce replaced by a placeholder; when serving, the placeholder is replaced
with this request's ``request.csp_nonce``, which makes django-csp put the same new nonce in the
header. This middleware must therefore sit inside (after) ``csp.middleware.CSPMiddleware`` and
before the session middleware. The ETag is a hash of the placeholder body, so it is the same for
every copy of the page whatever its nonce, and conditional requests get a 304.
"""

from __future__ import annotations

import hashlib
import logging
import time
from functools import wraps
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from nhs_citizen.config.db_router import pin_cookie_name

logger = logging.getLogger(__name__)

# Stands in for the CSP nonce in stored bodies. A page that already contains it is not cached.
NONCE_PLACEHOLDER = b"\x00nhs-citizen-csp-nonce\x00"
GENERATION_KEY = "page-cache:generation"
KEY_PREFIX = "page-cache:v1:"
MAX_QUERY_STRING = 1000
# Headers that are made again for each response, never stored.
UNSTORED_HEADERS = {"content-length", "set-cookie", "content-security-policy", "date"}
HARMLESS_VARY = {"cookie", "accept-encoding"}
UNCACHEABLE_DIRECTIVES = {"private", "no-cache", "no-store"}


def no_page_cache(view):
    """Never keep this view's pages in the page cache (the view still runs every time)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.page_cache_exempt = True
        return response

    return wrapped


def invalidate_page_cache() -> None:
    """Drop every cached page at once: pages stored before this are not served again."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.add(GENERATION_KEY, 1, timeout=None)
    except Exception:  # the cache is down: nothing is being served from it either
        logger.warning("Could not invalidate the page cache", exc_info=True)


def cache_seconds() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 0) or 0)


def bypass_cookie_names() -> set[str]:
    return {settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name, pin_cookie_name()}


def is_anonymous_request(request: HttpRequest) -> bool:
    """No session, no messages waiting, no recent write, no credentials: a visitor who is not
    signed in. Read from the cookies, before the session is loaded."""
    return not (bypass_cookie_names() & request.COOKIES.keys()) and not request.META.get(
        "HTTP_AUTHORIZATION"
    )


def page_key(request: HttpRequest) -> str | None:
    """The cache key: scheme, host, path and the query string in a fixed order."""
    query = request.META.get("QUERY_STRING", "")
    if len(query) > MAX_QUERY_STRING:
        return None
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    pairs = sorted(parse_qsl(query, keep_blank_values=True), key=lambda pair: pair[0])
    address = f"{request.scheme}://{host}{request.path}?{urlencode(pairs)}"
    return KEY_PREFIX + hashlib.sha256(address.encode()).hexdigest()


def _cache_control_forbids(response: HttpResponse) -> bool:
    value = response.get("Cache-Control", "")
    directives = {part.strip().split("=")[0].lower() for part in value.split(",") if part.strip()}
    if directives & UNCACHEABLE_DIRECTIVES:
        return True
    return any(part.strip().lower() in {"max-age=0", "s-maxage=0"} for part in value.split(","))


def _varies_only_on_cookie(response: HttpResponse) -> bool:
    vary = response.get("Vary", "")
    return all(part.strip().lower() in HARMLESS_VARY for part in vary.split(",") if part.strip())


def is_cacheable(request: HttpRequest, response: HttpResponse) -> bool:
    user = getattr(request, "user", None)
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not getattr(response, "page_cache_exempt", False)
        and not _cache_control_forbids(response)
        and _varies_only_on_cookie(response)
        and not (user is not None and user.is_authenticated)
        and len(response.content) <= settings.PAGE_CACHE_MAX_BYTES
    )


def _etag(body: bytes) -> str:
    # Weak: the bytes sent differ by the nonce, the page is the same.
    return f'W/"{hashlib.sha256(body).hexdigest()[:32]}"'


def _decorate(response: HttpResponse, entry: dict, outcome: str) -> None:
    response["ETag"] = entry["etag"]
    response["Last-Modified"] = http_date(entry["created"])
    patch_cache_control(response, public=True, max_age=cache_seconds())
    patch_vary_headers(response, ["Cookie"])
    response["X-Page-Cache"] = outcome


def _mark_private(response: HttpResponse) -> None:
    if "Cache-Control" not in response:
        patch_cache_control(response, private=True, no_cache=True)


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_anonymous_request(request):
            # Signed in (or just wrote something): never cached here, nor by browsers' shared
            # caches or proxies.
            response = self.get_response(request)
            _mark_private(response)
            return response
        if cache_seconds() <= 0:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        key = page_key(request)
        if key is None:
            return self.get_response(request)

        entry = self._lookup(key)
        if entry is not None and (not entry["has_nonce"] or hasattr(request, "csp_nonce")):
            return self._serve(request, entry)

        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            _mark_private(response)
            return response
        if not is_cacheable(request, response):
            return response
        entry = self._store(key, request, response)
        if entry is None:
            return response
        _decorate(response, entry, "miss")
        return get_conditional_response(
            request, etag=entry["etag"], last_modified=entry["created"], response=response
        )

    def _lookup(self, key: str) -> dict | None:
        try:
            found = cache.get_many([key, GENERATION_KEY])
        except Exception:
            logger.warning("The page cache could not be read", exc_info=True)
            return None
        entry = found.get(key)
        if entry is None or entry.get("generation") != found.get(GENERATION_KEY, 0):
            return None
        return entry

    def _store(self, key: str, request: HttpRequest, response: HttpResponse) -> dict | None:
        body = response.content
        if NONCE_PLACEHOLDER in body:
            return None
        nonce = getattr(request, "_csp_nonce", None)
        has_nonce = isinstance(nonce, str) and bool(nonce)
        if has_nonce:
            body = body.replace(nonce.encode(), NONCE_PLACEHOLDER)
        try:
            generation = cache.get(GENERATION_KEY, 0)
            entry = {
                "body": body,
                "has_nonce": has_nonce,
                "headers": [
                    (name, value)
                    for name, value in response.items()
                    if name.lower() not in UNSTORED_HEADERS
                ],
                "etag": _etag(body),
                "created": int(time.time()),
                "generation": generation,
            }
            cache.set(key, entry, timeout=cache_seconds())
        except Exception:
            logger.warning("The page cache could not be written", exc_info=True)
            return None
        return entry

    def _serve(self, request: HttpRequest, entry: dict) -> HttpResponse:
        body = entry["body"]
        if entry["has_nonce"]:
            # Reading request.csp_nonce makes django-csp put this same nonce in the header.
            body = body.replace(NONCE_PLACEHOLDER, str(request.csp_nonce).encode())
        response = HttpResponse(body)
        for name, value in entry["headers"]:
            response[name] = value
        response["Content-Length"] = str(len(body))
        _decorate(response, entry, "hit")
        return get_conditional_response(
            request, etag=entry["etag"], last_modified=entry["created"], response=response
        )


class ServerTimingMiddleware:
    """Adds ``Server-Timing: app;dur=…, audit-lock;dur=…`` to every response: how long the
    request took inside Django and how much of that it waited for the audit log's lock (see
    ``core.services.audit``). Load tests read it to report where a write's time goes; browsers
    show it in their developer tools. It reveals nothing about anyone's data."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from nhs_citizen.core.services.audit import take_audit_lock_wait

        take_audit_lock_wait()  # start this request from zero
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed_ms = (time.perf_counter() - started) * 1000
        waited_ms = take_audit_lock_wait() * 1000
        response["Server-Timing"] = f"app;dur={elapsed_ms:.1f}, audit-lock;dur={waited_ms:.1f}"
        return response
