"""The public audit log, credited as the /audit-log/ page credits it (ADR 0026): staff by
organisation and role, never by name; a citizen's own public action by the name they chose to
show. Only public entries. The whole chain with every hash, for checking it, is the open-data
file at /open-data/audit-log.json."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema

from nhs_citizen.api.conventions import mark_last_modified
from nhs_citizen.api.listing import ListParams, listing
from nhs_citizen.api.schemas import ERRORS, LIST_ERRORS, Envelope
from nhs_citizen.core.models import AuditEntry
from nhs_citizen.core.presenters import audit_rows

router = Router()


class AuditEntryOut(Schema):
    sequence: int
    created_at: dt.datetime
    who: str
    action: str
    summary: str
    target_type: str
    target_id: str
    reason: str
    previous_hash: str
    entry_hash: str


class AuditEntryList(Envelope):
    results: list[AuditEntryOut]


def _present(entries: list[AuditEntry]) -> list[dict]:
    return [
        {
            "sequence": row.entry.sequence,
            "created_at": row.entry.created_at,
            "who": row.who,
            "action": row.entry.action,
            "summary": row.entry.summary,
            "target_type": row.entry.target_type,
            "target_id": row.entry.target_id,
            "reason": row.entry.reason,
            "previous_hash": row.entry.previous_hash,
            "entry_hash": row.entry.entry_hash,
        }
        for row in audit_rows(entries)
    ]


def _entries():
    return AuditEntry.objects.public().select_related("actor")


@router.get("", response={200: AuditEntryList, **LIST_ERRORS}, summary="Audit log")
def entry_list(request: HttpRequest, params: Query[ListParams]):
    """Public entries, oldest first, by entry number. `changed_since`: entries made since then
    (entries never change)."""
    return listing(
        request,
        _entries(),
        "audit-log",
        params,
        _present,
        changed=lambda qs, since: qs.filter(created_at__gte=since),
        changed_at=lambda e: e.created_at,
        key="sequence",
    )


@router.get("/{int:sequence}", response={200: AuditEntryOut, **ERRORS}, summary="One entry")
def entry_detail(request: HttpRequest, sequence: int):
    entry = _entries().filter(sequence=sequence).first()
    if entry is None:
        raise Http404
    mark_last_modified(request, entry.created_at)
    return _present([entry])[0]
