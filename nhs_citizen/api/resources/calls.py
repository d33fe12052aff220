"""Calls for views: what a body asked, of whom, until when; how many people answered; once the
call has closed, the answers with personal details taken out; and what the body said it did.
Never who opened a call, who answered, or when each answer came in (``gather.queries``)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from nhs_citizen.api.conventions import mark_last_modified
from nhs_citizen.api.listing import ListParams, listing
from nhs_citizen.api.schemas import ERRORS, LIST_ERRORS, Envelope
from nhs_citizen.gather import queries
from nhs_citizen.gather.models import CallForViews

router = Router()


class QuestionOut(Schema):
    position: int
    text: str
    kind: str = Field(description="free_text, or choice (choose one of `choices`).")
    choices: list[str]


class OutcomeOut(Schema):
    we_asked: str
    you_said: str
    we_did: str
    published_at: dt.datetime
    url: str


class CallOut(Schema):
    id: int
    url: str
    title: str
    background: str
    body: str
    body_slug: str
    scope: str
    place: str
    region: str | None
    icb_area: str | None
    opened_at: dt.datetime
    closes_on: dt.date
    open: bool
    questions: list[QuestionOut]
    answers: int = Field(description="How many people answered.")
    answers_csv: str | None = Field(
        description="The answers as a spreadsheet, once the call has closed."
    )
    outcome: OutcomeOut | None = Field(
        description="What the body asked, what people said and what it did, once published."
    )
    last_changed_at: dt.datetime


class CallDetail(CallOut):
    answer_rows: list[list[str]] | None = Field(
        description="Once the call has closed: each person's answers, one list each in "
        "question order, with personal details taken out, sorted by the answers so the order "
        "says nothing about who answered or when."
    )


class CallList(Envelope):
    results: list[CallOut]


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def call_record(call: CallForViews, today: dt.date) -> dict:
    """One call as the API and the bulk files show it (needs ``queries.public_calls``)."""
    closed = queries.answers_are_public(call, today)
    outcome = None
    if call.outcome_published_at is not None:
        outcome = {
            "we_asked": call.we_asked,
            "you_said": call.you_said,
            "we_did": call.we_did,
            "published_at": call.outcome_published_at,
            "url": _absolute(reverse("tracker:call_outcome", args=[call.pk])),
        }
    return {
        "id": call.pk,
        "url": _absolute(reverse("gather:call_detail", args=[call.pk])),
        "title": call.title,
        "background": call.background,
        "body": call.organisation.name,
        "body_slug": call.organisation.slug,
        "scope": call.scope,
        "place": call.place,
        "region": call.region.name if call.region_id else None,
        "icb_area": call.icb.name if call.icb_id else None,
        "opened_at": call.created_at,
        "closes_on": call.closes_on,
        "open": not closed,
        "questions": [
            {
                "position": q.position,
                "text": q.text,
                "kind": q.kind,
                "choices": list(q.choices or []),
            }
            for q in call.questions.all()
        ],
        "answers": call.answer_count,
        "answers_csv": _absolute(reverse("gather:download_answers", args=[call.pk]))
        if closed
        else None,
        "outcome": outcome,
        "last_changed_at": queries.call_changed_at(call),
    }


@router.get("", response={200: CallList, **LIST_ERRORS}, summary="Calls for views")
def call_list(request: HttpRequest, params: Query[ListParams]):
    """Every call for views, oldest first, with its questions, how many answered and, once
    published, what the body did. `changed_since` finds calls opened, answered or with an
    outcome published since then."""
    today = timezone.localdate()
    return listing(
        request,
        queries.public_calls(),
        "calls",
        params,
        lambda rows: [call_record(call, today) for call in rows],
        changed=queries.calls_changed_since,
        changed_at=queries.call_changed_at,
    )


@router.get("/{int:id}", response={200: CallDetail, **ERRORS}, summary="One call for views")
def call_detail(request: HttpRequest, id: int):
    """One call for views, and once it has closed, everyone's answers with personal details
    taken out (the same rows as its spreadsheet)."""
    call = queries.public_calls().filter(pk=id).first()
    if call is None:
        raise Http404
    today = timezone.localdate()
    mark_last_modified(request, queries.call_changed_at(call))
    record = call_record(call, today)
    closed = queries.answers_are_public(call, today)
    return {**record, "answer_rows": queries.answer_rows(call) if closed else None}
