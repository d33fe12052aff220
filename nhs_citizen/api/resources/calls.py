"""Calls for views: what a body asked, of whom, until when; how many people answered; once the
call has closed, the answers with personal details taken out; and what the body said it did.
Never who opened a call, who answered, or when each answer came in (``gather.queries``)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import Http404, HttpRequest
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


def _record(call: CallForViews, today: dt.date) -> dict:
    return queries.call_record(call, today, absolute=_absolute)


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
        lambda rows: [_record(call, today) for call in rows],
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
    record = _record(call, today)
    closed = queries.answers_are_public(call, today)
    return {**record, "answer_rows": queries.answer_rows(call) if closed else None}
