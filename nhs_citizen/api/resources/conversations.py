"""Conversations (issue 17): each one's question, what it is about, its counts and its opinion
map's figures, with its statements and votes in Pol.is's export format. Only public statements;
nobody is named: people are their participant numbers."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from nhs_citizen.api.conventions import mark_last_modified
from nhs_citizen.api.listing import ListParams, listing
from nhs_citizen.api.schemas import ERRORS, LIST_ERRORS, Envelope
from nhs_citizen.conversations.downloads import FILES
from nhs_citizen.conversations.models import Conversation, OpinionResult
from nhs_citizen.conversations.presenters import report_for

router = Router()


class PolisFile(Schema):
    name: str
    url: str


class StatementFigures(Schema):
    id: int
    text: str
    agree: int
    disagree: int
    passed: int
    consensus: float
    divisive: float
    bridging: float


class GroupBelief(Schema):
    statement: int
    direction: str
    share: float


class GroupOut(Schema):
    name: str
    size: int
    representative: list[GroupBelief]


class ConversationOut(Schema):
    slug: str
    url: str
    report_url: str
    question: str
    about: str
    about_kind: str | None
    about_url: str | None
    opens_at: dt.datetime
    closes_at: dt.datetime
    is_open: bool
    closed_early_at: dt.datetime | None
    closed_reason: str
    flag_id: int | None
    agenda_item_id: int | None
    call_id: int | None
    imported_from: str
    votes: int
    computed_at: dt.datetime | None
    computed_from_votes: int | None
    groups: list[GroupOut]
    consensus: list[int]
    divisive: list[int]
    statements: list[StatementFigures]
    files: list[PolisFile]


class ConversationList(Envelope):
    results: list[ConversationOut]


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _conversation(conversation: Conversation, result: OpinionResult | None, report=None) -> dict:
    attached = None
    if conversation.flag_id:
        attached = ("flag", reverse("gather:flag_detail", args=[conversation.flag_id]))
    elif conversation.call_id:
        attached = ("call_for_views", reverse("gather:call_detail", args=[conversation.call_id]))
    elif conversation.agenda_item_id:
        item = conversation.agenda_item
        attached = (
            "agenda_item",
            reverse("meetings:item_detail", args=[item.meeting.cycle.slug, item.pk]),
        )
    figures = result.figures if result is not None else {}
    statements = []
    groups = []
    if report is not None:
        shown = {row.number for row in report.consensus + report.divisive + report.others}
        statements = [
            {
                "id": row.number,
                "text": row.text,
                "agree": row.agree,
                "disagree": row.disagree,
                "passed": row.passed,
                "consensus": row.consensus,
                "divisive": row.divisive,
                "bridging": row.bridging,
            }
            for row in sorted(
                report.consensus + report.divisive + report.others, key=lambda r: r.number
            )
        ]
        groups = [
            {
                "name": group.name,
                "size": group.size,
                "representative": [
                    {"statement": b.number, "direction": b.direction, "share": b.percent / 100}
                    for b in group.beliefs
                ],
            }
            for group in report.groups
        ]
    else:
        shown = set()
    return {
        "slug": conversation.slug,
        "url": _absolute(conversation.get_absolute_url()),
        "report_url": _absolute(reverse("conversations:report", args=[conversation.slug])),
        "question": conversation.question,
        "about": conversation.about,
        "about_kind": attached[0] if attached else None,
        "about_url": _absolute(attached[1]) if attached else None,
        "opens_at": conversation.opens_at,
        "closes_at": conversation.closes_at,
        "is_open": conversation.is_open(),
        "closed_early_at": conversation.closed_early_at,
        "closed_reason": conversation.closed_reason,
        "flag_id": conversation.flag_id,
        "agenda_item_id": conversation.agenda_item_id,
        "call_id": conversation.call_id,
        "imported_from": conversation.imported_from,
        "votes": conversation.vote_count,
        "computed_at": result.computed_at if result else None,
        "computed_from_votes": result.vote_count if result else None,
        "groups": groups,
        "consensus": [n for n in figures.get("consensus", []) if n in shown],
        "divisive": [n for n in figures.get("divisive", []) if n in shown],
        "statements": statements,
        "files": [
            {
                "name": name,
                "url": _absolute(reverse("api:conversation_file", args=[conversation.slug, name])),
            }
            for name in FILES
        ],
    }


def _conversations():
    return Conversation.objects.select_related("agenda_item__meeting__cycle")


class ConversationParams(ListParams):
    flag: int | None = Field(None, description="Only conversations on this flag (its number).")
    agenda_item: int | None = Field(
        None, description="Only conversations on this Assembly agenda item (its number)."
    )
    call: int | None = Field(
        None, description="Only conversations on this call for views (its number)."
    )


def changed_since(queryset, since: dt.datetime):
    """Conversations made, opened, closed (on their date or early) or given a new map since."""
    now = timezone.now()
    return queryset.filter(
        Q(created_at__gte=since)
        | Q(opens_at__gte=since, opens_at__lte=now)
        | Q(closes_at__gte=since, closes_at__lte=now)
        | Q(closed_early_at__gte=since)
        | Q(result__computed_at__gte=since)
    )


@router.get("", response={200: ConversationList, **LIST_ERRORS}, summary="Conversations")
def conversation_list(request: HttpRequest, params: Query[ConversationParams]):
    """Every conversation, oldest first, with its counts and links to its files. The figures of
    each statement and group are in the conversation's own answer. `changed_since`:
    conversations made, opened, closed or given a new opinion map since then. `flag`,
    `agenda_item` and `call` list the conversations on one of them."""

    def present(rows):
        results = {
            r.conversation_id: r
            for r in OpinionResult.objects.filter(conversation__in=rows).defer("svg", "figures")
        }
        return [_conversation(c, results.get(c.pk)) for c in rows]

    conversations = _conversations()
    for field in ("flag", "agenda_item", "call"):
        if getattr(params, field) is not None:
            conversations = conversations.filter(**{f"{field}_id": getattr(params, field)})
    return listing(request, conversations, "conversations", params, present, changed=changed_since)


def _get(slug: str) -> Conversation:
    conversation = _conversations().filter(slug=slug).first()
    if conversation is None:
        raise Http404
    return conversation


@router.get("/{slug}", response={200: ConversationOut, **ERRORS}, summary="One conversation")
def conversation_detail(request: HttpRequest, slug: str):
    """One conversation with its opinion map's figures: the groups and what sets each apart,
    the statements every group agrees with (strongest first), the divisive ones, and each
    public statement's votes."""
    conversation = _get(slug)
    report = report_for(conversation)
    mark_last_modified(
        request, conversation.created_at, report.result.computed_at if report.result else None
    )
    return _conversation(conversation, report.result, report)


@router.get(
    "/{slug}/files/{name}",
    response={200: None, **ERRORS},
    summary="A conversation's file in Pol.is format",
    url_name="conversation_file",
)
def conversation_file(request: HttpRequest, slug: str, name: str):
    """`comments.csv`, `votes.csv` or `participants-votes.csv`, as in a Pol.is openData
    export. Hidden statements and their votes are left out; people are numbers."""
    from nhs_citizen.conversations.downloads import polis_file_response

    response = polis_file_response(_get(slug), name)
    if response is None:
        raise Http404
    return response
