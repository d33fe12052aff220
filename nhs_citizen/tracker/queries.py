"""What the tracker reads: commitments with their latest update and whether they are overdue,
the bodies that made them, and every response in one list. Reads only; writes are services."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from nhs_citizen.assembly.models import Cycle
from nhs_citizen.core.models import Organisation
from nhs_citizen.gather.models import CallForViews, Response
from nhs_citizen.tracker.models import (
    OPEN_STATUSES,
    BoardResponse,
    BodyCommitmentSummary,
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    StockTakeItem,
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
    (CommitmentStatus.WITHDRAWN.value, CommitmentStatus.WITHDRAWN.label),
]


def overdue_q(today: datetime.date) -> Q:
    return Q(status__in=OPEN_STATUSES, due_date__lt=today)


# Every list of commitments is in this order: open ones first, due earliest first, so the
# overdue ones (the longest overdue at the top) lead; then finished ones. ``list_key`` is kept
# by the database from the status and due date, so the order needs no date and walks an index.
ORDER = ("list_key", "pk")
# With one status chosen, ``finished`` is the same for every row.
ORDER_ONE_STATUS = ("due_date", "pk")


def commitments(today: datetime.date | None = None) -> QuerySet[Commitment]:
    """Every commitment, overdue first (longest overdue first), then open ones by due date,
    then finished ones; each with its latest update and, if its due date moved, the first one.
    The latest update is looked up for the rows of one page only."""
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
        .order_by(*ORDER)
    )


def filter_by_status(queryset: QuerySet, status: str, today: datetime.date | None = None):
    today = today or timezone.localdate()
    if status == "overdue":
        return queryset.filter(finished=False, due_date__lt=today)
    if status == "open":
        return queryset.filter(finished=False)
    if status in CommitmentStatus.values:
        return queryset.filter(status=status)
    return queryset


def filtered(filters: dict, today: datetime.date) -> tuple[QuerySet[Commitment], tuple]:
    """The tracker's list for its filters (body, status, cycle, topic), and its order."""
    queryset = commitments(today)
    if body := filters.get("body"):
        queryset = queryset.filter(organisation=body)
    if cycle := filters.get("cycle"):
        queryset = queryset.filter(cycle=cycle)
    if topic := filters.get("topic"):
        queryset = queryset.filter(topic=topic)
    if status := filters.get("status"):
        queryset = filter_by_status(queryset, status, today)
        return queryset, ORDER_ONE_STATUS
    return queryset, ORDER


# Figures kept in the summary rows, by status filter.
_STORED = {
    "": "total",
    "overdue": "overdue",
    "open": "open",
    "done": "done",
    "not_done": "not_done",
}


def count_for(filters: dict, totals, today: datetime.date) -> int:
    """How many commitments the filters find: from the stored figures when they hold it,
    otherwise counted at most once every few minutes (and again after any change)."""
    from nhs_citizen.core.counting import cached_count
    from nhs_citizen.tracker.services import summaries

    status = filters.get("status") or ""
    body = filters.get("body")
    if status in _STORED and not (filters.get("cycle") or filters.get("topic")):
        if body is None:
            return getattr(totals, _STORED[status])
        summary = BodyCommitmentSummary.objects.filter(organisation=body).first()
        return getattr(summary, _STORED[status]) if summary else 0
    queryset, _ = filtered(filters, today)
    parts = [
        str(summaries.version()),
        today.isoformat(),
        str(body.pk if body else ""),
        status,
        str(filters["cycle"].pk if filters.get("cycle") else ""),
        str(filters["topic"].pk if filters.get("topic") else ""),
    ]
    return cached_count(queryset.order_by(), key="tracker:" + ":".join(parts))


def bodies() -> QuerySet[BodyCommitmentSummary]:
    """Bodies that have made commitments, with their stored counts; most overdue first."""
    return BodyCommitmentSummary.objects.select_related("organisation").order_by(*BODY_ORDER)


BODY_ORDER = ("-overdue", "name", "pk")


def stocktake_cycles() -> QuerySet[Cycle]:
    """Cycles with a stock-take agenda, latest first."""
    return Cycle.objects.filter(
        Exists(StockTakeItem.objects.filter(cycle=OuterRef("pk")))
    ).order_by("-stocktake_date")


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


@dataclass(frozen=True)
class ResponseKey:
    """One response in the list: its kind, key, when it was published and by which body."""

    kind: str
    pk: int
    at: datetime.datetime
    organisation_id: int | None


def _sources(kind, organisation, nhs_england_id):
    """(kind, queryset, date field, body field) for each kind of response asked for."""
    sources = []
    board_wanted = organisation is None or organisation.pk == nhs_england_id
    if board_wanted and kind in (None, "", BOARD_ITEM):
        sources.append(
            (
                BOARD_ITEM,
                BoardResponse.objects.filter(agenda_item__isnull=False),
                "published_at",
                None,
            )
        )
    if board_wanted and kind in (None, "", BOARD_PANEL):
        sources.append(
            (
                BOARD_PANEL,
                BoardResponse.objects.filter(commission__isnull=False),
                "published_at",
                None,
            )
        )
    if kind in (None, "", REFERRAL):
        answers = Response.objects.all()
        if organisation is not None:
            answers = answers.filter(referral__organisation=organisation)
        sources.append((REFERRAL, answers, "created_at", "referral__organisation_id"))
    if kind in (None, "", CALL):
        calls = CallForViews.objects.filter(outcome_published_at__isnull=False)
        if organisation is not None:
            calls = calls.filter(organisation=organisation)
        sources.append((CALL, calls, "outcome_published_at", "organisation_id"))
    return sources


def _comes_before(a: ResponseKey, b: ResponseKey) -> bool:
    """The list's order: newest first; then by kind; then the newest key first."""
    if a.at != b.at:
        return a.at > b.at
    if a.kind != b.kind:
        return a.kind < b.kind
    return a.pk > b.pk


def _sort_key():
    import functools

    return functools.cmp_to_key(
        lambda a, b: -1 if _comes_before(a, b) else (1 if _comes_before(b, a) else 0)
    )


def _beyond(kind: str, at_field: str, boundary: ResponseKey, forwards: bool) -> Q:
    """Rows of one kind after (forwards) or before the boundary in the list's order."""
    later, earlier = ("lt", "gt") if forwards else ("gt", "lt")
    strictly = Q(**{f"{at_field}__{later}": boundary.at})
    same_time = Q(**{at_field: boundary.at})
    if kind == boundary.kind:
        return strictly | (same_time & Q(**{f"pk__{later}": boundary.pk}))
    kind_after = kind > boundary.kind
    if kind_after == forwards:
        return strictly | same_time
    return strictly


def response_keys(
    *,
    kind: str | None = None,
    organisation: Organisation | None = None,
    nhs_england_id: int | None = None,
    limit: int = 5,
    after: ResponseKey | None = None,
    before: ResponseKey | None = None,
) -> list[ResponseKey]:
    """Up to ``limit`` responses of every kind, newest first, after or before a boundary: one
    short query per kind, each on its date's index, merged here. Costs the same however deep."""
    forwards = before is None or after is not None
    boundary = after if after is not None else before
    found: list[ResponseKey] = []
    for source_kind, queryset, at_field, org_field in _sources(kind, organisation, nhs_england_id):
        if boundary is not None:
            queryset = queryset.filter(_beyond(source_kind, at_field, boundary, forwards))
        order = (f"-{at_field}", "-pk") if forwards else (at_field, "pk")
        fields = ["pk", at_field] + ([org_field] if org_field else [])
        for row in queryset.order_by(*order).values_list(*fields)[:limit]:
            organisation_id = row[2] if org_field else nhs_england_id
            found.append(ResponseKey(source_kind, row[0], row[1], organisation_id))
    found.sort(key=_sort_key(), reverse=not forwards)
    found = found[:limit]
    return found if forwards else list(reversed(found))


def response_count(*, kind=None, organisation=None, nhs_england_id=None) -> int:
    """How many responses the filters find, counted at most once every few minutes."""
    from nhs_citizen.core.counting import cached_count

    return sum(
        cached_count(queryset.order_by(), timeout=300)
        for _, queryset, _, _ in _sources(kind, organisation, nhs_england_id)
    )


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


def load_responses(rows: list[ResponseKey]) -> list[ResponseRow]:
    """Turn a page of ``response_keys`` into what the page shows, in a few queries."""
    rows = [(r.kind, r.pk, r.at, r.organisation_id) for r in rows]
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


# Answers to "Does the Board's response reflect what you said?" -------------------------------

REFLECTION_COMMENT_ORDER = ("created_at", "pk")


def reflection_totals(response: BoardResponse):
    """How many people gave each answer, counted by the database in one query (never loading
    every answer): ``ReflectionTotals`` with its ``comments`` left empty, as the comments are
    shown a page at a time from ``reflection_comments``."""
    from nhs_citizen.tracker.models import Reflection, Verdict
    from nhs_citizen.tracker.services.board import ReflectionTotals

    counts = dict(
        Reflection.objects.filter(response=response)
        .order_by()
        .values_list("verdict")
        .annotate(n=Count("pk"))
    )
    total = sum(counts.values())
    rows = [
        (value, label, n, round(100 * n / total) if total else 0)
        for value, label in Verdict.choices
        for n in [counts.get(value, 0)]
    ]
    return ReflectionTotals(total, rows, [])


def reflection_comments(response: BoardResponse) -> QuerySet:
    """The answers with a comment, for paging oldest first in ``REFLECTION_COMMENT_ORDER``.
    Only the answer and the comment are read: never who said it."""
    from nhs_citizen.tracker.models import Reflection

    return (
        Reflection.objects.filter(response=response)
        .exclude(comment="")
        .only("pk", "verdict", "comment", "created_at")
    )


BOARD_RESPONSE_COMMENT_COLUMNS = ["board_response_id", "verdict", "comment"]


def board_response_comment_records(chunk_size: int = 500) -> Iterator[dict]:
    """Every comment on a public Board response, as the response shows them: the answer and
    the comment with personal details taken out, never who said it. Read by number, a chunk
    at a time."""
    from nhs_citizen.core.streaming import iterate_keyset
    from nhs_citizen.tracker import presenters
    from nhs_citizen.tracker.models import Reflection

    reflections = (
        Reflection.objects.filter(response__in=public_board_responses().values("pk"))
        .exclude(comment="")
        .only("pk", "response_id", "verdict", "comment")
    )
    for reflection in iterate_keyset(reflections, chunk_size=chunk_size):
        yield {
            "board_response_id": reflection.response_id,
            "verdict": reflection.verdict,
            "comment": presenters.public_comment(reflection.comment),
        }


def public_commitments_with_updates():
    """Commitments with everything the open data and the API show about each (body, cycle,
    topic, flag, where the commitment was made) and their updates, oldest first: one query for
    the commitments and one more for their updates, however many there are."""
    return Commitment.objects.select_related(
        "organisation",
        "cycle",
        "topic",
        "flag",
        "board_response__agenda_item",
        "board_response__commission",
        "referral_response__referral__flag",
        "referral_response__referral__organisation",
        "call_for_views__organisation",
    ).prefetch_related(
        Prefetch("updates", queryset=CommitmentUpdate.objects.order_by("created_at", "pk"))
    )


# The Board's responses, for the open API and the bulk files ---------------------------------


def public_board_responses() -> QuerySet[BoardResponse]:
    """Every Board response (all are public once recorded) with what it answers and the
    reflections counted by the database: ``reflections_yes``, ``_partly``, ``_no`` and
    ``last_reflection_at`` (used only to say when it last changed). Never who recorded it or
    who reflected."""
    from django.db.models import Max

    from nhs_citizen.tracker.models import Verdict

    counts = {
        f"reflections_{verdict}": Count("reflections", filter=Q(reflections__verdict=verdict))
        for verdict in Verdict.values
    }
    return BoardResponse.objects.select_related(
        "agenda_item__meeting__cycle",
        "agenda_item__entry",
        "commission__meeting__cycle",
        "commission__item__entry",
    ).annotate(**counts, last_reflection_at=Max("reflections__updated_at"))


def board_responses_changed_since(queryset: QuerySet, since: datetime.datetime) -> QuerySet:
    """Responses published, or reflected on (the counts changed), since then."""
    from nhs_citizen.tracker.models import Reflection

    return queryset.filter(
        Q(published_at__gte=since)
        | Exists(Reflection.objects.filter(response=OuterRef("pk"), updated_at__gte=since))
    )


def board_response_changed_at(response: BoardResponse) -> datetime.datetime:
    moments = [response.published_at, getattr(response, "last_reflection_at", None)]
    return max(moment for moment in moments if moment is not None)


def board_response_record(response: BoardResponse, absolute=lambda path: path) -> dict:
    """One Board response as the open API and the bulk files show it (needs
    ``public_board_responses``)."""
    from nhs_citizen.tracker.models import Verdict

    if response.agenda_item_id:
        item = response.agenda_item
        about = {
            "type": "agenda_item",
            "id": item.pk,
            "title": item.title,
            "url": absolute(item.get_absolute_url()),
        }
        cycle = item.meeting.cycle
        flag_id = item.entry.flag_id
    else:
        commission = response.commission
        about = {
            "type": "panel_commission",
            "id": commission.pk,
            "title": commission.question,
            "url": absolute(commission.get_absolute_url()),
        }
        cycle = commission.meeting.cycle
        flag_id = commission.item.entry.flag_id if commission.item_id else None
    return {
        "id": response.pk,
        "url": absolute(response.get_absolute_url()),
        "outcome": response.outcome,
        "summary": response.summary,
        "reasons": response.reasons,
        "published_at": response.published_at,
        "due_date": response.due_date,
        "on_time": response.on_time,
        "about": about,
        "cycle": cycle.name,
        "cycle_slug": cycle.slug,
        "flag_id": flag_id,
        "reflections": {
            verdict: getattr(response, f"reflections_{verdict}") for verdict in Verdict.values
        },
        "last_changed_at": board_response_changed_at(response),
    }


BOARD_RESPONSE_COLUMNS = [
    "id",
    "url",
    "outcome",
    "summary",
    "reasons",
    "published_at",
    "due_date",
    "on_time",
    "about",
    "cycle",
    "cycle_slug",
    "flag_id",
    "reflections",
    "last_changed_at",
]


def board_response_records():
    """Every Board response, oldest first, read in keyset chunks (the bulk files)."""
    from nhs_citizen.core.streaming import iterate_keyset

    for response in iterate_keyset(public_board_responses(), chunk_size=500):
        yield board_response_record(response)
