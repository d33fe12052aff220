"""The audit log: public entries for everyone, the full log for administrators."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from rules.contrib.views import permission_required

from nhs_citizen.core.models import AuditEntry
from nhs_citizen.core.pagination import paginate
from nhs_citizen.core.presenters import audit_rows
from nhs_citizen.core.services.audit import audit_head


def audit_log(request: HttpRequest) -> HttpResponse:
    entries = AuditEntry.objects.public().select_related("actor").order_by("-sequence")
    page, pagination = paginate(request, entries, per_page=25)
    return render(
        request,
        "core/audit/audit_log.jinja",
        {
            "page_title": "Audit log",
            "rows": audit_rows(page.object_list),
            "page": page,
            "pagination": pagination,
            "head": audit_head(),
            "full_log": False,
        },
    )


@permission_required("core.view_full_audit_log", raise_exception=True)
def full_audit_log(request: HttpRequest) -> HttpResponse:
    entries = AuditEntry.objects.select_related("actor").order_by("-sequence")
    page, pagination = paginate(request, entries, per_page=50)
    return render(
        request,
        "core/audit/audit_log.jinja",
        {
            "page_title": "Full audit log",
            "rows": audit_rows(page.object_list, show_private=True),
            "page": page,
            "pagination": pagination,
            "head": audit_head(),
            "full_log": True,
        },
    )


def audit_log_json(request: HttpRequest) -> JsonResponse:
    """Open data: every link of the chain, with the content of public entries.

    Private entries show only their number and hashes, which is enough to check that the
    chain is unbroken without revealing what they say."""
    data = []
    for entry in (
        AuditEntry.objects.select_related("actor").order_by("sequence").iterator(chunk_size=2000)
    ):
        row = {
            "sequence": entry.sequence,
            "previous_hash": entry.previous_hash,
            "entry_hash": entry.entry_hash,
            "is_public": entry.is_public,
        }
        if entry.is_public:
            row.update(
                {
                    "created_at": entry.created_at.isoformat(),
                    "actor_id": None if entry.action.startswith("moderation.") else entry.actor_id,
                    "actor": _public_actor(entry),
                    "action": entry.action,
                    "summary": entry.summary,
                    "target_type": entry.target_type,
                    "target_id": entry.target_id,
                    "reason": entry.reason,
                    "data": entry.data,
                }
            )
        data.append(row)
    response = JsonResponse(
        {"head": _head_json(), "entries": data}, json_dumps_params={"ensure_ascii": False}
    )
    response["Content-Disposition"] = 'attachment; filename="nhs-citizen-audit-log.json"'
    return response


def _public_actor(entry) -> str | None:
    if entry.actor is None:
        return None
    if entry.action.startswith("moderation."):
        return "A moderator"
    return entry.actor.public_name


def _head_json() -> dict:
    head = audit_head()
    return {
        "sequence": head["sequence"],
        "entry_hash": head["entry_hash"],
        "created_at": head["created_at"].isoformat() if head["created_at"] else None,
    }
