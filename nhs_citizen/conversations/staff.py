"""How the public audit log credits opening a conversation (ADR 0026): a curator's on a flag and
the secretariat's on an agenda item to NHS England; a body's on its own call for views to that
body, as a responder."""

from __future__ import annotations

from collections.abc import Sequence

from nhs_citizen.core.audit_credit import NHS_ENGLAND, CreditedEntry, register_staff_actions


def _opened_for(entries: Sequence[CreditedEntry]) -> dict[int, str | tuple[str, str]]:
    from nhs_citizen.gather.models import CallForViews

    calls = {
        entry.sequence: entry.data.get("call_id")
        for entry in entries
        if isinstance(entry.data, dict) and isinstance(entry.data.get("call_id"), int)
    }
    bodies = dict(
        CallForViews.objects.filter(pk__in=set(calls.values())).values_list(
            "pk", "organisation__name"
        )
    )
    found: dict[int, str | tuple[str, str]] = {}
    for entry in entries:
        data = entry.data if isinstance(entry.data, dict) else {}
        if entry.sequence in calls and calls[entry.sequence] in bodies:
            found[entry.sequence] = (bodies[calls[entry.sequence]], "responder")
        elif data.get("agenda_item_id"):
            found[entry.sequence] = (NHS_ENGLAND, "secretariat")
        else:
            found[entry.sequence] = (NHS_ENGLAND, "curator")
    return found


register_staff_actions("conversations.opened", role="curator", organisation_of=_opened_for)
