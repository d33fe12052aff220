"""RSS 2.0 and Atom feeds, parsed with feedparser from bytes we fetched ourselves."""

from __future__ import annotations

from .base import (
    ConnectorError,
    FetchResult,
    IncomingItem,
    TimeCursor,
    check_http_url,
    http_get,
    make_item,
    stable_hash,
    struct_to_datetime,
)
from .text import html_to_text, looks_like_html, normalise_whitespace


def check_config(config: dict) -> list[str]:
    return check_http_url(config.get("url", ""), "feed address")


def fetch(config: dict, cursor: str, *, timeout: float, limit: int) -> FetchResult:
    import feedparser

    state = TimeCursor.load(cursor)
    response = http_get(
        config["url"],
        timeout=timeout,
        headers={"If-None-Match": state.etag, "If-Modified-Since": state.modified},
    )
    if response.status == 304:
        return FetchResult([], cursor)

    parsed = feedparser.parse(
        response.body,
        response_headers={
            "content-type": response.headers.get("content-type", ""),
            "content-location": config["url"],
        },
        sanitize_html=False,
        resolve_relative_uris=True,
    )
    if parsed.get("bozo") and not parsed.entries and not parsed.feed.get("title"):
        raise ConnectorError(
            "This address does not give us a feed we can read. Check it is an RSS or Atom feed.",
            retryable=False,
        )
    if not parsed.get("version") and not parsed.entries:
        raise ConnectorError(
            "This address gives us a web page, not a feed. Look for the RSS or Atom link.",
            retryable=False,
        )

    feed_title = normalise_whitespace(parsed.feed.get("title", ""))
    items = [_item(entry, feed_title) for entry in parsed.entries]
    taken = state.take_new([i for i in items if i is not None], limit)
    state.etag = response.headers.get("etag", "")
    state.modified = response.headers.get("last-modified", "")
    return FetchResult(taken, state.dump())


def _item(entry, feed_title: str) -> IncomingItem | None:
    title = _plain(entry.get("title", ""))
    body = ""
    for content in entry.get("content") or []:
        if content.get("value"):
            body = _plain(content["value"])
            break
    if not body:
        body = _plain(entry.get("summary", ""))
    if title and body and not body.startswith(title):
        text = f"{title}\n\n{body}"
    else:
        text = body or title
    if not text:
        return None
    said_at = struct_to_datetime(entry.get("published_parsed") or entry.get("updated_parsed"))
    link = entry.get("link", "")
    original_id = entry.get("id") or link or stable_hash(title, body, said_at)
    source = entry.get("source") or {}
    group = source.get("title") or feed_title
    place = entry.get("georss_featurename", "") or ""
    return make_item(original_id, text, said_at, url=link, place=place, group=group)


def _plain(value: str) -> str:
    return html_to_text(value) if looks_like_html(value) else normalise_whitespace(value)
