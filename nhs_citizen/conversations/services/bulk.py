"""Loading many votes at once (imports and the demo), without going through a request."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Case, F, IntegerField, Max, Value, When

from nhs_citizen.conversations.models import Choice, Conversation, Participant, Statement, Vote


def load_votes(
    conversation: Conversation, votes: Iterable[tuple[str, int, int]], *, batch_size: int = 5000
) -> int:
    """Add votes given as (participant's external id, statement number, choice). Participants
    are made as needed, numbered in the order they first appear (or by their id if it is a
    whole number and the conversation has nobody in it yet). Each is a new participant. A later vote by the same participant on the same statement replaces an
    earlier one. Call it inside a transaction. Returns how many votes were stored."""
    statements = dict(
        Statement.objects.filter(conversation=conversation).values_list("number", "pk")
    )
    latest: dict[tuple[str, int], int] = {}
    for external_id, number, choice in votes:
        if number not in statements:
            raise ValueError(f"A vote is on statement {number}, which is not in the conversation")
        if choice not in Choice.values:
            raise ValueError(f"A vote of {choice} is not agree (1), disagree (-1) or pass (0)")
        latest[(str(external_id), number)] = choice
    ids = list(dict.fromkeys(external_id for external_id, _ in latest))
    existing = Participant.objects.filter(conversation=conversation)
    if (
        not existing.exists()
        and all(i.isdigit() for i in ids)
        and len({int(i) for i in ids}) == len(ids)
    ):
        numbers = {i: int(i) for i in ids}
    else:
        start = existing.aggregate(Max("number"))["number__max"] or 0
        numbers = {i: start + position for position, i in enumerate(ids, 1)}
    with transaction.atomic():
        participants = Participant.objects.bulk_create(
            [Participant(conversation=conversation, number=numbers[i], external_id=i) for i in ids],
            batch_size=batch_size,
        )
        participant_pk = {p.external_id: p.pk for p in participants}
        if any(pk is None for pk in participant_pk.values()):
            participant_pk = dict(
                Participant.objects.filter(conversation=conversation).values_list(
                    "external_id", "pk"
                )
            )
        # A batch at a time: a million Vote objects at once would not fit in memory.
        batch: list[Vote] = []
        for (external_id, number), choice in latest.items():
            batch.append(
                Vote(
                    conversation=conversation,
                    participant_id=participant_pk[external_id],
                    statement_id=statements[number],
                    choice=choice,
                )
            )
            if len(batch) >= batch_size:
                Vote.objects.bulk_create(batch)
                batch = []
        if batch:
            Vote.objects.bulk_create(batch)
        counts = Counter(number for _, number in latest)
        if counts:
            Statement.objects.filter(conversation=conversation, number__in=list(counts)).update(
                vote_count=F("vote_count")
                + Case(
                    *[When(number=n, then=Value(c)) for n, c in counts.items()],
                    default=Value(0),
                    output_field=IntegerField(),
                )
            )
        Conversation.objects.filter(pk=conversation.pk).update(
            vote_count=F("vote_count") + len(latest)
        )
    conversation.refresh_from_db(fields=["vote_count"])
    return len(latest)
