"""View models for the tracker: a commitment's status in words, with overdue ones in red."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from markupsafe import Markup

from nhs_citizen.core.dates import when_words
from nhs_citizen.core.words import count_words
from nhs_citizen.gather.services.calls import redact_personal_data
from nhs_citizen.tracker.models import OPEN_STATUSES, Commitment, CommitmentStatus
from nhs_citizen.tracker.queries import flag_title

COLOURS = {
    CommitmentStatus.NOT_STARTED: "grey",
    CommitmentStatus.IN_PROGRESS: "blue",
    CommitmentStatus.DONE: "green",
    CommitmentStatus.NOT_DONE: "orange",
    CommitmentStatus.WITHDRAWN: "grey",
}


def days(n: int) -> str:
    return count_words(n, "day")


def link_to(obj) -> str | None:
    """The object's page, or None while that page does not exist yet."""
    try:
        return obj.get_absolute_url()
    except (NoReverseMatch, AttributeError):
        return None


@dataclass
class Status:
    words: str  # the status, in words people use
    colour: str
    overdue: bool
    days_overdue: int
    detail: str  # one line about the due date


def status_of(commitment: Commitment, today: datetime.date | None = None) -> Status:
    today = today or timezone.localdate()
    label = CommitmentStatus(commitment.status).label
    is_open = commitment.status in OPEN_STATUSES
    if is_open and commitment.due_date < today:
        late = (today - commitment.due_date).days
        return Status(
            label,
            "red",
            True,
            late,
            f"{days(late)} overdue: it was due on {when_words(commitment.due_date, show='date')}",
        )
    if is_open:
        left = (commitment.due_date - today).days
        when = "today" if left == 0 else f"in {days(left)}"
        return Status(
            label,
            COLOURS[commitment.status],
            False,
            0,
            f"Due {when}, on {when_words(commitment.due_date, show='date')}",
        )
    if commitment.status == CommitmentStatus.WITHDRAWN:
        return Status(label, COLOURS[commitment.status], False, 0, withdrawn_words(commitment))
    finished = timezone.localdate(commitment.completed_at) if commitment.completed_at else None
    if commitment.status == CommitmentStatus.DONE:
        detail = f"Done on {when_words(finished, show='date')}" if finished else "Done"
        if finished and finished > commitment.due_date:
            detail += f", {days((finished - commitment.due_date).days)} after it was due"
    else:
        detail = f"Not done. It was due on {when_words(commitment.due_date, show='date')}"
    return Status(label, COLOURS[commitment.status], False, 0, detail)


def withdrawn_words(commitment: Commitment) -> str:
    """How a withdrawn commitment is shown everywhere: "Withdrawn: <the public reason>"."""
    reason = " ".join((commitment.withdrawn_reason or "").split())
    return f"Withdrawn: {reason}" if reason else "Withdrawn"


@dataclass
class CommitmentRow:
    commitment: Commitment
    status: Status
    original_due_date: datetime.date | None
    latest_update_at: datetime.datetime | None
    latest_update_note: str


def commitment_rows(commitments, today: datetime.date | None = None) -> list[CommitmentRow]:
    """For lists built from ``queries.commitments`` (which annotates the latest update)."""
    today = today or timezone.localdate()
    return [
        CommitmentRow(
            c,
            status_of(c, today),
            getattr(c, "original_due_date", None),
            getattr(c, "latest_update_at", None),
            getattr(c, "latest_update_note", None) or "",
        )
        for c in commitments
    ]


@dataclass
class SourceLink:
    text: str
    href: str | None


def source_link(commitment: Commitment) -> SourceLink:
    """Where the commitment was made, in words, with a link."""
    if commitment.board_response_id:
        response = commitment.board_response
        if response.agenda_item_id:
            text = f"The NHS England Board's response to the Assembly item “{response.agenda_item.title}”"
        else:
            text = f"The NHS England Board's response to the Citizen Panel on “{response.commission.question}”"
        return SourceLink(text, response.get_absolute_url())
    if commitment.referral_response_id:
        answer = commitment.referral_response
        return SourceLink(
            f"{answer.referral.organisation.name}'s answer to the flag “{flag_title(answer.referral.flag)}”",
            reverse("tracker:answer_detail", args=[answer.pk]),
        )
    call = commitment.call_for_views
    return SourceLink(
        f"{call.organisation.name}'s call for views “{call.title}”",
        reverse("tracker:call_outcome", args=[call.pk]),
    )


def cached_field(bound_field, *key_parts, timeout: int = 600) -> Markup:
    """A form field's HTML, made once and kept in the cache: for a select with an option per
    NHS body (about a thousand), which takes longer to write out than the rest of the page.
    A field showing an error is always made afresh."""
    if bound_field.errors:
        return Markup(str(bound_field))
    value = bound_field.value()
    raw = "|".join(str(part) for part in (bound_field.html_name, value, *key_parts))
    key = "tracker:field:" + hashlib.sha256(raw.encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        html = str(bound_field)
        cache.set(key, html, timeout)
    return Markup(html)


def public_comment(text: str) -> str:
    """A comment shown without a name: personal details are taken out too."""
    return redact_personal_data(text)
