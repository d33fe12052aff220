"""JSON Feed 1.1 documents, and other JSON lists of items with a mapping of where each
field lives (dotted paths such as ``data.results`` and ``attributes.body``)."""

from __future__ import annotations

import json

from .base import (
    ConnectorError,
    FetchResult,
    IncomingItem,
    TimeCursor,
    check_http_url,
    http_get,
    make_item,
    parse_datetime,
    stable_hash,
)
from .text import to_plain

FIELD_NAMES = ("id", "text", "date", "url", "place", "group")
_DEFAULT_PATHS = {
    "id": ["id"],
    "text": ["content_text", "content_html", "summary"],
    "date": ["date_published", "date_modified"],
    "url": ["url", "external_url"],
    "place": [],
    "group": [],
}


def check_config(config: dict) -> list[str]:
    problems = check_http_url(config.get("url", ""), "feed address")
    path = config.get("items_path", "items")
    if not isinstance(path, str):
        problems.append("The path to the list of items must be text, like items or data.results.")
    fields = config.get("fields") or {}
    if not isinstance(fields, dict):
        problems.append("The field mapping must be a set of names and paths.")
    else:
        for name, value in fields.items():
            if name not in FIELD_NAMES:
                problems.append(f"{name!r} is not a field we know. Use: {', '.join(FIELD_NAMES)}.")
            elif value is not None and (not isinstance(value, str) or not value.strip()):
                problems.append(f"The path for {name!r} must be text, like content.body.")
    return problems


def fetch(config: dict, cursor: str, *, timeout: float, limit: int) -> FetchResult:
    state = TimeCursor.load(cursor)
    response = http_get(
        config["url"],
        timeout=timeout,
        headers={"If-None-Match": state.etag, "If-Modified-Since": state.modified},
    )
    if response.status == 304:
        return FetchResult([], cursor)
    try:
        document = json.loads(response.body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise ConnectorError(
            "This address does not give us JSON we can read. Check the address.",
            retryable=False,
        ) from None
    raw_items = get_path(document, (config.get("items_path") or "items").strip())
    if not isinstance(raw_items, list):
        raise ConnectorError(
            f"We could not find a list of items at {config.get('items_path') or 'items'!r} "
            "in this feed. Check the path to the list.",
            retryable=False,
        )
    paths = {name: list(default) for name, default in _DEFAULT_PATHS.items()}
    for name, path in (config.get("fields") or {}).items():
        if name in paths and path:
            paths[name] = [path.strip()]
    group_default = ""
    if isinstance(document, dict) and str(document.get("version", "")).startswith(
        "https://jsonfeed.org/"
    ):
        group_default = str(document.get("title") or "")
    items = [_item(raw, paths, group_default) for raw in raw_items if isinstance(raw, dict)]
    taken = state.take_new([i for i in items if i is not None], limit)
    state.etag = response.headers.get("etag", "")
    state.modified = response.headers.get("last-modified", "")
    return FetchResult(taken, state.dump())


def get_path(value, path: str):
    """``value`` at a dotted path: keys of objects, or numbers for positions in lists.
    An empty path is the value itself. None when the path is not there."""
    if not path:
        return value
    for part in path.split("."):
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and part.lstrip("-").isdigit():
            index = int(part)
            value = value[index] if -len(value) <= index < len(value) else None
        else:
            return None
        if value is None:
            return None
    return value


def _first(raw: dict, paths: list[str]):
    for path in paths:
        value = get_path(raw, path)
        if value not in (None, "", [], {}):
            return value
    return None


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_as_text(v) for v in value if v not in (None, ""))
    if isinstance(value, dict):
        return str(value.get("name") or value.get("title") or "")
    return str(value)


def _item(raw: dict, paths: dict[str, list[str]], group_default: str) -> IncomingItem | None:
    text = to_plain(_as_text(_first(raw, paths["text"])))
    if not text:
        return None
    said_at = parse_datetime(_first(raw, paths["date"]))
    url = _as_text(_first(raw, paths["url"]))
    if url and not url.startswith(("http://", "https://")):
        url = ""
    original_id = _as_text(_first(raw, paths["id"])) or url or stable_hash(text, said_at)
    return make_item(
        original_id,
        text,
        said_at,
        url=url,
        place=_as_text(_first(raw, paths["place"])),
        group=_as_text(_first(raw, paths["group"])) or group_default,
    )
