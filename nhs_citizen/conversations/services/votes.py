"""Voting on statements: one vote per person per statement, which they can change."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, Max, OuterRef
from django.utils import timezone

from nhs_citizen.conversations.models import Choice, Conversation, Participant, Statement, Vote
from nhs_citizen.conversations.services.statements import check_can_take_part


@dataclass(frozen=True)
class Voted:
    vote: Vote
    created: bool  # a first vote on this statement
    changed: bool  # an earlier vote changed to a different choice


def participant_for(conversation: Conversation, user) -> Participant | None:
    if not user.is_authenticated:
        return None
    return Participant.objects.filter(conversation=conversation, user=user).first()


def join(conversation: Conversation, user) -> Participant:
    """The person's participant row, made on their first vote. Numbers count up in each
    conversation; a clash with someone joining at the same moment is tried again."""
    for _attempt in range(5):
        existing = Participant.objects.filter(conversation=conversation, user=user).first()
        if existing is not None:
            return existing
        number = (
            Participant.objects.filter(conversation=conversation).aggregate(Max("number"))[
                "number__max"
            ]
            or 0
        ) + 1
        try:
            with transaction.atomic():
                return Participant.objects.create(
                    conversation=conversation, user=user, number=number
                )
        except IntegrityError:
            continue
    raise ValidationError("Too many people are joining at once. Try again in a moment.")


def parse_choice(value) -> int:
    try:
        choice = int(value)
    except (TypeError, ValueError):
        raise ValidationError({"choice": "Select agree, disagree or pass"}) from None
    if choice not in Choice.values:
        raise ValidationError({"choice": "Select agree, disagree or pass"})
    return choice


def check_vote(*, user, statement: Statement, choice) -> Voted:
    """Record or change a signed-in person's vote on a statement. The opinion map is worked
    out again later, in a job (services/results.py), never here."""
    from nhs_citizen.conversations.services.results import queue_recompute

    if not user.is_authenticated or not user.has_perm("conversations.take_part"):
        raise ValidationError("Sign in to vote.")
    choice = parse_choice(choice)
    conversation = statement.conversation
    check_can_take_part(conversation)
    if statement.hidden_at is not None:
        raise ValidationError("This statement has been hidden by a moderator.")
    participant = join(conversation, user)
    now = timezone.now()
    with transaction.atomic():
        vote = (
            Vote.objects.select_for_update()
            .filter(participant=participant, statement=statement)
            .first()
        )
        if vote is not None:
            changed = vote.choice != choice
            if changed:
                vote.choice = choice
                vote.changed_at = now
                vote.save(update_fields=["choice", "changed_at"])
            result = Voted(vote, created=False, changed=changed)
        else:
            try:
                with transaction.atomic():
                    vote = Vote.objects.create(
                        conversation=conversation,
                        participant=participant,
                        statement=statement,
                        choice=choice,
                        voted_at=now,
                    )
            except IntegrityError:
                # The same person's other tab voted a moment ago: this vote replaces it.
                vote = Vote.objects.select_for_update().get(
                    participant=participant, statement=statement
                )
                changed = vote.choice != choice
                if changed:
                    vote.choice = choice
                    vote.changed_at = now
                    vote.save(update_fields=["choice", "changed_at"])
                result = Voted(vote, created=False, changed=changed)
            else:
                Statement.objects.filter(pk=statement.pk).update(vote_count=F("vote_count") + 1)
                Conversation.objects.filter(pk=conversation.pk).update(
                    vote_count=F("vote_count") + 1
                )
                result = Voted(vote, created=True, changed=False)
        if result.created or result.changed:
            transaction.on_commit(lambda: queue_recompute(conversation.pk))
    return result


def next_statement(conversation: Conversation, participant: Participant | None) -> Statement | None:
    """The public statement this person has not voted on with the fewest votes (then the
    oldest): one query on the statement_fewest_votes_idx index, however many votes there are."""
    statements = Statement.objects.public().filter(conversation=conversation)
    if participant is not None:
        statements = statements.exclude(
            Exists(Vote.objects.filter(participant=participant, statement=OuterRef("pk")))
        )
    return statements.order_by("vote_count", "id").first()


def remaining_count(conversation: Conversation, participant: Participant | None) -> int:
    statements = Statement.objects.public().filter(conversation=conversation)
    if participant is not None:
        statements = statements.exclude(
            Exists(Vote.objects.filter(participant=participant, statement=OuterRef("pk")))
        )
    return statements.count()


def votes_of(participant: Participant | None) -> dict[int, int]:
    """Statement id -> choice, for someone's own votes (to show and change them)."""
    if participant is None:
        return {}
    return dict(Vote.objects.filter(participant=participant).values_list("statement_id", "choice"))
