"""The Assembly: cycles with their shortlisted flags, the vote's results once the scores are
published, and the citizens' jury's choices; each Assembly Meeting with its agenda and, once
published, its minutes. As the cycle and meeting pages show them: a hidden flag keeps only its
number, votes are not shown before the scores are published, nobody who voted or sat on the
jury is named."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import CharField, Exists, OuterRef, Prefetch, Q
from django.db.models.functions import Cast
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Query, Router, Schema
from pydantic import Field

from nhs_citizen.api import changes
from nhs_citizen.api.conventions import mark_last_modified
from nhs_citizen.api.listing import ListParams, listing
from nhs_citizen.api.schemas import ERRORS, LIST_ERRORS, Envelope
from nhs_citizen.assembly.models import Cycle, CycleEntry, JuryChoice
from nhs_citizen.core.models import AuditEntry
from nhs_citizen.meetings.models import AgendaItem, Meeting, PackDocument

cycles = Router()
meetings = Router()


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


class CycleEntryOut(Schema):
    flag_id: int
    flag_title: str | None
    flag_hidden: bool
    shortlisted_at: dt.datetime
    rolled_over_from: str | None
    place: int | None
    votes: int | None
    to_jury: bool | None
    jury_chose: bool | None
    jury_reasons: str | None


class CycleOut(Schema):
    id: int
    slug: str
    name: str
    url: str
    stage: str
    stage_words: str
    flag_cutoff: dt.datetime
    vote_opens: dt.datetime
    vote_closes: dt.datetime
    jury_date: dt.date
    meeting_date: dt.date
    response_due: dt.date
    stocktake_date: dt.date
    scores_published_at: dt.datetime | None
    voters: int | None
    paper_voters: int | None = Field(
        None, description="Of the voters, how many voted on a paper ballot (once published)."
    )
    entries: list[CycleEntryOut]


class CycleList(Envelope):
    results: list[CycleOut]


def _entry(entry: CycleEntry, published: bool) -> dict:
    flag = entry.flag
    choice = getattr(entry, "jury_choice", None) if hasattr(entry, "jury_choice") else None
    return {
        "flag_id": flag.pk,
        "flag_title": None if flag.is_hidden else flag.title,
        "flag_hidden": flag.is_hidden,
        "shortlisted_at": entry.shortlisted_at,
        "rolled_over_from": entry.rolled_over_from.name if entry.rolled_over_from_id else None,
        "place": entry.place if published else None,
        "votes": entry.votes if published else None,
        "to_jury": entry.to_jury if published else None,
        "jury_chose": choice.chosen if choice else None,
        "jury_reasons": choice.reasons if choice else None,
    }


def _cycle(cycle: Cycle) -> dict:
    published = cycle.scores_published_at is not None
    return {
        "id": cycle.pk,
        "slug": cycle.slug,
        "name": cycle.name,
        "url": _absolute(cycle.get_absolute_url()),
        "stage": cycle.stage,
        "stage_words": cycle.get_stage_display(),
        "flag_cutoff": cycle.flag_cutoff,
        "vote_opens": cycle.vote_opens,
        "vote_closes": cycle.vote_closes,
        "jury_date": cycle.jury_date,
        "meeting_date": cycle.meeting_date,
        "response_due": cycle.response_due,
        "stocktake_date": cycle.stocktake_date,
        "scores_published_at": cycle.scores_published_at,
        "voters": cycle.voters if published else None,
        "paper_voters": (cycle.paper_voters or 0) if published else None,
        "entries": [_entry(e, published) for e in cycle.entries.all()],
    }


def _cycles():
    entries = CycleEntry.objects.select_related("flag", "jury_choice", "rolled_over_from").defer(
        "flag__embedding"
    )
    return Cycle.objects.prefetch_related(
        Prefetch("entries", queryset=entries.order_by("place", "shortlisted_at", "pk"))
    )


def _cycle_changed(queryset, since):
    """Made, scores published or recounted, or any public event about it (dates changed,
    moved to its next stage, the jury's choices recorded) since then."""
    return queryset.filter(
        Q(created_at__gte=since)
        | Q(scores_published_at__gte=since)
        | Q(recounted_at__gte=since)
        | Exists(JuryChoice.objects.filter(entry__cycle=OuterRef("pk"), recorded_at__gte=since))
        | changes.audited_since(Cycle, since)
    )


def _meeting_changed(queryset, since):
    """Minutes published, a document added, or any public event about it (set up, date or
    place changed, agenda changed) since then."""
    return queryset.filter(
        Q(minutes_published_at__gte=since)
        | Exists(PackDocument.objects.filter(item__meeting=OuterRef("pk"), added_at__gte=since))
        | changes.audited_since(Meeting, since)
        | Exists(
            AuditEntry.objects.public().filter(
                target_type=AgendaItem._meta.label_lower,
                target_id__in=AgendaItem.objects.filter(meeting=OuterRef(OuterRef("pk")))
                .annotate(key=Cast("pk", CharField()))
                .values("key"),
                created_at__gte=since,
            )
        )
    )


@cycles.get("", response={200: CycleList, **LIST_ERRORS}, summary="Assembly cycles")
def cycle_list(request: HttpRequest, params: Query[ListParams]):
    """Every Assembly cycle, oldest first, with its shortlisted flags, the vote's results once
    published and the jury's choices."""
    return listing(
        request,
        _cycles(),
        "cycles",
        params,
        lambda rows: [_cycle(c) for c in rows],
        changed=_cycle_changed,
    )


@cycles.get("/{slug}", response={200: CycleOut, **ERRORS}, summary="One cycle")
def cycle_detail(request: HttpRequest, slug: str):
    cycle = _cycles().filter(slug=slug).first()
    if cycle is None:
        raise Http404
    mark_last_modified(request, cycle.created_at, cycle.scores_published_at, cycle.recounted_at)
    return _cycle(cycle)


# Meetings --------------------------------------------------------------------------------------


class DocumentOut(Schema):
    title: str
    url: str
    added_at: dt.datetime


class AgendaItemOut(Schema):
    id: int
    position: int
    title: str
    briefing: str
    flag_id: int
    url: str
    documents: list[DocumentOut]


class MeetingOut(Schema):
    id: int
    cycle: str
    cycle_slug: str
    url: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    webcast_url: str
    minutes: str | None
    minutes_published_at: dt.datetime | None
    agenda: list[AgendaItemOut]


class MeetingList(Envelope):
    results: list[MeetingOut]


def _document(document: PackDocument, item: AgendaItem, cycle_slug: str) -> dict:
    if document.file:
        url = _absolute(reverse("meetings:document_file", args=[cycle_slug, document.pk]))
    else:
        url = document.url
    return {"title": document.title, "url": url, "added_at": document.added_at}


def _meeting(meeting: Meeting) -> dict:
    slug = meeting.cycle.slug
    return {
        "id": meeting.pk,
        "cycle": meeting.cycle.name,
        "cycle_slug": slug,
        "url": _absolute(reverse("meetings:meeting_detail", args=[slug])),
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "place": meeting.place,
        "webcast_url": meeting.webcast_url,
        "minutes": meeting.minutes if meeting.minutes_published_at else None,
        "minutes_published_at": meeting.minutes_published_at,
        "agenda": [
            {
                "id": item.pk,
                "position": item.position,
                "title": item.title,
                "briefing": item.briefing,
                "flag_id": item.entry.flag_id,
                "url": _absolute(reverse("meetings:item_detail", args=[slug, item.pk])),
                "documents": [_document(d, item, slug) for d in item.documents.all()],
            }
            for item in meeting.items.all()
        ],
    }


def _meetings():
    items = AgendaItem.objects.select_related("entry").prefetch_related(
        Prefetch("documents", queryset=PackDocument.objects.order_by("added_at", "pk"))
    )
    return Meeting.objects.select_related("cycle").prefetch_related(
        Prefetch("items", queryset=items.order_by("position", "pk"))
    )


@meetings.get("", response={200: MeetingList, **LIST_ERRORS}, summary="Assembly Meetings")
def meeting_list(request: HttpRequest, params: Query[ListParams]):
    """Every Assembly Meeting, oldest first, with its agenda, the information pack's
    documents and, once published, the minutes. `changed_since`: meetings set up, changed,
    with a document added or minutes published since then."""
    return listing(
        request,
        _meetings(),
        "meetings",
        params,
        lambda rows: [_meeting(m) for m in rows],
        changed=_meeting_changed,
    )


@meetings.get("/{int:id}", response={200: MeetingOut, **ERRORS}, summary="One meeting")
def meeting_detail(request: HttpRequest, id: int):
    meeting = _meetings().filter(pk=id).first()
    if meeting is None:
        raise Http404
    mark_last_modified(request, meeting.minutes_published_at)
    return _meeting(meeting)
