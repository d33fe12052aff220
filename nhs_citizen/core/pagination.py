"""Split long lists into pages, with the NHS.UK pagination component's parameters."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from django.core import signing
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Page, Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections
from django.db.models import Q, QuerySet
from django.http import HttpRequest


def _href(request: HttpRequest, number: int) -> str:
    query = request.GET.copy()
    query["page"] = str(number)
    return "?" + query.urlencode()


def paginate(
    request: HttpRequest, object_list: Any, per_page: int = 20
) -> tuple[Page, dict[str, Any] | None]:
    """Return the requested page (the last page if the number is too big, the first page if it
    is not a number) and the parameters for ``nhsukPagination``, or None for a single page."""
    paginator = Paginator(object_list, per_page)
    page = paginator.get_page(request.GET.get("page"))
    if paginator.num_pages <= 1:
        return page, None
    items: list[dict[str, Any]] = []
    for number in paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1):
        if number == Paginator.ELLIPSIS:
            items.append({"ellipsis": True})
        else:
            items.append(
                {"number": number, "href": _href(request, number), "current": number == page.number}
            )
    params: dict[str, Any] = {"items": items}
    if page.has_previous():
        params["previous"] = {"href": _href(request, page.previous_page_number())}
    if page.has_next():
        params["next"] = {"href": _href(request, page.next_page_number())}
    return page, params


# Keyset pagination ------------------------------------------------------------------------------
# Deep pages of long lists cost the same as the first: the page after is found by the values of
# the last row shown (``WHERE (a, b, pk) < (x, y, z)`` on an index), not by counting past rows.

_KEYSET_SALT = "nhs_citizen.core.pagination.keyset"


@dataclass
class KeysetPage:
    object_list: list[Any]
    has_next: bool
    has_previous: bool
    number: int | None
    total: int | None = None
    next_token: str | None = None
    previous_token: str | None = None

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def _ordering_fields(queryset: QuerySet, ordering: tuple[str, ...]) -> list[tuple[str, bool]]:
    """(field name, descending) pairs; the last must be the primary key, so every row has a
    different key and no row is skipped or shown twice."""
    if not ordering or ordering[-1].lstrip("-") not in {"pk", queryset.model._meta.pk.name}:
        raise ValueError("A keyset ordering must end with the primary key.")
    return [(name.lstrip("-"), name.startswith("-")) for name in ordering]


def _row_values(row: Any, fields: list[tuple[str, bool]]) -> list[Any]:
    values = []
    for name, _ in fields:
        value = row[name] if isinstance(row, dict) else getattr(row, name)
        if value is None:
            raise ValueError(f"Keyset ordering field {name!r} must never be empty.")
        values.append(value)
    return values


class _ExactEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds; a page boundary must keep every microsecond,
    or the next page repeats (or skips) rows stored in the same millisecond."""

    def default(self, o):
        if isinstance(o, datetime | time):
            return o.isoformat()
        return super().default(o)


def _encode(values: list[Any], number: int | None) -> str:
    payload = json.dumps({"v": values, "n": number}, cls=_ExactEncoder, separators=(",", ":"))
    return signing.Signer(salt=_KEYSET_SALT).sign_object(payload, compress=True)


def _decode(queryset: QuerySet, fields: list[tuple[str, bool]], token: str):
    """The boundary values from a token, or None if it was altered or does not fit."""
    try:
        payload = json.loads(signing.Signer(salt=_KEYSET_SALT).unsign_object(token))
        raw_values, number = payload["v"], payload.get("n")
        if len(raw_values) != len(fields):
            return None
        values = []
        for (name, _), raw in zip(fields, raw_values, strict=True):
            field = (
                queryset.model._meta.pk if name == "pk" else queryset.model._meta.get_field(name)
            )
            values.append(field.to_python(raw))
        return values, (number if isinstance(number, int) and number > 0 else None)
    except (
        signing.BadSignature,
        ValueError,
        KeyError,
        TypeError,
        FieldDoesNotExist,
        ValidationError,
    ):
        return None


def _beyond(fields: list[tuple[str, bool]], values: list[Any], forwards: bool) -> Q:
    """Rows that come after (forwards) or before the boundary row in the list's order."""
    condition = Q()
    for index, (name, descending) in enumerate(fields):
        later = descending if forwards else not descending
        step = Q(**{f"{name}__{'lt' if later else 'gt'}": values[index]})
        for earlier_index in range(index):
            step &= Q(**{fields[earlier_index][0]: values[earlier_index]})
        condition |= step
    # The leading column's own bound lets the database walk the index from the boundary.
    lead_name, lead_descending = fields[0]
    lead_later = lead_descending if forwards else not lead_descending
    return Q(**{f"{lead_name}__{'lte' if lead_later else 'gte'}": values[0]}) & condition


def _after_boundary(
    queryset: QuerySet, fields: list[tuple[str, bool]], values: list[Any], forwards: bool
) -> QuerySet:
    """Rows beyond the boundary. When every field sorts the same way, a row comparison,
    ``(a, b, pk) < (x, y, z)``, lets the database start the page on a matching index (PostgreSQL
    bounds an OR of conditions by its first column only); mixed directions use the OR form."""
    directions = {descending for _, descending in fields}
    if len(directions) == 1:
        meta = queryset.model._meta
        try:
            columns = [
                (meta.pk if name == "pk" else meta.get_field(name)).column for name, _ in fields
            ]
        except FieldDoesNotExist:
            columns = None
        if columns:
            quote = connections[queryset.db].ops.quote_name
            table = quote(meta.db_table)
            left = ", ".join(f"{table}.{quote(column)}" for column in columns)
            right = ", ".join(["%s"] * len(columns))
            later = directions.pop() if forwards else not directions.pop()
            params = [
                connections[queryset.db].ops.adapt_datetimefield_value(value)
                if isinstance(value, datetime)
                else value
                for value in values
            ]
            return queryset.extra(
                where=[f"({left}) {'<' if later else '>'} ({right})"], params=params
            )
    return queryset.filter(_beyond(fields, values, forwards))


def keyset_page(
    request: HttpRequest,
    queryset: QuerySet,
    ordering: tuple[str, ...],
    per_page: int = 20,
    total: int | None = None,
) -> tuple[KeysetPage, dict[str, Any] | None]:
    """One page of ``queryset`` in ``ordering``, chosen by the request's ``after`` or ``before``
    token (a bad or altered token shows the first page), and the previous/next parameters for
    ``nhsukPagination`` (None when there is only one page). Ordering fields must never be empty
    and the last must be the primary key. Costs one query, whatever the page."""
    fields = _ordering_fields(queryset, ordering)
    reverse_ordering = tuple((name if descending else f"-{name}") for name, descending in fields)
    after = request.GET.get("after")
    before = request.GET.get("before") if not after else None
    boundary = _decode(queryset, fields, after or before) if (after or before) else None

    if boundary is None:
        rows = list(queryset.order_by(*ordering)[: per_page + 1])
        has_next, has_previous, number = len(rows) > per_page, False, 1
        rows = rows[:per_page]
    elif after:
        values, number = boundary
        rows = list(
            _after_boundary(queryset, fields, values, True).order_by(*ordering)[: per_page + 1]
        )
        has_next, has_previous = len(rows) > per_page, True
        rows = rows[:per_page]
        number = number + 1 if number else None
    else:
        values, number = boundary
        rows = list(
            _after_boundary(queryset, fields, values, False).order_by(*reverse_ordering)[
                : per_page + 1
            ]
        )
        has_previous, has_next = len(rows) > per_page, True
        rows = list(reversed(rows[:per_page]))
        number = number - 1 if number and number > 1 else None
        if not has_previous:
            number = 1

    page = KeysetPage(
        object_list=rows, has_next=has_next, has_previous=has_previous, number=number, total=total
    )
    if rows:
        if has_next:
            page.next_token = _encode(_row_values(rows[-1], fields), page.number)
        if has_previous:
            page.previous_token = _encode(_row_values(rows[0], fields), page.number)
    if not (page.has_next or page.has_previous):
        return page, None
    params: dict[str, Any] = {}
    if page.previous_token:
        params["previous"] = {"href": _keyset_href(request, "before", page.previous_token)}
    if page.next_token:
        params["next"] = {"href": _keyset_href(request, "after", page.next_token)}
    return page, params


def _keyset_href(request: HttpRequest, direction: str, token: str) -> str:
    query = request.GET.copy()
    for name in ("after", "before", "page"):
        query.pop(name, None)
    query[direction] = token
    return "?" + query.urlencode()
