"""Background jobs for the tracker. Thin and safe to run twice."""

from django_tasks import task

from nhs_citizen.tracker.services import stocktake, summaries


@task()
def refresh_tracker_summaries() -> dict:
    """Count every body's commitments again (the daily job; also queued by a page that finds
    the figures are from an earlier day)."""
    totals = summaries.do_refresh_tracker_summaries()
    return {"as_of": totals.as_of.isoformat(), "total": totals.total, "overdue": totals.overdue}


@task()
def generate_stocktake(cycle_id: int, by_id: int | None = None) -> int:
    """Make or bring up to date one cycle's stock-take agenda (asked for by the secretariat:
    every open commitment is read, so it is never done inside a web request)."""
    from django.contrib.auth import get_user_model

    from nhs_citizen.assembly.models import Cycle

    cycle = Cycle.objects.get(pk=cycle_id)
    by = get_user_model().objects.filter(pk=by_id).first() if by_id else None
    return len(stocktake.do_generate_stocktake(cycle, by=by))
