"""Bluesky posts matching a search, through the atproto SDK (app.bsky.feed.searchPosts)."""

from __future__ import annotations

from datetime import datetime

from .base import (
    ConnectorError,
    FetchResult,
    IncomingItem,
    TimeCursor,
    check_http_url,
    iso,
    make_item,
    parse_datetime,
)

DEFAULT_SERVICE = "https://public.api.bsky.app"
LOGIN_SERVICE = "https://bsky.social"  # where accounts sign in when no service is given
PAGE_SIZE = 100  # the most searchPosts gives in one page
MAX_PAGES = 50


def check_config(config: dict) -> list[str]:
    problems: list[str] = []
    query = config.get("query")
    if not query or not isinstance(query, str) or not query.strip():
        problems.append("Enter the words to search for.")
    elif len(query) > 300:
        problems.append("The search words are too long. Use fewer than 300 characters.")
    if config.get("service"):
        problems += check_http_url(config["service"], "Bluesky service address")
    handle = (config.get("handle") or "").strip()
    password = (config.get("app_password") or "").strip()
    if handle and not password:
        problems.append("Enter the app password for the Bluesky account, or remove the handle.")
    if password and not handle:
        problems.append("Enter the Bluesky handle that goes with the app password.")
    return problems


def fetch(config: dict, cursor: str, *, timeout: float, limit: int) -> FetchResult:
    from atproto import Client, models
    from atproto_client.request import Request

    handle = (config.get("handle") or "").strip()
    password = (config.get("app_password") or "").strip()
    service = (config.get("service") or "").strip() or (
        LOGIN_SERVICE if handle else DEFAULT_SERVICE
    )
    signed_in = bool(handle and password)
    state = TimeCursor.load(cursor)
    client = Client(base_url=service, request=Request(timeout=timeout))
    collected: list[IncomingItem] = []
    try:
        if handle and password:
            client.login(handle, password, fetch_bsky_profile=False)
        page_cursor = None
        for _ in range(MAX_PAGES):
            params = models.AppBskyFeedSearchPosts.Params(
                q=config["query"].strip(),
                sort="latest",
                since=iso(state.newest) if state.newest else None,
                cursor=page_cursor,
                limit=PAGE_SIZE,
            )
            response = client.app.bsky.feed.search_posts(params)
            reached_old = False
            for post in response.posts:
                item = _item(post)
                if item is None:
                    continue
                if not state.is_new(item.original_id, item.said_at):
                    reached_old = True
                    continue
                collected.append(item)
            page_cursor = response.cursor
            # Newest first: keep paging back only while we need more and there is more.
            if reached_old or not page_cursor or not response.posts or len(collected) >= limit:
                break
    except ConnectorError:
        raise
    except Exception as error:
        raise _error(error, signed_in=signed_in) from None
    finally:
        try:
            client.request.close()
        except Exception:  # pragma: no cover
            pass
    # Keep the newest ``limit`` (searchPosts walks backwards in time), oldest first.
    collected.sort(key=lambda i: (i.said_at, i.original_id))
    collected = collected[-limit:] if limit > 0 else []
    taken = state.take_new(collected, limit)
    return FetchResult(taken, state.dump())


def _item(post) -> IncomingItem | None:
    record = post.record
    text = getattr(record, "text", None)
    if text is None and isinstance(record, dict):
        text = record.get("text")
    if not text or not text.strip():
        return None
    created = getattr(record, "created_at", None)
    if created is None and isinstance(record, dict):
        created = record.get("createdAt")
    said_at = _sort_time(parse_datetime(created), parse_datetime(post.indexed_at))
    did = post.author.did
    rkey = post.uri.rstrip("/").rsplit("/", 1)[-1]
    return make_item(
        post.uri,
        text,
        said_at,
        url=f"https://bsky.app/profile/{did}/post/{rkey}",
    )


def _sort_time(created: datetime | None, indexed: datetime | None) -> datetime | None:
    """Bluesky sorts and filters ('since') by the earlier of the two times, so a post with a
    made-up future date cannot jump the queue. We do the same."""
    if created and indexed:
        return min(created, indexed)
    return created or indexed


def _error(error: Exception, *, signed_in: bool) -> ConnectorError:
    from atproto_client import exceptions as ex

    status = getattr(getattr(error, "response", None), "status_code", None)
    if isinstance(error, ex.RateLimitExceededError):
        return ConnectorError(
            "Bluesky asked us to slow down. We will try again later.", retryable=True
        )
    if isinstance(error, ex.NetworkError):  # includes time-outs, 502, 409, 413
        return ConnectorError(
            "We could not reach Bluesky, or it took too long. We will try again later.",
            retryable=True,
        )
    if isinstance(error, ex.UnauthorizedError) and not signed_in:
        # Bluesky stopped answering searches from people who are not signed in (2025).
        return ConnectorError(
            "Bluesky only lets signed-in accounts search posts. "
            "Add a Bluesky handle and an app password.",
            retryable=False,
        )
    if isinstance(error, ex.UnauthorizedError):
        return ConnectorError(
            "Bluesky did not accept the handle and app password. Check them.",
            retryable=False,
        )
    if isinstance(error, ex.BadRequestError):
        return ConnectorError(
            "Bluesky could not use these search words. Try simpler words.", retryable=False
        )
    if isinstance(error, ex.RequestErrorBase):
        if status is not None and status >= 500:
            return ConnectorError(
                f"Bluesky is having problems (error {status}). We will try again later.",
                retryable=True,
            )
        return ConnectorError(
            f"Bluesky turned down our request (error {status}). Check the settings.",
            retryable=False,
        )
    return ConnectorError(
        "Something went wrong reading from Bluesky. We will try again later.", retryable=True
    )
