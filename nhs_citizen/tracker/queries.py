"""What the tracker reads: commitments with their latest update and whether they are overdue,
the bodies that made them, and every response in one list. Reads only; writes are services."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from nhs_citizen.core.models import Organisation
from nhs_citizen.gather.models import CallForViews, Response
from nhs_citizen.tracker.models import (
    OPEN_STATUSES,
    BoardResponse,
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
)

# Rank 0: overdue, 1: open, 2: finished. Overdue ones always come first.
OVERDUE, OPEN, FINISHED = 0, 1, 2

STATUS_FILTERS = [
    ("overdue", "Overdue"),
    ("open", "Open (not finished)"),
    (CommitmentStatus.NOT_STARTED.value, CommitmentStatus.NOT_STARTED.label),
    (CommitmentStatus.IN_PROGRESS.value, CommitmentStatus.IN_PROGRESS.label),
    (CommitmentStatus.DONE.value, CommitmentStatus.DONE.label),
    (CommitmentStatus.NOT_DONE.value, CommitmentStatus.NOT_DONE.label),
]


def overdue_q(today: datetime.date) -> Q:
    return Q(status__in=OPEN_STATUSES, due_date__lt=today)


def commitments(today: datetime.date | None = None) -> QuerySet[Commitment]:
    """Every commitment, overdue first (longest overdue first), then open ones by due date,
    then finished ones; each with its latest update and, if its due date moved, the first one."""
    today = today or timezone.localdate()
    updates = CommitmentUpdate.objects.filter(commitment=OuterRef("pk"))
    latest = updates.order_by("-created_at", "-pk")
    first_move = updates.exclude(due_date=F("previous_due_date")).order_by("created_at", "pk")
    return (
        Commitment.objects.select_related("organisation", "cycle", "topic")
        .annotate(
            rank=Case(
                When(overdue_q(today), then=Value(OVERDUE)),
                When(status__in=OPEN_STATUSES, then=Value(OPEN)),
                default=Value(FINISHED),
                output_field=IntegerField(),
            ),
            latest_update_at=Subquery(latest.values("created_at")[:1]),
            latest_update_note=Subquery(latest.values("note")[:1]),
            original_due_date=Subquery(first_move.values("previous_due_date")[:1]),
        )
        .order_by("rank", "due_date", "pk")
    )


def filter_by_status(queryset: QuerySet, status: str, today: datetime.date | None = None):
    today = today or timezone.localdate()
    if status == "overdue":
        return queryset.filter(overdue_q(today))
    if status == "open":
        return queryset.filter(status__in=OPEN_STATUSES)
    if status in CommitmentStatus.values:
        return queryset.filter(status=status)
    return queryset


def bodies_with_commitments(today: datetime.date | None = None) -> QuerySet[Organisation]:
    """Bodies that have made commitments, with their counts; most overdue first."""
    today = today or timezone.localdate()
    return (
        Organisation.objects.filter(commitments__isnull=False)
        .annotate(
            total=Count("commitments", distinct=True),
            overdue=Count(
                "commitments",
                filter=Q(commitments__status__in=OPEN_STATUSES, commitments__due_date__lt=today),
                distinct=True,
            ),
            open=Count(
                "commitments", filter=Q(commitments__status__in=OPEN_STATUSES), distinct=True
            ),
            done=Count(
                "commitments",
                filter=Q(commitments__status=CommitmentStatus.DONE),
                distinct=True,
            ),
            not_done=Count(
                "commitments",
                filter=Q(commitments__status=CommitmentStatus.NOT_DONE),
                distinct=True,
            ),
        )
        .order_by("-overdue", "name")
    )


@dataclass
class Totals:
    total: int
    overdue: int
    open: int
    done: int
    not_done: int


def totals(queryset: QuerySet[Commitment] | None = None, today=None) -> Totals:
    today = today or timezone.localdate()
    queryset = Commitment.objects.all() if queryset is None else queryset
    counts = queryset.aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=overdue_q(today)),
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        done=Count("pk", filter=Q(status=CommitmentStatus.DONE)),
        not_done=Count("pk", filter=Q(status=CommitmentStatus.NOT_DONE)),
    )
    return Totals(**counts)


# Every response in one list ---------------------------------------------------------------------

BOARD_ITEM = "board_item"
BOARD_PANEL = "board_panel"
REFERRAL = "referral"
CALL = "call"

RESPONSE_KINDS = [
    (BOARD_ITEM, "Board responses to the Assembly"),
    (BOARD_PANEL, "Board responses to Citizen Panels"),
    (REFERRAL, "Answers to flags sent to a body"),
    (CALL, "Calls for views: what was done"),
]


def _columns(kind, pk, at, organisation_id):
    return {
        "r_kind": kind,
        "r_pk": pk,
        "r_at": at,
        "r_org": organisation_id,
    }


def responses(
    *,
    kind: str | None = None,
    organisation: Organisation | None = None,
    nhs_england_id: int | None = None,
):
    """Every response, newest first, as (kind, pk, published at, organisation id) rows that a
    page of results turns back into objects with ``load_responses``."""
    text = CharField()
    number = IntegerField()
    parts = []
    if kind in (None, "", BOARD_ITEM, BOARD_PANEL) and (
        organisation is None or organisation.pk == nhs_england_id
    ):
        board = BoardResponse.objects.all()
        if kind == BOARD_ITEM:
            board = board.filter(agenda_item__isnull=False)
        elif kind == BOARD_PANEL:
            board = board.filter(commission__isnull=False)
        parts.append(
            board.annotate(
                **_columns(
                    Case(
                        When(agenda_item__isnull=False, then=Value(BOARD_ITEM)),
                        default=Value(BOARD_PANEL),
                        output_field=text,
                    ),
                    F("pk"),
                    F("published_at"),
                    Value(nhs_england_id, output_field=number),
                )
            )
            .order_by()
            .values_list("r_kind", "r_pk", "r_at", "r_org")
        )
    if kind in (None, "", REFERRAL):
        answers = Response.objects.all()
        if organisation is not None:
            answers = answers.filter(referral__organisation=organisation)
        parts.append(
            answers.annotate(
                **_columns(
                    Value(REFERRAL, output_field=text),
                    F("pk"),
                    F("created_at"),
                    F("referral__organisation_id"),
                )
            )
            .order_by()
            .values_list("r_kind", "r_pk", "r_at", "r_org")
        )
    if kind in (None, "", CALL):
        calls = CallForViews.objects.filter(outcome_published_at__isnull=False)
        if organisation is not None:
            calls = calls.filter(organisation=organisation)
        parts.append(
            calls.annotate(
                **_columns(
                    Value(CALL, output_field=text),
                    F("pk"),
                    F("outcome_published_at"),
                    F("organisation_id"),
                )
            )
            .order_by()
            .values_list("r_kind", "r_pk", "r_at", "r_org")
        )
    if not parts:
        return BoardResponse.objects.none().values_list("pk")
    combined = parts[0]
    if len(parts) > 1:
        combined = parts[0].union(*parts[1:], all=True)
    return combined.order_by("-r_at", "r_kind", "-r_pk")


def flag_title(flag) -> str:
    """A flag's title, unless a moderator hid the flag."""
    return "A flag hidden by a moderator" if flag.is_hidden else flag.title


@dataclass
class ResponseRow:
    kind: str
    kind_label: str
    title: str
    organisation: str
    outcome: str
    at: datetime.datetime
    href: str
    commitment_count: int
    on_time: bool | None


def load_responses(rows) -> list[ResponseRow]:
    """Turn a page of ``responses`` rows into what the page shows, in a few queries."""
    rows = list(rows)
    ids: dict[str, list[int]] = {}
    for kind, pk, _at, _org in rows:
        ids.setdefault(BOARD_ITEM if kind == BOARD_PANEL else kind, []).append(pk)
    board = {
        r.pk: r
        for r in BoardResponse.objects.filter(pk__in=ids.get(BOARD_ITEM, []))
        .select_related("agenda_item", "commission")
        .annotate(n=Count("commitments"))
    }
    answers = {
        r.pk: r
        for r in Response.objects.filter(pk__in=ids.get(REFERRAL, []))
        .select_related("referral__flag", "referral__organisation")
        .annotate(n=Count("commitments"))
    }
    calls = {
        c.pk: c
        for c in CallForViews.objects.filter(pk__in=ids.get(CALL, []))
        .select_related("organisation")
        .annotate(n=Count("commitments"))
    }
    labels = {
        BOARD_ITEM: "Board response to the Assembly",
        BOARD_PANEL: "Board response to a Citizen Panel",
        REFERRAL: "Answer to a flag",
        CALL: "Call for views: what was done",
    }
    from django.urls import reverse

    result = []
    for kind, pk, at, _org in rows:
        if kind in (BOARD_ITEM, BOARD_PANEL) and pk in board:
            r = board[pk]
            title = r.agenda_item.title if r.agenda_item_id else r.commission.question
            result.append(
                ResponseRow(
                    kind,
                    labels[kind],
                    title,
                    "NHS England Board",
                    r.get_outcome_display(),
                    at,
                    r.get_absolute_url(),
                    r.n,
                    r.on_time,
                )
            )
        elif kind == REFERRAL and pk in answers:
            r = answers[pk]
            result.append(
                ResponseRow(
                    kind,
                    labels[kind],
                    flag_title(r.referral.flag),
                    r.referral.organisation.name,
                    r.get_outcome_display(),
                    at,
                    reverse("tracker:answer_detail", args=[pk]),
                    r.n,
                    r.on_time,
                )
            )
        elif kind == CALL and pk in calls:
            c = calls[pk]
            result.append(
                ResponseRow(
                    kind,
                    labels[kind],
                    c.title,
                    c.organisation.name,
                    "",
                    at,
                    reverse("tracker:call_outcome", args=[pk]),
                    c.n,
                    None,
                )
            )
    return result
