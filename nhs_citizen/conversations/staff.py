"""How the public audit log credits opening, changing and closing a conversation early
(ADR 0026): a curator's on a flag and the secretariat's on an agenda item to NHS England; a
body's on its own call for views to that body, as a responder. Never the person's name."""

from __future__ import annotations

from collections.abc import Sequence

from nhs_citizen.core.audit_credit import NHS_ENGLAND, CreditedEntry, register_staff_actions


def _acted_for(entries: Sequence[CreditedEntry]) -> dict[int, str | tuple[str, str]]:
    """One query for the whole batch: each entry's conversation and what it is on."""
    from nhs_citizen.conversations.models import Conversation

    wanted = {
        entry.sequence: int(entry.target_id) for entry in entries if entry.target_id.isdigit()
    }
    on = {
        row["pk"]: row
        for row in Conversation.objects.filter(pk__in=set(wanted.values())).values(
            "pk", "agenda_item_id", "call_id", "call__organisation__name"
        )
    }
    found: dict[int, str | tuple[str, str]] = {}
    for sequence, pk in wanted.items():
        row = on.get(pk)
        if row is None:
            continue
        if row["call_id"]:
            found[sequence] = (row["call__organisation__name"], "responder")
        elif row["agenda_item_id"]:
            found[sequence] = (NHS_ENGLAND, "secretariat")
        else:
            found[sequence] = (NHS_ENGLAND, "curator")
    return found


register_staff_actions(
    "conversations.opened",
    "conversations.changed",
    "conversations.closed_early",
    role="curator",
    organisation_of=_acted_for,
)
