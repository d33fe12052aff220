"""Discover: its topics and the redacted statements, as the public pages show them. Only
statements that are processed, not hidden, not folded into another and (for visitors' messages)
published by a curator; only the redacted text, never what arrived (``raw_text``), the
redaction spans or who sent it. Hidden topics and statements answer 410 Gone, like their
pages."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from nhs_citizen.api.conventions import mark_last_modified
from nhs_citizen.api.listing import ListParams, listing
from nhs_citizen.api.schemas import LIST_ERRORS, Envelope, Error
from nhs_citizen.discover.models import Item, Review, Topic
from nhs_citizen.discover.queries import statement_record
from nhs_citizen.discover.services.curation import representative_items

router = Router()

GONE_ERRORS = {400: Error, 404: Error, 410: Error, 429: Error}
HIDDEN = "A moderator has hidden this. It is no longer public."
# What a statement never carries out of the pipeline.
PRIVATE_ITEM_FIELDS = ("raw_text", "redacted_spans", "restored_spans", "embedding", "redactions")


class StatementOut(Schema):
    id: int
    url: str
    said_on: dt.date
    text: str
    times_said: int
    feeling: str
    topic_id: int | None
    topic: str | None
    source: str
    source_kind: str
    region: str | None
    icb_area: str | None
    question: str | None = Field(
        description="The question this statement answers, when the source gave one "
        "(for example a Friends and Family Test question); null when not known."
    )


class StatementList(Envelope):
    results: list[StatementOut]


class TopicOut(Schema):
    id: int
    url: str
    name: str
    words: list[str]
    statements: int
    times_said: int
    positive_share: float
    neutral_or_mixed_share: float
    negative_share: float
    rising: bool
    last_7_days: int
    expected_in_7_days: float
    typical_statement: str
    updated_at: dt.datetime


class TopicList(Envelope):
    results: list[TopicOut]


class TopicDetail(TopicOut):
    representative_statements: list[StatementOut]


class StatementParams(ListParams):
    topic: int | None = None


def _statement(item: Item) -> dict:
    """The statement as the downloads give it (one presenter, so they cannot drift apart), with
    its page's address and the date as a date."""
    return {
        **statement_record(item),
        "url": settings.SITE_URL + reverse("discover:item_detail", args=[item.pk]),
        "said_on": item.when.date(),
    }


def _items():
    return (
        Item.objects.public()
        .select_related("source", "topic__merged_into", "region", "icb")
        .defer(*PRIVATE_ITEM_FIELDS)
    )


def _typical(topic: Topic) -> str:
    item = topic.typical_item
    if item is None or item.hidden_at or item.review not in Review.shown():
        return ""
    return item.text


def _topic(topic: Topic) -> dict:
    return {
        "id": topic.pk,
        "url": settings.SITE_URL + reverse("discover:topic_detail", args=[topic.pk]),
        "name": topic.name,
        "words": [str(word) for word in (topic.words or [])],
        "statements": topic.item_count,
        "times_said": topic.weight,
        "positive_share": topic.positive_share,
        "neutral_or_mixed_share": topic.neutral_share,
        "negative_share": topic.negative_share,
        "rising": topic.rising,
        "last_7_days": topic.recent_count,
        "expected_in_7_days": topic.expected_count,
        "typical_statement": _typical(topic),
        "updated_at": topic.updated_at,
    }


def _topics():
    return Topic.objects.select_related("typical_item").defer(
        "centroid", *(f"typical_item__{name}" for name in PRIVATE_ITEM_FIELDS)
    )


@router.get("/topics", response={200: TopicList, **LIST_ERRORS}, summary="Discover topics")
def topic_list(request: HttpRequest, params: Query[ListParams]):
    """Topics that exist now and are not hidden. `changed_since`: topics whose figures or name
    changed since then."""
    return listing(
        request,
        _topics().filter(pk__in=Topic.objects.public().values("pk")),
        "discover-topics",
        params,
        lambda rows: [_topic(t) for t in rows],
        changed=lambda qs, since: qs.filter(updated_at__gte=since),
        changed_at=lambda t: t.updated_at,
    )


@router.get("/topics/{int:id}", response={200: TopicDetail, **GONE_ERRORS}, summary="One topic")
def topic_detail(request: HttpRequest, id: int):
    """A topic and its most typical statements. A topic merged into another answers with the
    one it became; a hidden one with 410."""
    topic = _topics().filter(pk=id).first()
    if topic is None:
        raise Http404
    topic = topic.final()
    if topic.hidden_at:
        raise HttpError(410, HIDDEN)
    if topic.retired_at:
        raise Http404
    mark_last_modified(request, topic.updated_at)
    items = [i for i in representative_items(topic, limit=8)]
    return {**_topic(topic), "representative_statements": [_statement(i) for i in items]}


def _item_changed(queryset, since):
    return queryset.filter(Q(processed_at__gte=since) | Q(reviewed_at__gte=since))


@router.get("/statements", response={200: StatementList, **LIST_ERRORS}, summary="Statements")
def statement_list(request: HttpRequest, params: Query[StatementParams]):
    """Every public statement, redacted, oldest first. `changed_since`: statements that became
    public since then."""
    items = _items()
    if params.topic is not None:
        items = items.filter(topic_id=params.topic)
    return listing(
        request,
        items,
        "discover-statements",
        params,
        lambda rows: [_statement(i) for i in rows],
        changed=_item_changed,
        changed_at=lambda i: max(filter(None, [i.processed_at, i.reviewed_at])),
    )


@router.get(
    "/statements/{int:id}", response={200: StatementOut, **GONE_ERRORS}, summary="One statement"
)
def statement_detail(request: HttpRequest, id: int):
    item = (
        Item.objects.select_related("source", "topic__merged_into", "region", "icb")
        .defer(*PRIVATE_ITEM_FIELDS)
        .filter(pk=id, processed_at__isnull=False, review__in=Review.shown())
        .first()
    )
    if item is None or (item.duplicate_of_id and not item.hidden_at):
        raise Http404
    if item.hidden_at:
        raise HttpError(410, HIDDEN)
    mark_last_modified(request, item.processed_at, item.reviewed_at)
    return _statement(item)
