"""A person's conversations in "Your data", and what happens to them when they leave."""

from __future__ import annotations

from typing import Any

from nhs_citizen.conversations.models import Participant, Statement, Vote


def export_for_user(user) -> dict[str, list[dict[str, Any]]]:
    return {
        "statements": [
            {
                "conversation": s.conversation.question,
                "number": s.number,
                "statement": s.text,
                "added": s.created_at.isoformat(),
                "hidden_by_a_moderator": s.hidden_at.isoformat() if s.hidden_at else None,
                "hidden_reason": s.hidden_reason,
            }
            for s in Statement.objects.filter(author=user)
            .select_related("conversation")
            .order_by("created_at", "pk")
        ],
        "votes": [
            {
                "conversation": v.conversation.question,
                "statement": v.statement.text,
                "vote": v.get_choice_display(),
                "voted": v.voted_at.isoformat(),
                "changed": v.changed_at.isoformat() if v.changed_at else None,
            }
            for v in Vote.objects.filter(participant__user=user)
            .select_related("conversation", "statement")
            .order_by("voted_at", "pk")
        ],
    }


def forget_user(user) -> None:
    """Votes still count, but nothing links them to the person any more. Statements stay in
    the conversation (they never showed a name)."""
    Participant.objects.filter(user=user).update(user=None)
