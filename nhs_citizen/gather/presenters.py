"""View models for Gather: one plain status line per flag, cards for lists, the timeline."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from nhs_citizen.core.dates import when_words
from nhs_citizen.core.models import AuditEntry
from nhs_citizen.gather.models import Flag, FlagStatus, Outcome, Referral, ReferralStatus


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
                f"Overdue: {referral.organisation.name} should have answered by {when_words(referral.due_date, show='date')}",
                "red",
            )
        return (
            f"Waiting for {referral.organisation.name} to answer by {when_words(referral.due_date, show='date')}",
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


def timeline(
    flag: Flag, limit: int = TIMELINE_LIMIT, newest_first: bool = False
) -> list[AuditEntry]:
    """Everything public that happened to this flag and to flags merged into it, oldest first
    (the first 100 events), or newest first (the latest ``limit``) for its feed."""
    merged = flag.merged_flags.values_list("pk", flat=True)[:TIMELINE_LIMIT]
    ids = [str(flag.pk), *(str(pk) for pk in merged)]
    return list(
        AuditEntry.objects.public()
        .filter(target_type="gather.flag", target_id__in=ids)
        .select_related("actor")
        .order_by("-sequence" if newest_first else "sequence")[:limit]
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


# The accountability loop on the flag's page ----------------------------------------------------

COMMITMENTS_SHOWN = 50


@dataclass
class CommitmentOnFlag:
    """A commitment as the flag's page shows it: what, who, its status in words, a link."""

    commitment: object
    status: object  # tracker.presenters.Status
    href: str
    withdrawn: bool


@dataclass
class LoopLink:
    text: str
    href: str


def loop(flag: Flag, rows: list[dict]) -> dict:
    """Each answer and commitment in place on the flag's page, with a link to it on the
    tracker. ``rows`` are ``referral_rows`` of the flag's referrals: each answered one gets
    ``answer_href`` and its ``commitments``. Commitments made elsewhere (by the Board, when
    the flag went to the Assembly) come back as ``board_commitments``. One query.

    The tracker builds on Gather, so its presenter is imported here, when it is needed."""
    from django.urls import reverse

    from nhs_citizen.tracker.presenters import status_of

    today = timezone.localdate()
    made = list(
        flag.commitments.select_related("organisation").order_by("created_at", "pk")[
            : COMMITMENTS_SHOWN + 1
        ]
    )
    more = len(made) > COMMITMENTS_SHOWN
    made = made[:COMMITMENTS_SHOWN]
    by_answer: dict[int, list[CommitmentOnFlag]] = {}
    board: list[CommitmentOnFlag] = []
    for commitment in made:
        shown = CommitmentOnFlag(
            commitment,
            status_of(commitment, today),
            commitment.get_absolute_url(),
            commitment.status == "withdrawn",
        )
        if commitment.referral_response_id:
            by_answer.setdefault(commitment.referral_response_id, []).append(shown)
        else:
            board.append(shown)
    answer_of: dict[int, int] = {}
    for row in rows:
        response = getattr(row["referral"], "response", None)
        row["commitments"] = []
        row["answer_href"] = None
        if response is not None:
            answer_of[row["referral"].pk] = response.pk
            row["answer_href"] = reverse("tracker:answer_detail", args=[response.pk])
            row["commitments"] = by_answer.get(response.pk, [])
    return {
        "board_commitments": board,
        "answer_of": answer_of,
        "more": more,
    }


def timeline_links(entries: list[AuditEntry], answer_of: dict[int, int]) -> list[tuple]:
    """(entry, link or None) for the timeline: an answer links to the answer on the tracker,
    a commitment made, updated or withdrawn links to the commitment."""
    from django.urls import reverse

    out = []
    for entry in entries:
        data = entry.data or {}
        link = None
        if entry.action.startswith("tracker.commitment_") and data.get("commitment_id"):
            link = LoopLink(
                "See the commitment on the tracker",
                reverse("tracker:commitment_detail", args=[data["commitment_id"]]),
            )
        elif entry.action == "tracker.board_response_recorded" and data.get("board_response_id"):
            link = LoopLink(
                "See the Board's response on the tracker",
                reverse("tracker:board_response", args=[data["board_response_id"]]),
            )
        elif entry.action == "gather.referral_answered" and data.get("referral_id") in answer_of:
            link = LoopLink(
                "See the answer on the tracker",
                reverse("tracker:answer_detail", args=[answer_of[data["referral_id"]]]),
            )
        out.append((entry, link))
    return out
