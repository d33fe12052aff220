"""View models for the Assembly Meeting pages and the Citizen Panels it commissions."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from nhs_citizen.core.dates import when_words
from nhs_citizen.gather.models import Flag
from nhs_citizen.meetings.models import (
    AgendaItem,
    Meeting,
    PanelCommission,
    RemotePost,
    WorkshopNote,
    WorkshopQuestion,
)
from nhs_citizen.panels.models import MemberStatus, PanelStatus

TOPIC_FLAGS_SHOWN = 10


def url_of(obj) -> str | None:
    """The object's page, or None while the app that shows it does not have that page yet."""
    try:
        return obj.get_absolute_url()
    except NoReverseMatch:
        return None


def board_response_url(obj: AgendaItem | PanelCommission) -> str | None:
    """The Board's written response on the tracker, once there is one."""
    try:
        response = obj.board_response
    except ObjectDoesNotExist:
        return None
    return url_of(response) if response is not None else None


# The meeting -----------------------------------------------------------------------------------
@dataclass
class Members:
    places: int
    confirmed: int
    drawn: bool
    url: str


def members(meeting: Meeting) -> Members | None:
    """How many members have confirmed: numbers only, never names."""
    panel = meeting.members_panel
    if panel is None:
        return None
    return Members(
        places=panel.size,
        confirmed=panel.members.filter(status=MemberStatus.CONFIRMED).count(),
        drawn=panel.status in (PanelStatus.DRAWN, PanelStatus.SEED_REVEALED),
        url=reverse("panels:panel_detail", args=[panel.pk]),
    )


def when(meeting: Meeting) -> str:
    return when_words(meeting.starts_at, meeting.ends_at, weekday=True)


def meeting_status(meeting: Meeting, now=None) -> str:
    now = now or timezone.now()
    if meeting.minutes_published_at and now >= meeting.ends_at:
        return "The meeting has taken place and its minutes are published."
    if now < meeting.starts_at:
        return "The meeting has not started yet."
    if now <= meeting.ends_at:
        return "The meeting is happening now."
    return "The meeting has taken place. Its minutes will be published here."


def agenda(meeting: Meeting) -> list[AgendaItem]:
    """The items in order, each with how many visible posts and workshop notes it has."""
    items = list(meeting.items.select_related("entry__flag__topic").order_by("position", "pk"))
    posts = _counts(RemotePost.objects.filter(item__meeting=meeting, hidden_at__isnull=True))
    notes = _counts(WorkshopNote.objects.filter(item__meeting=meeting))
    for item in items:
        item.post_count = posts.get(item.pk, 0)
        item.note_count = notes.get(item.pk, 0)
    return items


def _counts(queryset) -> dict[int, int]:
    return dict(
        queryset.order_by().values("item_id").annotate(n=Count("pk")).values_list("item_id", "n")
    )


# An agenda item --------------------------------------------------------------------------------
@dataclass
class QuestionNotes:
    value: str
    label: str
    notes: list[WorkshopNote] = field(default_factory=list)


def notes_by_question(item: AgendaItem) -> list[QuestionNotes]:
    groups = {value: QuestionNotes(value, label) for value, label in WorkshopQuestion.choices}
    for note in item.notes.order_by("recorded_at", "pk"):
        groups[note.question].notes.append(note)
    return list(groups.values())


THREAD_ORDER = ("-created_at", "-pk")


def thread(item: AgendaItem):
    """The item's posts, for paging newest first (in ``THREAD_ORDER``), so a new post is on the
    first page. Hidden posts stay in the thread as a placeholder with the reason; the template
    decides who sees the words."""
    return item.remote_posts.select_related("author")


def topic_flags(flag: Flag, limit: int = TOPIC_FLAGS_SHOWN):
    """Other flags on the same topic in Gather, most supported first."""
    return list(
        Flag.objects.visible()
        .filter(topic_id=flag.topic_id)
        .exclude(pk=flag.pk)
        .for_lists()
        .order_by("-support_count", "-last_activity_at", "-pk")[:limit]
    )


def roundup_of(flag: Flag):
    try:
        return flag.roundup
    except ObjectDoesNotExist:
        return None


def jury_reasons(item: AgendaItem) -> str:
    try:
        return item.entry.jury_choice.reasons
    except ObjectDoesNotExist:
        return ""


# Commissions -----------------------------------------------------------------------------------
def commission_status(commission: PanelCommission, today=None) -> tuple[str, str]:
    """(words, tag colour), from what has actually happened to the panel and the report."""
    today = today or timezone.localdate()
    if commission.report_published_at:
        return "Report published", "green"
    panel = commission.panel
    if panel is not None and panel.status in (PanelStatus.DRAWN, PanelStatus.SEED_REVEALED):
        words, colour = "Panel drawn by lot, working on its report", "blue"
    elif panel is not None:
        words, colour = "Panel being chosen by lot", "purple"
    else:
        words, colour = "Commissioned: panel not chosen yet", "grey"
    if commission.report_due < today:
        return "Report overdue", "red"
    return words, colour


@dataclass
class CommissionRow:
    commission: PanelCommission
    status: str
    colour: str


def commission_rows(commissions) -> list[CommissionRow]:
    today = timezone.localdate()
    return [CommissionRow(c, *commission_status(c, today)) for c in commissions]
