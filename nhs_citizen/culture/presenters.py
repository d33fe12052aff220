"""View models for the culture-change pages: figures in words, rows for the lists behind them,
and the same figures as open data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from nhs_citizen.core.models import OrganisationType
from nhs_citizen.core.words import count_words
from nhs_citizen.culture import measures
from nhs_citizen.culture.models import Teller
from nhs_citizen.culture.services.measures import Filters, Period
from nhs_citizen.gather.models import Referral, ReferralStatus
from nhs_citizen.tracker.models import Commitment, CommitmentStatus

NO_ANSWERS_DUE = "No answers due yet"
NO_COMMITMENTS_DUE = "No commitments due yet"
NO_ANSWERS_YET = "No answers yet"

HOW_WE_RANK = (
    "Bodies that answered a bigger share of their flags on time come first. If two bodies "
    "have the same share, the one that kept a bigger share of its commitments comes first. "
    "If both are the same, they share a place. A body with no answers due yet comes after "
    "every body with some, and the same for commitments. Bodies with nothing due yet are "
    "not ranked."
)


def share_text(share: measures.Share, empty: str) -> str:
    if share.percent is None:
        return empty
    return f"{share.percent}% ({share.part} of {share.whole})"


def number(value: Fraction | None) -> float | int | None:
    """A median as a plain number: 10, or 10.5."""
    if value is None:
        return None
    return int(value) if value.denominator == 1 else float(value)


def days_text(value: Fraction | None) -> str:
    if value is None:
        return NO_ANSWERS_YET
    n = number(value)
    return count_words(n, "day")


def told_by(story) -> str:
    """ "Told by Sam, a patient, carer or member of the public", or for a story a community
    helper recorded for someone offline, "Recorded by Healthwatch Leeds for a local resident"
    (never the person's name, nor the helper's)."""
    record = getattr(story, "on_behalf", None)
    if record is not None:
        return f"Recorded by {record.organisation.name} for a local resident"
    return f"Told by {story.author.public_name}, {teller_phrase(story)}"


def teller_phrase(story) -> str:
    """As in "told by Sam, a member of NHS staff"."""
    if story.teller == Teller.STAFF:
        return "a member of NHS staff"
    return "a patient, carer or member of the public"


def period_label(filters: Filters) -> str:
    return dict(Period.CHOICES)[filters.period]


def table_caption(filters: Filters) -> str:
    kind = OrganisationType(filters.kind).label if filters.kind else "NHS and public bodies"
    return f"{kind}: {period_label(filters).lower()}"


def body_url(slug: str, filters: Filters | None = None) -> str:
    url = reverse("culture:body_detail", args=[slug])
    if filters and filters.period != Period.ALL_TIME:
        url += f"?period={filters.period}"
    return url


# Open data: one flat row per body, the same figures as the league table --------------------------
OPEN_DATA_FIELDS = [
    "place",
    "organisation",
    "slug",
    "kind",
    "flags_sent",
    "answered",
    "answered_on_time",
    "answers_due",
    "percent_answered_on_time",
    "median_days_to_answer",
    "waiting_for_an_answer",
    "answers_overdue",
    "commitments_made",
    "commitments_kept",
    "commitments_not_done",
    "commitments_open",
    "commitments_overdue",
    "commitments_due",
    "percent_commitments_kept",
    "recognised",
    "page",
]


def open_data_row(row: measures.Ranked, site_url: str) -> dict[str, Any]:
    m = row.measures
    r, c = m.referrals, m.commitments
    return {
        "place": row.place,
        "organisation": m.body.name,
        "slug": m.body.slug,
        "kind": m.body.kind,
        "flags_sent": r.received,
        "answered": r.answered,
        "answered_on_time": r.answered_on_time,
        "answers_due": m.answers_due,
        "percent_answered_on_time": m.answered_on_time.percent,
        "median_days_to_answer": number(m.median_days_to_answer),
        "waiting_for_an_answer": r.waiting,
        "answers_overdue": r.overdue,
        "commitments_made": c.made,
        "commitments_kept": c.kept,
        "commitments_not_done": c.not_done,
        "commitments_open": c.open,
        "commitments_overdue": c.overdue,
        "commitments_due": m.commitments_due,
        "percent_commitments_kept": m.commitments_kept.percent,
        "recognised": bool(m.recognition),
        "page": site_url + body_url(m.body.slug),
    }


# The lists behind a body's figures ------------------------------------------------------------
def _commitment_url(commitment: Commitment) -> str | None:
    # The tracker's pages may not be there yet; the list still works without the link.
    try:
        return commitment.get_absolute_url()
    except NoReverseMatch:
        return None


@dataclass
class ReferralRow:
    referral: Referral
    today: dt.date

    @property
    def flag_title(self) -> str | None:
        """None when a moderator has hidden the flag: its title is not shown either."""
        flag = self.referral.flag
        return None if flag.hidden_at else flag.title

    @property
    def response(self):
        return getattr(self.referral, "response", None)

    @property
    def answered_on(self) -> dt.date | None:
        return timezone.localtime(self.response.created_at).date() if self.response else None

    @property
    def days_to_answer(self) -> int | None:
        if self.answered_on is None:
            return None
        return (self.answered_on - timezone.localtime(self.referral.referred_at).date()).days

    @property
    def status(self) -> tuple[str, str]:
        """(words, tag colour)."""
        if self.response is not None:
            passed = self.referral.status == ReferralStatus.PASSED_ON
            words = "Passed on" if passed else "Answered"
            if self.response.on_time:
                return f"{words} on time", "green"
            return f"{words} late", "orange"
        if self.referral.is_overdue(self.today):
            return "Overdue", "red"
        return "Waiting for an answer", "yellow"


@dataclass
class CommitmentRow:
    commitment: Commitment
    today: dt.date

    @property
    def url(self) -> str | None:
        return _commitment_url(self.commitment)

    @property
    def status(self) -> tuple[str, str]:
        commitment = self.commitment
        if commitment.is_overdue(self.today):
            return "Overdue", "red"
        colours = {
            CommitmentStatus.DONE: "green",
            CommitmentStatus.NOT_DONE: "grey",
            CommitmentStatus.IN_PROGRESS: "blue",
            CommitmentStatus.NOT_STARTED: "white",
        }
        return commitment.get_status_display(), colours[commitment.status]
