"""The stock-take agendas, as the tracker's stock-take page shows them: each item is a
commitment on a cycle's agenda, with its status when the agenda was made and now."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.db.models.functions import Greatest
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from nhs_citizen.api import changes
from nhs_citizen.api.conventions import mark_last_modified
from nhs_citizen.api.listing import ListParams, listing
from nhs_citizen.api.schemas import ERRORS, LIST_ERRORS, Envelope
from nhs_citizen.tracker import presenters
from nhs_citizen.tracker.models import OPEN_STATUSES, StockTakeItem

router = Router()


class StockTakeItemOut(Schema):
    id: int
    url: str = Field(description="The cycle's stock-take page.")
    cycle: str
    cycle_slug: str
    position: int = Field(description="Where it is on the agenda: overdue ones come first.")
    commitment_id: int
    commitment_url: str
    what: str
    body: str
    body_slug: str
    owner: str
    due_date: dt.date
    was_overdue: bool = Field(description="Overdue when the agenda was made.")
    status_then: str
    status_then_words: str
    status: str
    status_words: str
    overdue: bool
    days_overdue: int
    made_at: dt.datetime = Field(description="When the agenda last brought this item up to date.")
    last_changed_at: dt.datetime


class StockTakeItemList(Envelope):
    results: list[StockTakeItemOut]


class StockTakeParams(ListParams):
    cycle: str | None = Field(None, description="The cycle's slug.")


def _items():
    return StockTakeItem.objects.select_related("cycle", "commitment__organisation").annotate(
        last_changed=Greatest("generated_at", "commitment__updated_at")
    )


def _item(item: StockTakeItem, today) -> dict:
    commitment = item.commitment
    status = presenters.status_of(commitment, today)
    return {
        "id": item.pk,
        "url": settings.SITE_URL + reverse("tracker:stocktake", args=[item.cycle.slug]),
        "cycle": item.cycle.name,
        "cycle_slug": item.cycle.slug,
        "position": item.position,
        "commitment_id": commitment.pk,
        "commitment_url": settings.SITE_URL + commitment.get_absolute_url(),
        "what": commitment.what,
        "body": commitment.organisation.name,
        "body_slug": commitment.organisation.slug,
        "owner": commitment.owner,
        "due_date": commitment.due_date,
        "was_overdue": item.was_overdue,
        "status_then": item.status_then,
        "status_then_words": "Overdue" if item.was_overdue else item.get_status_then_display(),
        "status": commitment.status,
        "status_words": status.words,
        "overdue": status.overdue,
        "days_overdue": status.days_overdue,
        "made_at": item.generated_at,
        "last_changed_at": item.last_changed,
    }


def _changed(queryset, since):
    """Put on the agenda or brought up to date since then, its commitment changed since then,
    or its commitment gone overdue since then (the "now" column changed with the date)."""
    return queryset.filter(
        Q(generated_at__gte=since)
        | Q(commitment__updated_at__gte=since)
        | Q(
            changes.days_passed_since(since, "commitment__due_date"),
            commitment__status__in=OPEN_STATUSES,
        )
    )


@router.get("", response={200: StockTakeItemList, **LIST_ERRORS}, summary="Stock-take items")
def stocktake_list(request: HttpRequest, params: Query[StockTakeParams]):
    """Every item on every cycle's stock-take agenda, oldest first. `cycle` keeps one cycle's
    agenda; `changed_since` finds items made or brought up to date, or whose commitment
    changed or went overdue, since then."""
    today = timezone.localdate()
    items = _items()
    if params.cycle:
        items = items.filter(cycle__slug=params.cycle)
    return listing(
        request,
        items,
        "stocktake",
        params,
        lambda rows: [_item(row, today) for row in rows],
        changed=_changed,
        changed_at=lambda row: row.last_changed,
    )


@router.get("/{int:id}", response={200: StockTakeItemOut, **ERRORS}, summary="One stock-take item")
def stocktake_detail(request: HttpRequest, id: int):
    item = _items().filter(pk=id).first()
    if item is None:
        raise Http404
    mark_last_modified(request, item.last_changed)
    return _item(item, timezone.localdate())


__all__ = ["router"]
