"""Background jobs for panels: the lottery, the draw and the check of a draw. Thin and safe to run twice (a
job that is not waiting any more is left alone)."""

from django_tasks import task

from nhs_citizen.panels.services import jobs


@task()
def run_lottery_job(job_id: int) -> str:
    """Queued when the secretariat asks for the lottery, once the inputs are fixed."""
    return jobs.do_run_job(job_id)


@task()
def run_draw_job(job_id: int) -> str:
    """Queued when the secretariat types in the public value (or runs the draw again)."""
    return jobs.do_run_job(job_id)


@task()
def run_check_job(job_id: int) -> str:
    """Queued when the panel is drawn, and when the secretariat asks for another check."""
    return jobs.do_run_job(job_id)
