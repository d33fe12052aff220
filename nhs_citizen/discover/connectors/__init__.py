"""Discover connectors: fetch what people already say from feeds, social media, a shared
inbox and uploaded spreadsheets. Pure Python, no Django.

Every connector returns items with provenance and a stable ``original_id``, plus an opaque
cursor: pass the cursor back next time to get only newer items."""

from __future__ import annotations

from . import bluesky, imap, json_feed, mastodon, rss
from .base import ConnectorError, FetchResult, IncomingItem
from .tabular import FIELDS, RowError, Table, TableError, guess_mapping, map_rows, read_table

KINDS = ("rss", "mastodon", "bluesky", "imap", "json_feed")

_MODULES = {
    "rss": rss,
    "mastodon": mastodon,
    "bluesky": bluesky,
    "imap": imap,
    "json_feed": json_feed,
}

__all__ = [
    "FIELDS",
    "KINDS",
    "ConnectorError",
    "FetchResult",
    "IncomingItem",
    "RowError",
    "Table",
    "TableError",
    "check_config",
    "fetch",
    "guess_mapping",
    "map_rows",
    "read_table",
]


def check_config(kind: str, config: dict) -> list[str]:
    """Plain-English problems with a connector's settings ([] = fine)."""
    if kind not in _MODULES:
        return [f"We do not know the source type {kind!r}."]
    if not isinstance(config, dict):
        return ["The settings are missing."]
    return _MODULES[kind].check_config(config)


def fetch(
    kind: str, config: dict, cursor: str = "", *, timeout: float = 20.0, limit: int = 500
) -> FetchResult:
    """Items newer than ``cursor`` (all, up to ``limit``, when it is ""), and the next cursor.

    Raises ConnectorError: ``retryable=True`` when trying later may work (server busy,
    time-out), ``retryable=False`` when a person needs to fix the settings."""
    problems = check_config(kind, config)
    if problems:
        raise ConnectorError(" ".join(problems), retryable=False)
    if limit <= 0:
        return FetchResult([], cursor or "")
    return _MODULES[kind].fetch(config, cursor or "", timeout=timeout, limit=limit)
