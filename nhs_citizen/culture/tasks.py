"""Background jobs for culture change. Thin and safe to run twice."""

from django_tasks import task

from nhs_citizen.culture.services import figures


@task()
def refresh_culture_measures() -> dict:
    """Work out and store the league table's figures (from cron, and queued by a page that
    finds them out of date)."""
    runs = figures.do_refresh_culture_measures()
    return {run.period: run.ranked.get(figures.ALL_KINDS, 0) for run in runs}
