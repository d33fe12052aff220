"""One page of a list as the API returns it: the licence, the rows and the ``next`` link."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Schema
from pydantic import Field

from nhs_citizen.api import cursor as cursors
from nhs_citizen.api.conventions import LICENCE, mark_last_modified, parse_changed_since


class ListParams(Schema):
    cursor: str | None = Field(
        None, description="Where the page starts: copy it from the `next` link, never make one."
    )
    limit: int = Field(
        cursors.DEFAULT_LIMIT, ge=1, le=cursors.MAX_LIMIT, description="Rows a page."
    )
    changed_since: str | None = Field(
        None,
        pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9:.]+(Z|[+-][0-9:]+)?)?$",
        description="Only what changed since then: a date (2026-05-01) or a date and time "
        "(2026-05-01T09:30:00Z). Without a time zone, UK time.",
    )


def next_link(request: HttpRequest, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    query = request.GET.copy()
    query["cursor"] = cursor
    return request.build_absolute_uri(request.path + "?" + query.urlencode())


def listing(
    request: HttpRequest,
    queryset: QuerySet,
    resource: str,
    params: ListParams,
    present: Callable[[list[Any]], Iterable[dict]],
    *,
    changed: Callable[[QuerySet, Any], QuerySet] | None = None,
    changed_at: Callable[[Any], Any] | None = None,
    key: str = "pk",
) -> dict:
    """A page of ``queryset`` (filtered by ``changed`` when ``changed_since`` is given), each
    page's rows turned into dicts by ``present`` at once (so it can load their children in a
    query or two per page, never one per row)."""
    since = parse_changed_since(params.changed_since)
    if since is not None and changed is not None:
        queryset = changed(queryset, since)
    page = cursors.page(queryset, resource, params.cursor, params.limit, key=key)
    if changed_at is not None:
        mark_last_modified(request, *(changed_at(row) for row in page.rows))
    return {
        "licence": LICENCE,
        "next": next_link(request, page.next_cursor),
        "results": list(present(page.rows)),
    }


__all__ = ["ListParams", "Query", "listing", "next_link"]
