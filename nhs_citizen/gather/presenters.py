"""View models for Gather: one plain status line per flag, cards for lists, the timeline."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from nhs_citizen.core.models import AuditEntry
from nhs_citizen.gather.models import Flag, FlagStatus, Outcome, Referral, ReferralStatus


def _date(value) -> str:
    return f"{value.day} {value:%B %Y}"


def current_referral(flag: Flag) -> Referral | None:
    """The newest referral, from prefetched referrals when the list view loaded them."""
    referrals = list(flag.referrals.all())
    return max(referrals, key=lambda r: (r.referred_at, r.pk)) if referrals else None


def status_line(flag: Flag, today=None) -> tuple[str, str]:
    """(words, tag colour). Words people use, one line."""
    today = today or timezone.localdate()
    threshold = settings.NHS_CITIZEN["SUPPORT_THRESHOLD"]
    if flag.is_hidden:
        return "Hidden by a moderator", "grey"
    if flag.status == FlagStatus.OPEN:
        return f"Gathering support: {flag.support_count} of {threshold} supporters", "blue"
    if flag.status == FlagStatus.IN_REVIEW:
        return "Being reviewed by the independent review panel", "purple"
    if flag.status == FlagStatus.SHORTLISTED:
        return "Shortlisted for the Assembly", "green"
    if flag.status == FlagStatus.CLOSED:
        return "Closed by the review panel", "grey"
    if flag.status == FlagStatus.MERGED:
        return "Merged into another flag", "grey"
    referral = current_referral(flag)
    if flag.status == FlagStatus.REFERRED and referral is not None:
        if referral.is_overdue(today):
            return (
                f"Overdue: {referral.organisation.name} should have answered by {_date(referral.due_date)}",
                "red",
            )
        return (
            f"Waiting for {referral.organisation.name} to answer by {_date(referral.due_date)}",
            "yellow",
        )
    if flag.status == FlagStatus.ANSWERED and referral is not None:
        response = getattr(referral, "response", None)
        if response is not None:
            return (
                f"{referral.organisation.name} has answered: {Outcome(response.outcome).label.lower()}",
                "green",
            )
    return FlagStatus(flag.status).label, "grey"


@dataclass
class FlagCard:
    flag: Flag
    status: str
    colour: str
    comment_count: int = 0


def flag_cards(flags) -> list[FlagCard]:
    cards = []
    for flag in flags:
        words, colour = status_line(flag)
        cards.append(FlagCard(flag, words, colour, getattr(flag, "comment_count", 0)))
    return cards


TIMELINE_LIMIT = 100


def timeline(flag: Flag) -> list[AuditEntry]:
    """Everything public that happened to this flag and to flags merged into it, oldest first
    (the first 100 events)."""
    merged = flag.merged_flags.values_list("pk", flat=True)[:TIMELINE_LIMIT]
    ids = [str(flag.pk), *(str(pk) for pk in merged)]
    return list(
        AuditEntry.objects.public()
        .filter(target_type="gather.flag", target_id__in=ids)
        .select_related("actor")
        .order_by("sequence")[:TIMELINE_LIMIT]
    )


@dataclass
class Thread:
    comment: object
    replies: list


def threads_page(request, flag: Flag, per_page: int = 50):
    """A page of the discussion: up to ``per_page`` threads, oldest first, with their replies.
    Two queries whatever the number of comments; the page after is found by key."""
    from nhs_citizen.core.pagination import keyset_page
    from nhs_citizen.gather.models import Comment

    page, pagination = keyset_page(
        request,
        Comment.objects.filter(flag=flag, parent__isnull=True).select_related("author"),
        ("created_at", "pk"),
        per_page=per_page,
    )
    replies: dict[int, list] = {}
    if page.object_list:
        for reply in (
            Comment.objects.filter(parent__in=[c.pk for c in page.object_list])
            .select_related("author")
            .order_by("created_at", "pk")
        ):
            replies.setdefault(reply.parent_id, []).append(reply)
    page.object_list = [Thread(c, replies.get(c.pk, [])) for c in page.object_list]
    if pagination:
        for key, text in (("previous", "Earlier comments"), ("next", "Later comments")):
            if key in pagination:
                pagination[key]["text"] = text
                pagination[key]["href"] += "#discussion"
    return page, pagination


def referral_rows(referrals) -> list[dict]:
    today = timezone.localdate()
    rows = []
    for referral in referrals:
        rows.append(
            {
                "referral": referral,
                "overdue": referral.is_overdue(today),
                "answered": referral.status != ReferralStatus.AWAITING,
            }
        )
    return rows
