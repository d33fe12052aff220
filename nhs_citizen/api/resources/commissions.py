"""Citizen Panels the Assembly commissioned: the question, remit, size, who the panel must
include, why, when the report is due, the panel drawn for it, and the report once published.
As the commission's page shows it; never who commissioned it."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from nhs_citizen.api import changes
from nhs_citizen.api.conventions import mark_last_modified
from nhs_citizen.api.listing import ListParams, listing
from nhs_citizen.api.schemas import ERRORS, LIST_ERRORS, Envelope
from nhs_citizen.meetings import queries
from nhs_citizen.meetings.models import PanelCommission

router = Router()


class Report(Schema):
    summary: str
    url: str | None = Field(description="The full report: a link, or the uploaded file.")
    published_at: dt.datetime


class CommissionOut(Schema):
    id: int
    url: str
    question: str
    remit: str
    size: int
    who_it_must_include: str
    reasons: str
    report_due: dt.date
    status: str
    cycle: str
    cycle_slug: str
    agenda_item_id: int | None
    panel_id: int | None
    commissioned_at: dt.datetime
    report: Report | None


class CommissionList(Envelope):
    results: list[CommissionOut]


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _commission(commission: PanelCommission) -> dict:
    return queries.commission_record(commission, _absolute)


def _commissions():
    return PanelCommission.objects.select_related("meeting__cycle").annotate(
        last_event_at=changes.last_audited(PanelCommission)
    )


def _changed_at(commission: PanelCommission):
    return changes.newest_of(commission, "commissioned_at", "report_published_at", "last_event_at")


@router.get("", response={200: CommissionList, **LIST_ERRORS}, summary="Panels commissioned")
def commission_list(request: HttpRequest, params: Query[ListParams]):
    """Every Citizen Panel the Assembly commissioned, oldest first. `changed_since`:
    commissioned, its panel linked or its report published since then."""
    return listing(
        request,
        _commissions(),
        "panel-commissions",
        params,
        lambda rows: [_commission(c) for c in rows],
        changed=lambda qs, since: qs.filter(
            Q(commissioned_at__gte=since)
            | Q(report_published_at__gte=since)
            | changes.audited_since(PanelCommission, since)
        ),
        changed_at=_changed_at,
    )


@router.get("/{int:id}", response={200: CommissionOut, **ERRORS}, summary="One commission")
def commission_detail(request: HttpRequest, id: int):
    commission = _commissions().filter(pk=id).first()
    if commission is None:
        raise Http404
    mark_last_modified(request, _changed_at(commission))
    return _commission(commission)
