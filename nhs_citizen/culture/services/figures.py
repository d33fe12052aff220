"""The league table's figures, worked out by a job and stored, so that no page counts every
referral and commitment in the country.

``do_refresh_culture_measures`` works out every body's measures for each period (three grouped
queries each, in ``measures.load_measures``), ranks them among every body and among bodies of
the same kind, and stores one row per body and period. Run it from cron with the management
command ``refresh_culture_measures`` (every 15 minutes, say); a page that finds the figures are
older than ``FRESH_FOR`` (or from an earlier day) queues it. Safe to run twice: each run
replaces the rows of a period in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from nhs_citizen.core.models import Organisation, OrganisationType
from nhs_citizen.culture import measures
from nhs_citizen.culture.models import BodyFigures, MeasuresRun
from nhs_citizen.culture.services.measures import Filters, Period, body_of, load_measures

FRESH_FOR = dt.timedelta(minutes=15)
QUEUED_KEY = "culture:refresh-queued"
ALL_KINDS = ""


def _rows(period: str, bodies: list[measures.BodyMeasures]) -> tuple[list[BodyFigures], dict]:
    everyone = measures.rank(bodies)
    by_kind: dict[str, list[measures.BodyMeasures]] = defaultdict(list)
    for m in bodies:
        by_kind[m.body.kind].append(m)
    kind_places = {
        ranked.measures.body.id: ranked
        for group in by_kind.values()
        for ranked in measures.rank(group)
    }
    ranked_counts: dict[str, int] = defaultdict(int)
    recognised_counts: dict[str, int] = defaultdict(int)
    rows = []
    for position, ranked in enumerate(everyone, start=1):
        m = ranked.measures
        in_kind = kind_places[m.body.id]
        recognised = bool(m.recognition)
        for kind in (ALL_KINDS, m.body.kind):
            ranked_counts[kind] += ranked.place is not None
            recognised_counts[kind] += recognised
        rows.append(
            BodyFigures(
                period=period,
                organisation_id=m.body.id,
                name=m.body.name,
                slug=m.body.slug,
                kind=m.body.kind,
                received=m.referrals.received,
                answered=m.referrals.answered,
                answered_on_time=m.referrals.answered_on_time,
                waiting=m.referrals.waiting,
                answers_overdue=m.referrals.overdue,
                days_to_answer={str(days): n for days, n in m.days_to_answer.items()},
                made=m.commitments.made,
                kept=m.commitments.kept,
                not_done=m.commitments.not_done,
                open=m.commitments.open,
                commitments_overdue=m.commitments.overdue,
                position=position,
                place=ranked.place,
                shared=ranked.shared,
                kind_place=in_kind.place,
                kind_shared=in_kind.shared,
                recognised=recognised,
            )
        )
    return rows, {"ranked": dict(ranked_counts), "recognised": dict(recognised_counts)}


def do_refresh_culture_measures(today: dt.date | None = None) -> list[MeasuresRun]:
    """Work out and store every body's figures, for every period."""
    today = today or timezone.localdate()
    runs = []
    for period, _label in Period.CHOICES:
        rows, counts = _rows(period, load_measures(Filters(period=period), today=today))
        with transaction.atomic():
            BodyFigures.objects.filter(period=period).delete()
            BodyFigures.objects.bulk_create(rows, batch_size=500)
            run, _ = MeasuresRun.objects.update_or_create(
                period=period,
                defaults={"as_of": today, "refreshed_at": timezone.now(), **counts},
            )
        runs.append(run)
    return runs


def current_run(period: str, today: dt.date | None = None) -> MeasuresRun | None:
    """The stored run for a period. If it is missing, from an earlier day or older than
    ``FRESH_FOR``, a refresh is queued (at most once every few minutes); meanwhile the page
    shows what is stored."""
    today = today or timezone.localdate()
    run = MeasuresRun.objects.filter(period=period).first()
    stale = run is None or run.as_of != today or run.refreshed_at < timezone.now() - FRESH_FOR
    if stale and cache.add(QUEUED_KEY, True, int(FRESH_FOR.total_seconds())):
        from nhs_citizen.culture.tasks import refresh_culture_measures

        refresh_culture_measures.enqueue()
        run = MeasuresRun.objects.filter(period=period).first()
    return run


def ranked_count(run: MeasuresRun | None, kind: str = ALL_KINDS) -> int:
    return (run.ranked if run else {}).get(kind, 0)


def recognised_count(run: MeasuresRun | None, kind: str = ALL_KINDS) -> int:
    return (run.recognised if run else {}).get(kind, 0)


def table(filters: Filters):
    """The stored rows of the league table for the filters, in its order."""
    rows = BodyFigures.objects.filter(period=filters.period)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    return rows


def to_ranked(row: BodyFigures, by_kind: bool = False) -> measures.Ranked:
    """A stored row as the pure module's ``Ranked``, for the presenters and templates."""
    return measures.Ranked(
        measures.BodyMeasures(
            body=measures.Body(
                id=row.organisation_id,
                name=row.name,
                slug=row.slug,
                kind=row.kind,
                kind_label=OrganisationType(row.kind).label,
            ),
            referrals=measures.ReferralCounts(
                received=row.received,
                answered=row.answered,
                answered_on_time=row.answered_on_time,
                waiting=row.waiting,
                overdue=row.answers_overdue,
            ),
            commitments=measures.CommitmentCounts(
                made=row.made,
                kept=row.kept,
                not_done=row.not_done,
                open=row.open,
                overdue=row.commitments_overdue,
            ),
            days_to_answer={int(days): n for days, n in row.days_to_answer.items()},
        ),
        row.kind_place if by_kind else row.place,
        row.kind_shared if by_kind else row.shared,
    )


def body_row(organisation: Organisation, period: str) -> measures.Ranked:
    """One body's stored figures and place among every body (unranked and empty if none)."""
    row = BodyFigures.objects.filter(period=period, organisation=organisation).first()
    if row is None:
        return measures.Ranked(measures.BodyMeasures(body=body_of(organisation)), None)
    return to_ranked(row)
