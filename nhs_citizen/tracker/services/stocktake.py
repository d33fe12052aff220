"""The stock-take: at each cycle's Assembly, every open commitment is looked at again in public,
overdue ones first. The agenda is made from the tracker, never chosen by hand."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from nhs_citizen.assembly.models import Cycle, Stage
from nhs_citizen.core.models import AuditEntry
from nhs_citizen.core.services.audit import record_audit_entry
from nhs_citizen.tracker.models import OPEN_STATUSES, Commitment, StockTakeItem

# The agenda is made automatically from this many days before the stock-take, and kept up to
# date every day until then.
LEAD_DAYS = 14


def stocktake_commitments(today: datetime.date | None = None):
    """Every open commitment, overdue ones first (the longest overdue first), then by due date."""
    today = today or timezone.localdate()
    return (
        Commitment.objects.open()
        .annotate(
            overdue_rank=Case(
                When(due_date__lt=today, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("overdue_rank", "due_date", "pk")
    )


def do_generate_stocktake(
    cycle: Cycle, by=None, today: datetime.date | None = None
) -> list[StockTakeItem]:
    """Make, or bring up to date, the stock-take agenda of a cycle's Assembly: one item per open
    commitment, overdue first. Safe to run again: items are updated in place, never duplicated,
    and commitments finished since the last run leave the agenda."""
    today = today or timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        # One run at a time for a cycle: the cycle's row is the lock.
        cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
        commitments = list(stocktake_commitments(today).values_list("pk", "due_date", "status"))
        existing = {item.commitment_id: item for item in StockTakeItem.objects.filter(cycle=cycle)}
        keep = {pk for pk, _, _ in commitments}
        gone = [item.pk for commitment_id, item in existing.items() if commitment_id not in keep]
        StockTakeItem.objects.filter(pk__in=gone).delete()
        # Positions are unique only by convention, so moving them in place is safe.
        to_create, to_update = [], []
        for position, (pk, due_date, status) in enumerate(commitments, start=1):
            was_overdue = status in OPEN_STATUSES and due_date < today
            item = existing.get(pk)
            if item is None:
                to_create.append(
                    StockTakeItem(
                        cycle=cycle,
                        commitment_id=pk,
                        position=position,
                        was_overdue=was_overdue,
                        status_then=status,
                        generated_at=now,
                    )
                )
            elif (item.position, item.was_overdue, item.status_then) != (
                position,
                was_overdue,
                status,
            ):
                item.position = position
                item.was_overdue = was_overdue
                item.status_then = status
                item.generated_at = now
                to_update.append(item)
        if not (gone or to_create or to_update) and (existing or last_made(cycle)):
            return list(StockTakeItem.objects.filter(cycle=cycle).order_by("position"))
        StockTakeItem.objects.bulk_update(
            to_update, ["position", "was_overdue", "status_then", "generated_at"], batch_size=500
        )
        StockTakeItem.objects.bulk_create(to_create, batch_size=500)
        overdue = sum(1 for _, due_date, _ in commitments if due_date < today)
        record_audit_entry(
            actor=by,
            action="tracker.stocktake_generated",
            summary=(
                f"The stock-take agenda for {cycle.name} was {'updated' if existing else 'made'}: "
                f"{len(commitments)} open commitment{'' if len(commitments) == 1 else 's'}, "
                f"{overdue} overdue"
            ),
            target=cycle,
            data={
                "cycle_id": cycle.pk,
                "items": len(commitments),
                "overdue": overdue,
                "added": len(to_create),
                "removed": len(gone),
            },
            public=True,
        )
    return list(StockTakeItem.objects.filter(cycle=cycle).order_by("position"))


def _runs(cycle: Cycle):
    return AuditEntry.objects.filter(
        action="tracker.stocktake_generated",
        target_type="assembly.cycle",
        target_id=str(cycle.pk),
    ).order_by("-sequence")


def last_made(cycle: Cycle) -> datetime.datetime | None:
    """When the agenda was last made or changed, from the public audit log."""
    return _runs(cycle).values_list("created_at", flat=True).first()


def last_run(cycle: Cycle) -> tuple[datetime.datetime | None, dict]:
    """When the agenda was last made or changed, and what was counted then (``items`` and
    ``overdue``), from the public audit log: the page never counts the agenda."""
    found = _runs(cycle).values_list("created_at", "data").first()
    if found is None:
        return None, {}
    made_at, data = found
    return made_at, data if isinstance(data, dict) else {}


def cycles_due_for_stocktake(today: datetime.date | None = None):
    """Cycles whose stock-take is coming up (within LEAD_DAYS) and not yet done."""
    today = today or timezone.localdate()
    return Cycle.objects.exclude(stage=Stage.STOCK_TAKE).filter(
        stocktake_date__gte=today, stocktake_date__lte=today + datetime.timedelta(days=LEAD_DAYS)
    )


def do_generate_due_stocktakes(today: datetime.date | None = None) -> list[Cycle]:
    """The daily job: make or refresh the agenda of every cycle whose stock-take is near."""
    cycles = list(cycles_due_for_stocktake(today))
    for cycle in cycles:
        do_generate_stocktake(cycle, by=None, today=today)
    return cycles
