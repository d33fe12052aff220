"""What Discover holds about a person, for "Your data" and for deleting an account.

A person appears in Discover only as the sender of a "Tell us" message or the host who
uploaded notes. Their messages stay (they are public, redacted statements) but the link to
them is removed when they delete their account.
"""

from __future__ import annotations

from typing import Any

from nhs_citizen.discover.models import Item


def export_for_user(user) -> dict[str, Any]:
    items = Item.objects.filter(sent_by=user).select_related("source").order_by("received_at")
    return {
        "messages_and_notes": [
            {
                "source": item.source.name,
                "received_at": item.received_at.isoformat(),
                "what_you_sent": item.raw_text,
                "as_published": item.text if item.processed_at else "",
                "hidden": bool(item.hidden_at),
                # The question it answered, when it was an answer to one (an event's prompt).
                "answer_to": item.question_answered or "",
            }
            for item in items
        ]
    }


def forget_user(user) -> None:
    Item.objects.filter(sent_by=user).update(sent_by=None)
