"""The NHS England Board's written responses to Assembly agenda items and Citizen Panel
reports: the outcome, the summary and reasons, on time or not, and how the people it answers
said it reflects what they said (counted, and comments without names or contact details).
Never who recorded a response or who reflected on it (``tracker.queries``)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from nhs_citizen.api.conventions import mark_last_modified
from nhs_citizen.api.listing import ListParams, listing
from nhs_citizen.api.schemas import ERRORS, LIST_ERRORS, Envelope
from nhs_citizen.tracker import presenters, queries
from nhs_citizen.tracker.queries import REFLECTION_COMMENT_ORDER

router = Router()

COMMENTS_SHOWN = 100


class About(Schema):
    type: str = Field(description="agenda_item or panel_commission")
    id: int
    title: str
    url: str


class Reflections(Schema):
    yes: int
    partly: int
    no: int


class BoardResponseOut(Schema):
    id: int
    url: str
    outcome: str
    summary: str
    reasons: str
    published_at: dt.datetime
    due_date: dt.date
    on_time: bool
    about: About
    cycle: str
    cycle_slug: str
    flag_id: int | None
    reflections: Reflections = Field(
        description="How many people it answers said it reflects what they said."
    )
    last_changed_at: dt.datetime


class Comment(Schema):
    verdict: str
    comment: str


class BoardResponseDetail(BoardResponseOut):
    comments: list[Comment] = Field(
        description="The first 100 comments, oldest first, without names or contact details."
    )


class BoardResponseList(Envelope):
    results: list[BoardResponseOut]


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


@router.get("", response={200: BoardResponseList, **LIST_ERRORS}, summary="Board responses")
def board_response_list(request: HttpRequest, params: Query[ListParams]):
    """Every Board response, oldest first. `changed_since` finds responses published, or
    reflected on, since then."""
    return listing(
        request,
        queries.public_board_responses(),
        "board-responses",
        params,
        lambda rows: [queries.board_response_record(r, _absolute) for r in rows],
        changed=queries.board_responses_changed_since,
        changed_at=queries.board_response_changed_at,
    )


@router.get(
    "/{int:id}", response={200: BoardResponseDetail, **ERRORS}, summary="One Board response"
)
def board_response_detail(request: HttpRequest, id: int):
    response = queries.public_board_responses().filter(pk=id).first()
    if response is None:
        raise Http404
    mark_last_modified(request, queries.board_response_changed_at(response))
    comments = queries.reflection_comments(response).order_by(*REFLECTION_COMMENT_ORDER)
    return {
        **queries.board_response_record(response, _absolute),
        "comments": [
            {"verdict": r.verdict, "comment": presenters.public_comment(r.comment)}
            for r in comments[:COMMENTS_SHOWN]
        ],
    }
