"""The audit log: public entries for everyone, the full log for administrators, open data.

Pages go by entry number (keyset pagination, newest first): ``?before=N`` shows the entries
older than N, ``?after=N`` those newer, ``?entry=N`` the page that starts at entry N. Each page
costs the same few queries however long the log grows; the head's number is the count.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from rules.contrib.views import permission_required

from nhs_citizen.core import streaming
from nhs_citizen.core.models.audit import AuditCheckpoint, AuditEntry
from nhs_citizen.core.presenters import audit_rows
from nhs_citizen.core.queries import audit_export_rows
from nhs_citizen.core.services.audit import audit_head, latest_checkpoints

# Sequence numbers are stored in a 64-bit column; anything bigger is simply "past the end".
_LARGEST_SEQUENCE = 10**15


def _sequence_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "").strip()
    if not value.isdigit() or len(value) > 18:
        return None
    return min(int(value), _LARGEST_SEQUENCE)


@dataclass
class _EntryPage:
    entries: list[AuditEntry]
    pagination: dict[str, Any] | None
    goto_error: str = ""


def _href(request: HttpRequest, name: str, value: int) -> str:
    query = request.GET.copy()
    for key in ("before", "after", "entry", "page"):
        query.pop(key, None)
    query[name] = str(value)
    return "?" + query.urlencode()


def _any_beyond(
    entries: QuerySet, *, older_than: int | None = None, newer_than: int | None = None
) -> bool:
    """Whether there is an entry past this one. Ordered, so the database walks the sequence
    index from here (an unordered EXISTS may scan the table from the wrong end)."""
    if older_than is not None:
        nearest = entries.filter(sequence__lt=older_than).order_by("-sequence")
    else:
        nearest = entries.filter(sequence__gt=newer_than).order_by("sequence")
    return bool(nearest.values_list("sequence", flat=True)[:1])


def _entry_page(request: HttpRequest, entries: QuerySet, per_page: int) -> _EntryPage:
    """One page of entries, newest first, chosen by entry number: three queries at most."""
    goto_error = ""
    raw_goto = request.GET.get("entry", "").strip()
    goto = _sequence_param(request, "entry")
    if raw_goto and goto is None:
        goto_error = "Enter an entry number using digits only, like 42"
    before = _sequence_param(request, "before")
    after = _sequence_param(request, "after")
    if goto is not None:
        before, after = goto + 1, None

    rows: list[AuditEntry] = []
    if after is not None:
        rows = list(entries.filter(sequence__gt=after).order_by("sequence")[: per_page + 1])
        has_newer = len(rows) > per_page
        rows = rows[:per_page][::-1]
        has_older = bool(rows) and _any_beyond(entries, older_than=rows[-1].sequence)
    if not rows and before is not None:
        rows = list(entries.filter(sequence__lt=before).order_by("-sequence")[: per_page + 1])
        has_older = len(rows) > per_page
        rows = rows[:per_page]
        has_newer = bool(rows) and _any_beyond(entries, newer_than=rows[0].sequence)
    if not rows:
        rows = list(entries.order_by("-sequence")[: per_page + 1])
        has_older = len(rows) > per_page
        rows = rows[:per_page]
        has_newer = False

    pagination: dict[str, Any] = {}
    if has_newer:
        pagination["previous"] = {
            "href": _href(request, "after", rows[0].sequence),
            "text": "Newer entries",
        }
    if has_older:
        pagination["next"] = {
            "href": _href(request, "before", rows[-1].sequence),
            "text": "Older entries",
        }
    return _EntryPage(rows, pagination or None, goto_error)


def _render_log(
    request: HttpRequest, entries: QuerySet, *, full_log: bool, per_page: int
) -> HttpResponse:
    page = _entry_page(request, entries.select_related("actor"), per_page)
    return render(
        request,
        "core/audit/audit_log.jinja",
        {
            "page_title": "Full audit log" if full_log else "Audit log",
            "rows": audit_rows(page.entries, show_private=full_log),
            "pagination": page.pagination,
            "goto_error": page.goto_error,
            "goto_value": request.GET.get("entry", "")[:20],
            "head": audit_head(),
            "checkpoints": latest_checkpoints(5),
            "full_log": full_log,
        },
    )


def audit_log(request: HttpRequest) -> HttpResponse:
    return _render_log(request, AuditEntry.objects.public(), full_log=False, per_page=25)


@permission_required("core.view_full_audit_log", raise_exception=True)
def full_audit_log(request: HttpRequest) -> HttpResponse:
    return _render_log(request, AuditEntry.objects.all(), full_log=True, per_page=50)


# Open data -----------------------------------------------------------------------------------


def _head_json(head: dict[str, Any]) -> dict[str, Any]:
    return {
        "sequence": head["sequence"],
        "entry_hash": head["entry_hash"],
        "created_at": head["created_at"].isoformat() if head["created_at"] else None,
    }


def _checkpoints_json() -> list[dict[str, Any]]:
    return [
        {
            "sequence": checkpoint.sequence,
            "entry_hash": checkpoint.entry_hash,
            "created_at": checkpoint.signed_time,
        }
        for checkpoint in AuditCheckpoint.objects.order_by("sequence")
    ]


def audit_log_json(request: HttpRequest) -> StreamingHttpResponse:
    """Open data: ``{"head": …, "checkpoints": […], "entries": […]}``, streamed as it is read.

    The head is read first and the entries stop at it, so the file is one consistent picture:
    the last entry's hash is the head's."""
    head = audit_head()
    document = streaming.json_document(
        {"head": _head_json(head), "checkpoints": _checkpoints_json()},
        "entries",
        audit_export_rows(head["sequence"]),
    )
    return streaming.download(document, streaming.JSON, "nhs-citizen-audit-log.json")


def audit_log_jsonl(request: HttpRequest) -> StreamingHttpResponse:
    """Open data as JSON Lines: one entry per line, oldest first, the same fields as the JSON."""
    head = audit_head()
    lines = streaming.json_lines(audit_export_rows(head["sequence"]))
    return streaming.download(lines, streaming.JSONL, "nhs-citizen-audit-log.jsonl")
