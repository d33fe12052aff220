"""Working out a conversation's opinion map, in a job, debounced as votes arrive (ADR 0039).

- A vote (new or changed) calls ``queue_recompute`` after its transaction commits. It queues a
  job only if none is queued for the conversation (``Conversation.recompute_queued_at`` is set
  with one conditional UPDATE, so two votes at once cannot both queue one).
- The job runs RECOMPUTE_DELAY seconds later, so a burst of votes costs one recompute; it
  runs at once if there is no map yet or RECOMPUTE_AFTER_VOTES votes are waiting.
- The job clears the mark before it reads the votes, so a vote that arrives while it computes
  queues the next one: no vote is left out for long, and no more than one job waits.
"""

from __future__ import annotations

import datetime
import string

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from nhs_citizen.conversations.models import (
    Conversation,
    OpinionPlaces,
    OpinionResult,
    Participant,
    Statement,
    Vote,
)

DEFAULT_DELAY_SECONDS = 60
DEFAULT_AFTER_VOTES = 50
GROUP_LETTERS = string.ascii_uppercase


def recompute_delay() -> datetime.timedelta:
    return datetime.timedelta(
        seconds=int(getattr(settings, "CONVERSATION_RECOMPUTE_DELAY", DEFAULT_DELAY_SECONDS))
    )


def recompute_after_votes() -> int:
    return int(getattr(settings, "CONVERSATION_RECOMPUTE_AFTER_VOTES", DEFAULT_AFTER_VOTES))


def group_name(index: int) -> str:
    return GROUP_LETTERS[index] if 0 <= index < len(GROUP_LETTERS) else str(index + 1)


def queue_recompute(conversation_id: int, *, soon: bool = False) -> bool:
    """Queue one recompute of the conversation unless one is already queued. True if queued."""
    from nhs_citizen.conversations import tasks

    now = timezone.now()
    claimed = Conversation.objects.filter(
        pk=conversation_id, recompute_queued_at__isnull=True
    ).update(recompute_queued_at=now)
    if not claimed:
        return False
    counted = (
        OpinionResult.objects.filter(conversation_id=conversation_id)
        .values_list("vote_count", flat=True)
        .first()
    )
    waiting = (
        Conversation.objects.filter(pk=conversation_id).values_list("vote_count", flat=True).first()
        or 0
    ) - (counted or 0)
    if soon or counted is None or waiting >= recompute_after_votes():
        tasks.recompute_opinions.enqueue(conversation_id)
    else:
        tasks.recompute_opinions.using(run_after=now + recompute_delay()).enqueue(conversation_id)
    return True


def _figures(m, statements: dict[int, Statement]) -> dict:
    """The OpinionMap as plain JSON, with statement numbers and words (participants are left
    out: their groups are kept on Participant.group)."""

    def number(statement_id) -> int:
        return statements[statement_id].number

    return {
        "k": m.k,
        "participants_clustered": m.participants_clustered,
        "votes": m.votes,
        "groups": [
            {
                "index": group.index,
                "name": group_name(group.index),
                "size": len(group.members),
                "representative": [
                    {
                        "number": number(rep.statement),
                        "direction": rep.direction,
                        "share": round(float(rep.share), 4),
                        "score": round(float(rep.score), 4),
                    }
                    for rep in group.representative
                ],
            }
            for group in m.groups
        ],
        "statements": [
            {
                "number": number(figures.statement),
                "agree": int(figures.agree),
                "disagree": int(figures.disagree),
                "passed": int(figures.passed),
                "consensus": round(float(figures.consensus), 4),
                "bridging": round(float(figures.bridging), 4),
                "divisive": round(float(figures.divisive), 4),
            }
            for figures in m.statements
            if figures.statement in statements
        ],
        "consensus": [number(s) for s in m.consensus if s in statements],
        "divisive": [number(s) for s in m.divisive if s in statements],
    }


def compute_map(conversation: Conversation, *, choose_k=None):
    """The opinion map of the conversation's public statements, and those statements by id."""
    from nhs_citizen.conversations.algorithms.opinion import opinion_map

    statements = {
        s.pk: s
        for s in Statement.objects.public()
        .filter(conversation=conversation)
        .only("pk", "number", "text")
    }
    votes = (
        (participant, statement, choice)
        for participant, statement, choice in Vote.objects.filter(conversation=conversation)
        .values_list("participant_id", "statement_id", "choice")
        .iterator(chunk_size=20_000)
        if statement in statements
    )
    return opinion_map(votes, statements=list(statements), choose_k=choose_k), statements


#: Map places are stored to this many decimals.
PLACE_DECIMALS = 4
#: Participants moved to a group in one UPDATE (under SQLite's 999 parameters).
GROUP_BATCH = 900


def _store_places(conversation: Conversation, m) -> int:
    """Each participant's group (on the participant, writing only the rows that changed) and
    place on the map (one JSON value keyed by participant number). How many groups changed."""
    moved: dict[int | None, list[int]] = {}
    numbers: dict[int, int] = {}
    for pk, number, stored in (
        Participant.objects.filter(conversation=conversation)
        .values_list("pk", "number", "group")
        .iterator(chunk_size=5000)
    ):
        numbers[pk] = number
        group = m.membership.get(pk)
        if stored != group:
            moved.setdefault(group, []).append(pk)
    # One UPDATE per group and batch of ids: a few queries for 10,000 people (bulk_update's
    # CASE per row took seconds).
    for group, pks in moved.items():
        for start in range(0, len(pks), GROUP_BATCH):
            Participant.objects.filter(pk__in=pks[start : start + GROUP_BATCH]).update(group=group)
    places = {
        f"p{numbers[p]}": [round(float(x), PLACE_DECIMALS), round(float(y), PLACE_DECIMALS)]
        for p, (x, y) in m.coords.items()
        if p in numbers
    }
    OpinionPlaces.objects.update_or_create(conversation=conversation, defaults={"places": places})
    return sum(len(pks) for pks in moved.values())


def place_of(conversation_id: int, participant) -> tuple[float, float] | None:
    """Where the last recompute put the participant on the map: one small query."""
    from django.db.models.fields.json import KeyTransform

    if participant is None:
        return None
    place = (
        OpinionPlaces.objects.filter(conversation_id=conversation_id)
        .annotate(place=KeyTransform(f"p{participant.number}", "places"))
        .values_list("place", flat=True)
        .first()
    )
    if isinstance(place, str):  # some databases give the JSON text
        import json

        place = json.loads(place)
    if not isinstance(place, list) or len(place) != 2:
        return None
    return float(place[0]), float(place[1])


def do_recompute(conversation_id: int) -> OpinionResult | None:
    from nhs_citizen.conversations.algorithms.stability import GroupCount, relabel, stable_order
    from nhs_citizen.conversations.algorithms.svg import map_extent, opinion_map_svg

    # Cleared first: a vote from now on queues the next recompute.
    Conversation.objects.filter(pk=conversation_id).update(recompute_queued_at=None)
    conversation = Conversation.objects.filter(pk=conversation_id).first()
    if conversation is None:
        return None
    vote_count = conversation.vote_count
    before = (
        OpinionResult.objects.filter(conversation=conversation)
        .values_list("figures", flat=True)
        .first()
    ) or {}
    streak = before.get("k_streak") or {}
    count = GroupCount(
        stored_k=int(before.get("k") or 0),
        streak_k=int(streak.get("k") or 0),
        streak=int(streak.get("wins") or 0),
    )
    m, statements = compute_map(conversation, choose_k=count.choose)
    if m.k:
        # Group letters follow their people: match the new groups to the stored ones.
        previous = dict(
            Participant.objects.filter(conversation=conversation, group__isnull=False)
            .values_list("pk", "group")
            .iterator(chunk_size=20_000)
        )
        m = relabel(m, stable_order(previous, m.membership, m.k))
    # The map's own labels are "Group A", "Group B"...: the same letters as group_name().
    svg = opinion_map_svg(m, title=f"Opinion groups: {conversation.question}")
    figures = _figures(m, statements)
    figures["best_k"] = m.best_k
    figures["k_streak"] = {"k": count.streak_k, "wins": count.streak}
    figures["map_extent"] = list(map_extent(m)) if m.coords else None
    with transaction.atomic():
        result, _ = OpinionResult.objects.update_or_create(
            conversation=conversation,
            defaults={
                "computed_at": timezone.now(),
                "vote_count": vote_count,
                "participant_count": Participant.objects.filter(conversation=conversation).count(),
                "figures": figures,
                "svg": svg,
            },
        )
        _store_places(conversation, m)
    from nhs_citizen.conversations import tasks
    from nhs_citizen.conversations.services import polis

    if vote_count > polis.large_conversation_votes():
        # Its own job: the download files of a million votes take far longer than the map.
        tasks.write_conversation_files.enqueue(conversation.pk)
    return result
