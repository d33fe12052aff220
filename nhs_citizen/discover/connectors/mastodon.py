"""Public posts with a hashtag on a Mastodon server, through Mastodon.py."""

from __future__ import annotations

import re
import urllib.parse

from .base import ConnectorError, FetchResult, IncomingItem, check_http_url, make_item
from .text import html_to_text

PAGE_SIZE = 40  # the most Mastodon gives in one page
_HASHTAG = re.compile(r"^\w+$")


def check_config(config: dict) -> list[str]:
    problems = check_http_url(config.get("instance", ""), "Mastodon server address")
    tag = config.get("hashtag")
    if not tag or not isinstance(tag, str) or not tag.strip():
        problems.append("Enter the hashtag to follow.")
    elif tag.strip().startswith("#"):
        problems.append("Write the hashtag without the # sign.")
    elif not _HASHTAG.match(tag.strip()):
        problems.append("A hashtag can only have letters, numbers and underscores.")
    token = config.get("access_token")
    if token is not None and not isinstance(token, str):
        problems.append("The access token must be text.")
    return problems


def fetch(config: dict, cursor: str, *, timeout: float, limit: int) -> FetchResult:
    from mastodon import Mastodon

    instance = config["instance"].strip().rstrip("/")
    host = urllib.parse.urlsplit(instance).hostname or ""
    tag = config["hashtag"].strip()
    last_id = int(cursor) if cursor.strip().isdigit() else 0
    try:
        api = Mastodon(
            api_base_url=instance,
            access_token=(config.get("access_token") or "").strip() or None,
            version_check_mode="none",
            request_timeout=timeout,
            ratelimit_method="throw",  # never sleep inside a job; the caller backs off
        )
        statuses = _collect(api, tag, last_id, limit)
    except ConnectorError:
        raise
    except Exception as error:
        raise _error(error) from None

    items: list[IncomingItem] = []
    newest = last_id
    for status in statuses:
        status_id = int(str(status["id"]))
        newest = max(newest, status_id)
        if status.get("reblog"):
            continue  # a boost repeats someone else's post; the original has its own entry
        item = _item(status, host)
        if item is not None:
            items.append(item)
    return FetchResult(items, str(newest) if newest else cursor)


def _collect(api, tag: str, last_id: int, limit: int) -> list:
    """Statuses newer than ``last_id``, oldest first, at most ``limit``.

    With a cursor we walk forward from it (``min_id`` and the "prev" links), so when more than
    ``limit`` posts arrived, the next run carries on where this one stopped: no gaps. Without a
    cursor we take the newest ``limit`` posts, walking back with ``fetch_next``."""
    found: dict[int, object] = {}
    if last_id:
        page = api.timeline_hashtag(tag, min_id=last_id, limit=min(PAGE_SIZE, limit))
        while page and len(found) < limit:
            fresh = [s for s in page if int(str(s["id"])) > last_id]
            for status in sorted(fresh, key=lambda s: int(str(s["id"]))):
                if len(found) >= limit:
                    break
                found[int(str(status["id"]))] = status
            if not fresh or getattr(page, "_pagination_prev", None) is None:
                break
            page = api.fetch_previous(page)
    else:
        page = api.timeline_hashtag(tag, limit=min(PAGE_SIZE, limit))
        while page and len(found) < limit:
            for status in page:
                if len(found) >= limit:
                    break
                found[int(str(status["id"]))] = status
            if getattr(page, "_pagination_next", None) is None:
                break
            page = api.fetch_next(page)
    return [found[k] for k in sorted(found)]


def _item(status, host: str) -> IncomingItem | None:
    text = html_to_text(status.get("content") or "")
    warning = (status.get("spoiler_text") or "").strip()
    if warning:
        text = f"{warning}\n\n{text}" if text else warning
    if not text:
        return None
    account = status.get("account") or {}
    acct = account.get("acct") or ""
    group = acct.split("@", 1)[1] if "@" in acct else host
    return make_item(
        str(status["id"]),
        text,
        status.get("created_at"),
        url=status.get("url") or status.get("uri") or "",
        group=group,
    )


def _error(error: Exception) -> ConnectorError:
    from mastodon.errors import (
        MastodonAPIError,
        MastodonNetworkError,
        MastodonNotFoundError,
        MastodonRatelimitError,
        MastodonServerError,
        MastodonUnauthorizedError,
    )

    if isinstance(error, MastodonRatelimitError):
        return ConnectorError(
            "The Mastodon server asked us to slow down. We will try again later.", retryable=True
        )
    if isinstance(error, MastodonNetworkError):
        return ConnectorError(
            "We could not reach the Mastodon server, or it took too long. We will try again later.",
            retryable=True,
        )
    if isinstance(error, MastodonServerError):
        return ConnectorError(
            "The Mastodon server is having problems. We will try again later.", retryable=True
        )
    if isinstance(error, MastodonNotFoundError):
        return ConnectorError(
            "We could not find that hashtag on the Mastodon server. Check the server address.",
            retryable=False,
        )
    if isinstance(error, MastodonUnauthorizedError):
        return ConnectorError(
            "The Mastodon server did not accept the access token. Check it or remove it.",
            retryable=False,
        )
    if isinstance(error, MastodonAPIError):
        return ConnectorError(
            "The Mastodon server turned down our request. Check the settings.", retryable=False
        )
    return ConnectorError(
        "Something went wrong reading from the Mastodon server. We will try again later.",
        retryable=True,
    )
