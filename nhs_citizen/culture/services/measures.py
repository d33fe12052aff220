"""Loading the culture-change measures per body: three queries, however many bodies.

The counts come from Gather's referrals and responses and from the tracker's commitments; the
arithmetic on them (shares, medians, the ranking) is in ``nhs_citizen.culture.measures``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, Func, IntegerField, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from nhs_citizen.core.models import Organisation, OrganisationType
from nhs_citizen.culture import measures
from nhs_citizen.gather.models import Referral, ReferralStatus
from nhs_citizen.tracker.models import OPEN_STATUSES, Commitment, CommitmentStatus


class Period:
    ALL_TIME = "all"
    LAST_12_MONTHS = "12m"
    CHOICES = [(ALL_TIME, "All time"), (LAST_12_MONTHS, "The last 12 months")]


@dataclass(frozen=True)
class Filters:
    period: str = Period.ALL_TIME
    kind: str = ""  # an OrganisationType, or "" for every kind of body

    def since(self, today: dt.date) -> dt.datetime | None:
        """The first moment counted: midnight (UK time) on the same date a year ago."""
        if self.period != Period.LAST_12_MONTHS:
            return None
        try:
            start = today.replace(year=today.year - 1)
        except ValueError:  # 29 February
            start = today.replace(year=today.year - 1, day=28)
        return timezone.make_aware(dt.datetime.combine(start, dt.time.min))

    @property
    def query(self) -> dict[str, str]:
        """As query-string parameters, leaving out the defaults."""
        params = {}
        if self.period != Period.ALL_TIME:
            params["period"] = self.period
        if self.kind:
            params["kind"] = self.kind
        return params


def _filter(
    queryset: QuerySet, filters: Filters, today: dt.date, *, made_at: str, prefix: str = ""
) -> QuerySet:
    """Keep what was made in the period (``made_at``: when it was sent or made), by a body of
    the kind asked for."""
    if since := filters.since(today):
        queryset = queryset.filter(**{f"{prefix}{made_at}__gte": since})
    if filters.kind:
        queryset = queryset.filter(**{f"{prefix}organisation__type": filters.kind})
    return queryset


class _LocalDate(TruncDate):
    """The date in the current time zone (UK time). On SQLite, Django works this out with a
    Python function called for every row, which costs about 15 microseconds a row; SQLite's
    own 'localtime' gives the same date in C, because Django sets the process's TZ to
    TIME_ZONE. Used only when that holds."""

    def as_sqlite(self, compiler, connection, **extra_context):
        if os.environ.get("TZ") != timezone.get_current_timezone_name():
            return super().as_sqlite(compiler, connection, **extra_context)
        sql, params = compiler.compile(self.lhs)
        return f"date({sql}, 'localtime')", params


class _DaysBetween(Func):
    """Whole days from one date to a later one, as a number."""

    arity = 2
    output_field = IntegerField()
    template = "(%(expressions)s)"
    arg_joiner = " - "  # PostgreSQL: date - date is a number of days

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra_context,
        )


# Calendar days (UK time) from the day a flag was sent to the day it was answered: the same
# sum anyone can do from the two dates on the body's page.
_DAYS_TO_ANSWER_FROM_REFERRAL = _DaysBetween(
    _LocalDate("response__created_at"), _LocalDate("referred_at")
)


def load_measures(
    filters: Filters = Filters(), *, today: dt.date | None = None
) -> list[measures.BodyMeasures]:
    """The measures of every body that has had referrals or commitments in the period, of
    the kind asked for. Three queries, however many bodies."""
    today = today or timezone.localdate()
    referrals = _filter(Referral.objects.all(), filters, today, made_at="referred_at")

    # One pass over the referrals, grouped by body and by days taken to answer (none for those
    # still waiting): the groups add up to each body's counts, and the answered ones make the
    # distribution the median comes from.
    awaiting = Q(status=ReferralStatus.AWAITING)
    referral_totals: dict[int, Counter] = defaultdict(Counter)
    days_to_answer: dict[int, dict[int, int]] = defaultdict(dict)
    for row in (
        referrals.annotate(days=_DAYS_TO_ANSWER_FROM_REFERRAL)
        .values("organisation_id", "days")
        .annotate(
            received=Count("pk"),
            answered=Count("response"),
            answered_on_time=Count("pk", filter=Q(response__on_time=True)),
            waiting=Count("pk", filter=awaiting),
            # The same rule as Referral.objects.overdue().
            overdue=Count("pk", filter=awaiting & Q(due_date__lt=today)),
        )
        .order_by()
    ):
        organisation_id, days = row.pop("organisation_id"), row.pop("days")
        referral_totals[organisation_id].update(row)
        if days is not None:
            days_to_answer[organisation_id][days] = row["answered"]
    referral_counts = {
        pk: measures.ReferralCounts(**totals) for pk, totals in referral_totals.items()
    }

    is_open = Q(status__in=OPEN_STATUSES)
    commitment_counts = {
        row.pop("organisation_id"): measures.CommitmentCounts(**row)
        for row in _filter(Commitment.objects.all(), filters, today, made_at="created_at")
        .values("organisation_id")
        .annotate(
            made=Count("pk"),
            kept=Count("pk", filter=Q(status=CommitmentStatus.DONE)),
            not_done=Count("pk", filter=Q(status=CommitmentStatus.NOT_DONE)),
            open=Count("pk", filter=is_open),
            # The same rule as Commitment.objects.overdue().
            overdue=Count("pk", filter=is_open & Q(due_date__lt=today)),
        )
        .order_by()
    }

    ids = set(referral_counts) | set(commitment_counts)
    bodies = Organisation.objects.only("name", "slug", "type").in_bulk(ids)
    return [
        measures.BodyMeasures(
            body=body_of(bodies[pk]),
            referrals=referral_counts.get(pk, measures.ReferralCounts()),
            commitments=commitment_counts.get(pk, measures.CommitmentCounts()),
            days_to_answer=days_to_answer.get(pk, {}),
        )
        for pk in bodies
    ]


def body_of(organisation: Organisation) -> measures.Body:
    return measures.Body(
        id=organisation.pk,
        name=organisation.name,
        slug=organisation.slug,
        kind=organisation.type,
        kind_label=OrganisationType(organisation.type).label,
    )


def league_table(
    filters: Filters = Filters(), *, today: dt.date | None = None
) -> list[measures.Ranked]:
    return measures.rank(load_measures(filters, today=today))


def league_row(
    organisation: Organisation, period: str = Period.ALL_TIME, *, today: dt.date | None = None
) -> tuple[measures.Ranked, int]:
    """One body's figures and its place among every body, and how many bodies are ranked."""
    rows = league_table(Filters(period=period), today=today)
    ranked = sum(1 for row in rows if row.place is not None)
    for row in rows:
        if row.measures.body.id == organisation.pk:
            return row, ranked
    return measures.Ranked(measures.BodyMeasures(body=body_of(organisation)), None), ranked
