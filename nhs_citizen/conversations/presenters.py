"""What the conversation pages show, worked out from the stored opinion map."""

from __future__ import annotations

from dataclasses import dataclass

from nhs_citizen.conversations.models import Conversation, OpinionResult, Statement

DIRECTION_WORDS = {"agree": "agree", "disagree": "disagree"}


@dataclass(frozen=True)
class StatementRow:
    number: int
    text: str
    agree: int
    disagree: int
    passed: int
    consensus: float
    divisive: float
    bridging: float

    @property
    def votes(self) -> int:
        return self.agree + self.disagree + self.passed

    def percent(self, count: int) -> int:
        return round(100 * count / self.votes) if self.votes else 0


@dataclass(frozen=True)
class Belief:
    direction: str
    percent: int
    text: str
    number: int


@dataclass(frozen=True)
class GroupRow:
    name: str
    index: int
    size: int
    beliefs: list[Belief]


@dataclass(frozen=True)
class Report:
    result: OpinionResult | None
    groups: list[GroupRow]
    consensus: list[StatementRow]
    divisive: list[StatementRow]
    others: list[StatementRow]
    participants_clustered: int

    @property
    def has_groups(self) -> bool:
        return bool(self.groups)


def public_statements(conversation: Conversation) -> dict[int, Statement]:
    """Number -> statement, for the public statements of a conversation."""
    return {s.number: s for s in Statement.objects.public().filter(conversation=conversation)}


def report_for(conversation: Conversation) -> Report:
    result = OpinionResult.objects.filter(conversation=conversation).first()
    if result is None:
        return Report(None, [], [], [], [], 0)
    figures = result.figures
    texts = public_statements(conversation)  # a statement hidden since the map was drawn drops out
    rows = {
        row["number"]: StatementRow(
            number=row["number"],
            text=texts[row["number"]].text,
            agree=row["agree"],
            disagree=row["disagree"],
            passed=row["passed"],
            consensus=row["consensus"],
            divisive=row["divisive"],
            bridging=row["bridging"],
        )
        for row in figures.get("statements", [])
        if row["number"] in texts
    }
    groups = [
        GroupRow(
            name=group["name"],
            index=group["index"],
            size=group["size"],
            beliefs=[
                Belief(
                    direction=rep["direction"],
                    percent=round(100 * rep["share"]),
                    text=texts[rep["number"]].text,
                    number=rep["number"],
                )
                for rep in group["representative"]
                if rep["number"] in texts
            ],
        )
        for group in figures.get("groups", [])
    ]
    consensus = [rows[n] for n in figures.get("consensus", []) if n in rows]
    divisive = [
        rows[n] for n in figures.get("divisive", []) if n in rows and rows[n] not in consensus
    ]
    shown = {row.number for row in consensus + divisive}
    others = [row for number, row in sorted(rows.items()) if number not in shown]
    return Report(
        result=result,
        groups=groups,
        consensus=consensus,
        divisive=divisive,
        others=others,
        participants_clustered=figures.get("participants_clustered", 0),
    )


def map_svg(result: OpinionResult | None, participant=None) -> str:
    """The stored opinion map, with the reader marked "You" if they are on it."""
    if result is None:
        return ""
    extent = (result.figures or {}).get("map_extent")
    if participant is None or not extent:
        return result.svg
    from nhs_citizen.conversations.algorithms.svg import mark_you
    from nhs_citizen.conversations.services.results import place_of

    place = place_of(result.conversation_id, participant)
    if place is None:
        return result.svg
    try:
        return mark_you(result.svg, place[0], place[1], extent)
    except ValueError:
        return result.svg


def attached_to(conversation: Conversation) -> tuple[str, str, str] | None:
    """(what, its title, its address) for what the conversation is about."""
    if conversation.flag_id:
        flag = conversation.flag
        return ("flag", flag.title, flag.get_absolute_url())
    if conversation.agenda_item_id:
        from django.urls import reverse

        item = conversation.agenda_item
        return (
            "Assembly agenda item",
            item.title,
            reverse("meetings:item_detail", args=[item.meeting.cycle.slug, item.pk]),
        )
    if conversation.call_id:
        from django.urls import reverse

        call = conversation.call
        return ("call for views", call.title, reverse("gather:call_detail", args=[call.pk]))
    return None


def conversations_on(*, flag=None, agenda_item=None) -> list[Conversation]:
    """The conversations about a flag or an agenda item, for links from their pages."""
    conversations = Conversation.objects.all()
    if flag is not None:
        conversations = conversations.filter(flag=flag)
    elif agenda_item is not None:
        conversations = conversations.filter(agenda_item=agenda_item)
    else:
        return []
    return list(conversations.order_by("-opens_at", "-pk"))


def conversation_open_href(user, agenda_item) -> str:
    """Where the secretariat opens a conversation on an agenda item, before its meeting."""
    from django.urls import reverse
    from django.utils import timezone

    if not user.has_perm("conversations.open_on_agenda_item"):
        return ""
    if agenda_item.meeting.starts_at <= timezone.now():
        return ""
    return reverse(
        "conversations:open_on_agenda_item", args=[agenda_item.meeting.cycle.slug, agenda_item.pk]
    )
