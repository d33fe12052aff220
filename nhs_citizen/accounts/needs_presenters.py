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
    status: str  # in words, for the secretariat
    tag: str  # the NHS.UK tag colour
    label: str  # the tag's word: Waiting, Overdue or Sent
    detail: str  # for the person: "We sent it on 4 December 2026."


def request_row(request, today: date) -> RequestRow:
    due = when_words(request.due_date)
    if request.is_done:
        sent = when_words(request.done_at, show="date")
        return RequestRow(
            request, False, f"Sent on {sent}", "green", "Sent", f"We sent it on {sent}."
        )
    if request.is_overdue(today):
        return RequestRow(
            request,
            True,
            f"Overdue: it was due by {due}",
            "red",
            "Overdue",
            f"We should have sent it by {due}. We are sorry it is late.",
        )
    return RequestRow(
        request, False, f"Waiting: due by {due}", "yellow", "Waiting", f"We will send it by {due}."
    )


def request_rows(requests: Iterable, today: date) -> list[RequestRow]:
    return [request_row(request, today) for request in requests]


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
