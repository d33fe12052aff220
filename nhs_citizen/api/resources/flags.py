"""Flags: the Gather list with its filters and search, and one flag with its timeline, answers
and commitments. The same rules as the site: merged flags are not listed, a hidden flag keeps
only its placeholder (number, status and the moderator's reason), and search looks only at
flags that are not hidden."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from nhs_citizen.api import changes
from nhs_citizen.api.conventions import BadParameter, mark_last_modified
from nhs_citizen.api.listing import ListParams, listing
from nhs_citizen.api.schemas import ERRORS, LIST_ERRORS, Envelope
from nhs_citizen.assisted.public import public_raiser, with_public_raiser
from nhs_citizen.core.presenters import audit_rows
from nhs_citizen.gather import queries as gather_queries
from nhs_citizen.gather.models import (
    Comment,
    Evidence,
    Flag,
    FlagStatus,
    Referral,
    ReferralStatus,
    Response,
    ReviewDecision,
)
from nhs_citizen.gather.models import Roundup as Roundup_
from nhs_citizen.gather.presenters import status_line, timeline
from nhs_citizen.gather.search import search_flags

router = Router()


class Named(Schema):
    slug: str
    name: str


class FlagOut(Schema):
    id: int
    url: str
    hidden: bool
    hidden_reason: str | None
    status: str
    status_line: str
    title: str | None
    what_should_change: str | None
    why: str | None
    topic: Named | None
    scope: str | None
    place: str | None
    region: str | None
    icb_area: str | None
    raised_by: str | None = Field(
        description=(
            "The name the person chose to show; for a flag recorded for someone who is "
            'offline, who recorded it ("Recorded by Healthwatch Leeds for a local resident").'
        )
    )
    raised_for: str | None = Field(description="The organisation it was raised for, if any.")
    raised_at: dt.datetime
    last_activity_at: dt.datetime
    supporters: int | None
    merged_into: int | None


class FlagList(Envelope):
    results: list[FlagOut]


class Decision(Schema):
    decision: str
    is_national: bool
    within_remit: bool
    reasons: str
    decided_at: dt.datetime


class Answer(Schema):
    outcome: str
    reasons: str
    responsible_organisation: str | None
    answered_at: dt.datetime
    on_time: bool


class ReferralOut(Schema):
    organisation: str
    organisation_slug: str
    referred_at: dt.datetime
    due_date: dt.date
    status: str
    overdue: bool
    answer: Answer | None


class CommitmentBrief(Schema):
    id: int
    url: str
    what: str
    body: str
    status: str
    due_date: dt.date


class TimelineEntry(Schema):
    sequence: int
    at: dt.datetime
    who: str
    action: str
    summary: str
    reason: str


class Roundup(Schema):
    change_needed: str
    action: str
    who_should_act: str
    updated_at: dt.datetime


class EvidenceOut(Schema):
    id: int
    hidden: bool
    hidden_reason: str | None
    title: str | None
    url: str | None = Field(description="The link, or the address of the uploaded file.")
    file_type: str | None
    file_size: int | None
    added_at: dt.datetime


class FlagDetail(FlagOut):
    review_decisions: list[Decision]
    referrals: list[ReferralOut]
    commitments: list[CommitmentBrief]
    timeline: list[TimelineEntry]
    roundup: Roundup | None = Field(description="A curator's summary, if there is one.")
    evidence: list[EvidenceOut] = Field(description="The first 100 pieces, oldest first.")


class CommentOut(Schema):
    id: int
    parent_id: int | None = Field(description="The comment this one replies to.")
    hidden: bool
    hidden_reason: str | None
    author: str | None = Field(description="The name the person chose to show.")
    stance: str | None
    text: str | None
    posted_at: dt.datetime


class CommentList(Envelope):
    results: list[CommentOut]


class FlagParams(ListParams):
    status: str | None = Field(None, description="One of: " + ", ".join(FlagStatus.values[:-1]))
    area: str | None = Field(
        None, description="An NHS region or ICB by its ODS code: region:Y56 or icb:QMJ."
    )
    topic: str | None = Field(None, description="A topic's slug, as in /api/v1/flags topic.slug.")
    body: str | None = Field(None, description="Flags sent to this organisation (its slug).")
    q: str | None = Field(None, max_length=200, description="Words to search for.")


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _flag(flag: Flag) -> dict:
    words, _ = status_line(flag)
    common = {
        "id": flag.pk,
        "url": _absolute(flag.get_absolute_url()),
        "hidden": flag.is_hidden,
        "status": flag.status,
        "status_line": words,
        "raised_at": flag.created_at,
        "last_activity_at": flag.last_activity_at,
        "merged_into": flag.merged_into_id,
    }
    if flag.is_hidden:
        empty = dict.fromkeys(
            (
                "title what_should_change why topic scope place region icb_area raised_by "
                "raised_for supporters"
            ).split()
        )
        return {**common, **empty, "hidden_reason": flag.hidden_reason}
    return {
        **common,
        "hidden_reason": None,
        "title": flag.title,
        "what_should_change": flag.what_should_change,
        "why": flag.why,
        "topic": {"slug": flag.topic.slug, "name": flag.topic.name},
        "scope": flag.scope,
        "place": flag.place,
        "region": flag.region.name if flag.region_id else None,
        "icb_area": flag.icb.name if flag.icb_id else None,
        "raised_by": public_raiser(flag),
        "raised_for": flag.raised_for.name if flag.raised_for_id else None,
        "supporters": flag.support_count,
    }


def _referrals() -> Prefetch:
    return Prefetch(
        "referrals",
        queryset=Referral.objects.select_related(
            "organisation", "response__responsible_organisation"
        ).order_by("referred_at", "pk"),
    )


def _commitments_about():
    from nhs_citizen.tracker.models import Commitment

    return Commitment.objects.filter(flag=OuterRef("pk"))


# What a flag shows that has times of its own: each is a change to the flag.
CHANGE_TIMES = (
    "last_activity_at",
    "hidden_at",
    "last_decision_at",
    "last_referral_at",
    "last_answer_at",
    "last_commitment_at",
    "last_event_at",
    "last_evidence_at",
    "roundup_at",
)


def _flags():
    return (
        with_public_raiser(Flag.objects.all())
        .select_related("topic", "region", "icb__region", "raised_by", "raised_for")
        .defer("embedding")
        .prefetch_related(_referrals())
        .annotate(
            last_decision_at=changes.newest(
                ReviewDecision.objects.filter(flag=OuterRef("pk")), "created_at"
            ),
            last_referral_at=changes.newest(
                Referral.objects.filter(flag=OuterRef("pk")), "referred_at"
            ),
            last_answer_at=changes.newest(
                Response.objects.filter(referral__flag=OuterRef("pk")), "created_at"
            ),
            last_commitment_at=changes.newest(_commitments_about(), "updated_at"),
            last_event_at=changes.last_audited(Flag),
            last_evidence_at=changes.newest(
                Evidence.objects.filter(flag=OuterRef("pk")), "created_at"
            ),
            roundup_at=changes.newest(Roundup_.objects.filter(flag=OuterRef("pk")), "updated_at"),
        )
    )


def _changed(queryset, since):
    """Flags with any activity (support, comments, a status), hidden, reviewed, referred,
    answered, a commitment made or updated about them, any public event on their timeline
    (put back by a moderator, merged, moved on), evidence added or hidden, a comment hidden,
    the roundup written, or a referral gone overdue since then."""
    about = OuterRef("pk")
    return queryset.filter(
        Q(last_activity_at__gte=since)
        | Q(hidden_at__gte=since)
        | Exists(ReviewDecision.objects.filter(flag=about, created_at__gte=since))
        | Exists(Referral.objects.filter(flag=about, referred_at__gte=since))
        | Exists(Response.objects.filter(referral__flag=about, created_at__gte=since))
        | Exists(_commitments_about().filter(updated_at__gte=since))
        | changes.audited_since(Flag, since)
        | Exists(Comment.objects.filter(flag=about, hidden_at__gte=since))
        | Exists(
            Evidence.objects.filter(Q(created_at__gte=since) | Q(hidden_at__gte=since), flag=about)
        )
        | Exists(Roundup_.objects.filter(flag=about, updated_at__gte=since))
        | Exists(
            Referral.objects.filter(
                changes.days_passed_since(since, "due_date"),
                flag=about,
                status=ReferralStatus.AWAITING,
            )
        )
    )


def flag_changed_at(flag: Flag):
    return changes.newest_of(flag, *CHANGE_TIMES)


def _filtered(params: FlagParams):
    flags = _flags().exclude(status=FlagStatus.MERGED)
    if params.status:
        if params.status not in FlagStatus.values or params.status == FlagStatus.MERGED:
            raise BadParameter(
                "status",
                "status must be one of: " + ", ".join(FlagStatus.values[:-1]),
            )
        flags = flags.filter(status=params.status)
    if params.area:
        kind, _, code = params.area.partition(":")
        if kind not in ("region", "icb") or not code:
            raise BadParameter(
                "area", "area must be region: or icb: and an ODS code, like region:Y56 or icb:QMJ"
            )
        flags = flags.filter(**{f"{kind}__code": code})
    if params.topic:
        flags = flags.filter(topic__slug=params.topic)
    if params.body:
        flags = flags.filter(
            Exists(Referral.objects.filter(flag=OuterRef("pk"), organisation__slug=params.body))
        )
    if params.q and params.q.strip():
        # Never search what a moderator hid.
        flags = search_flags(flags.filter(hidden_at__isnull=True), params.q)
    return flags


@router.get("", response={200: FlagList, **LIST_ERRORS}, summary="Flags")
def flag_list(request: HttpRequest, params: Query[FlagParams]):
    """Every flag on Gather but merged ones, oldest first. Hidden flags keep only their
    placeholder. `changed_since` finds flags with anything new since then: support, comments,
    a status, a review decision, a referral, an answer, a commitment made or updated, an event
    on its timeline, a referral gone overdue, hidden or put back."""
    return listing(
        request,
        _filtered(params),
        "flags",
        params,
        lambda rows: [_flag(flag) for flag in rows],
        changed=_changed,
        changed_at=flag_changed_at,
    )


def _referral(referral: Referral) -> dict:
    response = getattr(referral, "response", None)
    return {
        "organisation": referral.organisation.name,
        "organisation_slug": referral.organisation.slug,
        "referred_at": referral.referred_at,
        "due_date": referral.due_date,
        "status": referral.status,
        "overdue": referral.is_overdue(),
        "answer": (
            {
                "outcome": response.outcome,
                "reasons": response.reasons,
                "responsible_organisation": response.responsible_organisation.name
                if response.responsible_organisation_id
                else None,
                "answered_at": response.created_at,
                "on_time": response.on_time,
            }
            if response is not None
            else None
        ),
    }


COMMITMENTS_SHOWN = 100


@router.get("/{int:id}", response={200: FlagDetail, **ERRORS}, summary="One flag")
def flag_detail(request: HttpRequest, id: int):
    """One flag with its review decisions, where it was sent and the answers, the commitments
    made about it, and its public timeline (the first 100 events)."""
    flag = _flags().filter(pk=id).first()
    if flag is None:
        raise Http404
    data = _flag(flag)
    mark_last_modified(request, flag_changed_at(flag))
    if flag.is_hidden:
        return {
            **data,
            "review_decisions": [],
            "referrals": [],
            "commitments": [],
            "timeline": [],
            "roundup": None,
            "evidence": [],
        }
    roundup = Roundup_.objects.filter(flag=flag).first()
    evidence = flag.evidence.order_by("created_at", "pk")[:EVIDENCE_SHOWN]
    commitments = flag.commitments.select_related("organisation").order_by("pk")[:COMMITMENTS_SHOWN]
    rows = audit_rows(timeline(flag))
    return {
        **data,
        "review_decisions": [
            {
                "decision": d.decision,
                "is_national": d.is_national,
                "within_remit": d.within_remit,
                "reasons": d.reasons,
                "decided_at": d.created_at,
            }
            for d in flag.review_decisions.order_by("created_at", "pk")
        ],
        "referrals": [_referral(r) for r in flag.referrals.all()],
        "commitments": [
            {
                "id": c.pk,
                "url": _absolute(c.get_absolute_url()),
                "what": c.what,
                "body": c.organisation.name,
                "status": c.status,
                "due_date": c.due_date,
            }
            for c in commitments
        ],
        "timeline": [
            {
                "sequence": row.entry.sequence,
                "at": row.entry.created_at,
                "who": row.who,
                "action": row.entry.action,
                "summary": row.entry.summary,
                "reason": row.entry.reason,
            }
            for row in rows
        ],
        "roundup": gather_queries.roundup_record(roundup) if roundup else None,
        "evidence": [_evidence(item) for item in evidence],
    }


EVIDENCE_SHOWN = 100


def _evidence(item: Evidence) -> dict:
    return gather_queries.evidence_record(item, _absolute)


def _comment(comment: Comment) -> dict:
    return gather_queries.comment_record(comment)


@router.get(
    "/{int:id}/comments", response={200: CommentList, **ERRORS}, summary="A flag's discussion"
)
def flag_comments(request: HttpRequest, id: int, params: Query[ListParams]):
    """Every comment and reply on a flag, oldest first (a reply names the comment it answers
    in `parent_id`). A hidden comment keeps only the moderator's reason. A hidden flag's
    discussion is not shown. `changed_since`: comments posted or hidden since then."""
    flag = Flag.objects.filter(pk=id).only("pk", "hidden_at").first()
    if flag is None:
        raise Http404
    comments = Comment.objects.filter(flag=flag).select_related("author")
    if flag.is_hidden:
        comments = comments.none()
    return listing(
        request,
        comments,
        f"flag-{flag.pk}-comments",
        params,
        lambda rows: [_comment(c) for c in rows],
        changed=lambda qs, since: qs.filter(Q(created_at__gte=since) | Q(hidden_at__gte=since)),
        changed_at=lambda c: max(filter(None, [c.created_at, c.hidden_at])),
    )
