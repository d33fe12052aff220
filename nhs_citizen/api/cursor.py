"""Keyset pages for the API: rows in ascending key order, a page at a time, and an opaque
``cursor`` for the page after. The cursor is the last key shown, signed, so it cannot be made up
or changed; a page costs one query however deep it is (``WHERE pk > last ORDER BY pk``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db.models import QuerySet

_SALT = "nhs_citizen.api.cursor"
DEFAULT_LIMIT = 50
MAX_LIMIT = 200

BAD_CURSOR = (
    "The cursor is not one we gave out, or it was changed. Leave it out to start from the first "
    "page, then follow the next links."
)


class BadCursor(ValueError):
    pass


@dataclass
class Page:
    rows: list[Any]
    next_cursor: str | None


def encode(resource: str, key: int) -> str:
    return signing.Signer(salt=_SALT).sign_object({"r": resource, "k": key}, compress=True)


def decode(resource: str, cursor: str) -> int:
    """The key a cursor stands for. A cursor made for another list is refused too."""
    try:
        payload = signing.Signer(salt=_SALT).unsign_object(cursor)
    except (signing.BadSignature, ValueError, TypeError, UnicodeError):
        raise BadCursor(BAD_CURSOR) from None
    if (
        not isinstance(payload, dict)
        or payload.get("r") != resource
        or not isinstance(payload.get("k"), int)
        or isinstance(payload.get("k"), bool)
    ):
        raise BadCursor(BAD_CURSOR)
    return payload["k"]


def page(
    queryset: QuerySet, resource: str, cursor: str | None, limit: int, key: str = "pk"
) -> Page:
    """One page of ``queryset`` by ``key`` (a unique, never-empty integer column), ascending."""
    if cursor:
        queryset = queryset.filter(**{f"{key}__gt": decode(resource, cursor)})
    rows = list(queryset.order_by(key)[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    last = getattr(rows[-1], "pk" if key == "pk" else key) if rows else None
    return Page(rows, encode(resource, last) if more else None)
