"""The tracker's figures, stored: each body's commitments in numbers and the totals, so that no
page counts every commitment on every view.

They are kept up to date in two ways:

- ``do_refresh_body_summary`` runs inside every service that makes or changes a commitment,
  and costs one grouped count over that body's commitments (on an index);
- ``do_refresh_tracker_summaries`` counts everything again: the daily job (a commitment becomes
  overdue when a day passes, with nothing written), run from cron with the management command
  ``refresh_tracker_summaries`` and queued by a page that finds the figures are from an earlier
  day. Safe to run twice, or at the same time as a write: each run writes what it counted.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from nhs_citizen.core.models import Organisation
from nhs_citizen.tracker.models import (
    OPEN_STATUSES,
    BodyCommitmentSummary,
    Commitment,
    CommitmentStatus,
    CommitmentTotals,
)

# A withdrawn commitment counts in the total and as withdrawn: never as open or overdue.
FIGURES = ("total", "open", "overdue", "done", "not_done", "withdrawn")
TOTALS_PK = 1
# The filtered counts on the tracker are cached under this version, which every change bumps.
VERSION_KEY = "tracker:figures-version"
REFRESH_QUEUED_KEY = "tracker:refresh-queued:{day}"


def _counts(today: datetime.date) -> dict:
    is_open = Q(status__in=OPEN_STATUSES)
    return dict(
        total=Count("pk"),
        open=Count("pk", filter=is_open),
        overdue=Count("pk", filter=is_open & Q(due_date__lt=today)),
        done=Count("pk", filter=Q(status=CommitmentStatus.DONE)),
        not_done=Count("pk", filter=Q(status=CommitmentStatus.NOT_DONE)),
        withdrawn=Count("pk", filter=Q(status=CommitmentStatus.WITHDRAWN)),
    )


def _save_totals(today: datetime.date, now) -> CommitmentTotals:
    """The totals, added up from the bodies' rows (one row per body, not per commitment)."""
    sums = BodyCommitmentSummary.objects.aggregate(
        **{f"sum_{name}": Sum(name) for name in FIGURES},
        bodies=Count("pk"),
        bodies_overdue=Count("pk", filter=Q(overdue__gt=0)),
    )
    values = {key.removeprefix("sum_"): value or 0 for key, value in sums.items()}
    totals, _ = CommitmentTotals.objects.update_or_create(
        pk=TOTALS_PK, defaults={**values, "as_of": today, "refreshed_at": now}
    )
    return totals


def bump_version() -> None:
    """Forget every cached count of commitments: something changed."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, None)


def version() -> int:
    value = cache.get(VERSION_KEY)
    if value is None:
        cache.add(VERSION_KEY, 0, None)
        value = cache.get(VERSION_KEY) or 0
    return value


def do_refresh_body_summary(organisation_id: int, today: datetime.date | None = None) -> None:
    """Count one body's commitments again, and the totals. Call it inside the transaction
    that changed one of its commitments."""
    today = today or timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        counts = Commitment.objects.filter(organisation_id=organisation_id).aggregate(
            **_counts(today)
        )
        if counts["total"]:
            name = Organisation.objects.values_list("name", flat=True).get(pk=organisation_id)
            BodyCommitmentSummary.objects.update_or_create(
                organisation_id=organisation_id,
                defaults={**counts, "name": name, "as_of": today, "refreshed_at": now},
            )
        else:
            BodyCommitmentSummary.objects.filter(organisation_id=organisation_id).delete()
        _save_totals(today, now)
    bump_version()
    transaction.on_commit(bump_version)


def do_refresh_tracker_summaries(today: datetime.date | None = None) -> CommitmentTotals:
    """Count every body's commitments again, in one grouped query, and the totals."""
    today = today or timezone.localdate()
    now = timezone.now()
    by_body: dict[int, dict] = defaultdict(dict)
    for row in Commitment.objects.values("organisation_id").annotate(**_counts(today)).order_by():
        by_body[row.pop("organisation_id")] = row
    names = dict(Organisation.objects.filter(pk__in=by_body).values_list("pk", "name"))
    with transaction.atomic():
        BodyCommitmentSummary.objects.exclude(organisation_id__in=list(by_body)).delete()
        BodyCommitmentSummary.objects.bulk_create(
            [
                BodyCommitmentSummary(
                    organisation_id=pk,
                    name=names.get(pk, ""),
                    as_of=today,
                    refreshed_at=now,
                    **counts,
                )
                for pk, counts in by_body.items()
            ],
            update_conflicts=True,
            unique_fields=["organisation"],
            update_fields=["name", *FIGURES, "as_of", "refreshed_at"],
            batch_size=500,
        )
        totals = _save_totals(today, now)
    bump_version()
    return totals


def current_totals(today: datetime.date | None = None) -> CommitmentTotals:
    """The stored totals. If they were counted on an earlier day (or never), a refresh is
    queued, at most once every few minutes; the page shows what is stored meanwhile."""
    today = today or timezone.localdate()
    totals = CommitmentTotals.objects.filter(pk=TOTALS_PK).first()
    if totals is None or totals.as_of != today:
        if cache.add(REFRESH_QUEUED_KEY.format(day=today.isoformat()), True, 600):
            from nhs_citizen.tracker.tasks import refresh_tracker_summaries

            refresh_tracker_summaries.enqueue()
            totals = CommitmentTotals.objects.filter(pk=TOTALS_PK).first()
    if totals is None:
        totals = CommitmentTotals(as_of=today)
    return totals
