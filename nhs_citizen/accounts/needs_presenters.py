"""What the pages say about requests for other formats and about your own needs (ADR 0036)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.http import HttpRequest

from nhs_citizen.accounts import needs as terms
from nhs_citizen.core.dates import when_words


@dataclass(frozen=True)
class RequestRow:
    request: Any
    overdue: bool
    status: str  # in words, for the person and the secretariat
    tag: str  # the NHS.UK tag colour


def request_status(request, today: date) -> tuple[str, str, bool]:
    if request.is_done:
        return f"Sent on {when_words(request.done_at, show='date')}", "green", False
    if request.is_overdue(today):
        return f"Overdue: it was due by {when_words(request.due_date)}", "red", True
    return f"Waiting: due by {when_words(request.due_date)}", "yellow", False


def request_rows(requests: Iterable, today: date) -> list[RequestRow]:
    rows = []
    for request in requests:
        status, tag, overdue = request_status(request, today)
        rows.append(RequestRow(request=request, overdue=overdue, status=status, tag=tag))
    return rows


def your_needs_section(request: HttpRequest) -> dict[str, Any]:
    """The "Your communication needs" section of your account page: your needs and the
    documents you asked for in other formats, with where each has got to."""
    from django.utils import timezone

    from nhs_citizen.accounts.models import FormatRequest
    from nhs_citizen.accounts.needs_services import needs_of

    record = needs_of(request.user)
    asked = FormatRequest.objects.filter(requester=request.user).order_by("-requested_at", "-pk")
    return {
        "your_needs": (
            terms.need_labels(record.needs, record.language, record.something_else)
            if record
            else []
        ),
        "your_format_requests": request_rows(asked[:20], timezone.localdate()),
    }
