"""Commitments and their updates, as the tracker shows them: every commitment stays public,
withdrawn ones with their reason. Updates are credited to a team or role, never a person."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from nhs_citizen.api import changes
from nhs_citizen.api.conventions import BadParameter, mark_last_modified
from nhs_citizen.api.listing import ListParams, listing
from nhs_citizen.api.schemas import ERRORS, LIST_ERRORS, Envelope
from nhs_citizen.tracker import presenters
from nhs_citizen.tracker.models import OPEN_STATUSES, Commitment, CommitmentStatus
from nhs_citizen.tracker.queries import (
    filter_by_status,
    flag_title,
    public_commitments_with_updates,
)

router = Router()

STATUSES = ["open", "overdue", *CommitmentStatus.values]


class Source(Schema):
    type: str
    id: int
    description: str
    url: str | None


class UpdateOut(Schema):
    id: int
    posted_at: dt.datetime
    posted_by: str = Field(description="The team or role that posted it.")
    status: str
    previous_status: str
    note: str
    reasons_not_done: str
    evidence_title: str
    evidence_url: str
    due_date: dt.date
    previous_due_date: dt.date


class CommitmentOut(Schema):
    id: int
    url: str
    what: str
    detail: str
    body: str
    body_slug: str
    owner: str
    due_date: dt.date
    status: str
    status_words: str
    overdue: bool
    days_overdue: int
    reasons_not_done: str
    withdrawn_reason: str | None
    made_at: dt.datetime
    finished_at: dt.datetime | None
    last_changed_at: dt.datetime
    source: Source
    flag_id: int | None
    flag_title: str | None
    cycle: str | None
    topic: str | None
    updates: list[UpdateOut]


class CommitmentList(Envelope):
    results: list[CommitmentOut]


class CommitmentParams(ListParams):
    status: str | None = Field(None, description="One of: " + ", ".join(STATUSES))
    body: str | None = Field(None, description="The organisation's slug.")


def _absolute(path: str | None) -> str | None:
    return f"{settings.SITE_URL}{path}" if path else None


def _source(commitment: Commitment) -> dict:
    if commitment.board_response_id:
        kind, pk = "board_response", commitment.board_response_id
    elif commitment.referral_response_id:
        kind, pk = "referral_response", commitment.referral_response_id
    else:
        kind, pk = "call_for_views", commitment.call_for_views_id
    link = presenters.source_link(commitment)
    return {"type": kind, "id": pk, "description": link.text, "url": _absolute(link.href)}


def _commitment(commitment: Commitment, today) -> dict:
    status = presenters.status_of(commitment, today)
    return {
        "id": commitment.pk,
        "url": _absolute(commitment.get_absolute_url()),
        "what": commitment.what,
        "detail": commitment.detail,
        "body": commitment.organisation.name,
        "body_slug": commitment.organisation.slug,
        "owner": commitment.owner,
        "due_date": commitment.due_date,
        "status": commitment.status,
        "status_words": status.words,
        "overdue": status.overdue,
        "days_overdue": status.days_overdue,
        "reasons_not_done": commitment.status_reasons,
        "withdrawn_reason": commitment.withdrawn_reason or None,
        "made_at": commitment.created_at,
        "finished_at": commitment.completed_at,
        "last_changed_at": commitment.updated_at,
        "source": _source(commitment),
        "flag_id": commitment.flag_id,
        "flag_title": flag_title(commitment.flag) if commitment.flag_id else None,
        "cycle": commitment.cycle.name if commitment.cycle_id else None,
        "topic": commitment.topic.name if commitment.topic_id else None,
        "updates": [
            {
                "id": u.pk,
                "posted_at": u.created_at,
                "posted_by": u.posted_as,
                "status": u.status,
                "previous_status": u.previous_status,
                "note": u.note,
                "reasons_not_done": u.reasons,
                "evidence_title": u.evidence_title,
                "evidence_url": u.evidence_url,
                "due_date": u.due_date,
                "previous_due_date": u.previous_due_date,
            }
            for u in commitment.updates.all()
        ],
    }


def _changed(queryset, since):
    """Made, updated or withdrawn since then, or gone overdue since then (an open commitment
    whose due day ended: its status words and ``overdue`` changed with the date alone)."""
    return queryset.filter(
        Q(updated_at__gte=since)
        | Q(changes.days_passed_since(since, "due_date"), status__in=OPEN_STATUSES)
    )


@router.get("", response={200: CommitmentList, **LIST_ERRORS}, summary="Commitments")
def commitment_list(request: HttpRequest, params: Query[CommitmentParams]):
    """Every commitment on the tracker, with its updates, oldest first. `changed_since` finds
    commitments made, updated, withdrawn or gone overdue since then."""
    today = timezone.localdate()
    commitments = public_commitments_with_updates()
    if params.status:
        if params.status not in STATUSES:
            raise BadParameter("status", "status must be one of: " + ", ".join(STATUSES))
        commitments = filter_by_status(commitments, params.status, today)
    if params.body:
        commitments = commitments.filter(organisation__slug=params.body)
    return listing(
        request,
        commitments,
        "commitments",
        params,
        lambda rows: [_commitment(c, today) for c in rows],
        changed=_changed,
        changed_at=lambda c: c.updated_at,
    )


@router.get("/{int:id}", response={200: CommitmentOut, **ERRORS}, summary="One commitment")
def commitment_detail(request: HttpRequest, id: int):
    commitment = public_commitments_with_updates().filter(pk=id).first()
    if commitment is None:
        raise Http404
    mark_last_modified(request, commitment.updated_at)
    return _commitment(commitment, timezone.localdate())
