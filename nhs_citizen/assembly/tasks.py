"""Background jobs for the Assembly. Thin and safe to run twice."""

from django_tasks import task

from nhs_citizen.assembly.services import schedule


@task()
def run_assembly_schedule() -> list[str]:
    """Queued for each cycle's cut-off and vote times when the cycle is set up or changed."""
    return schedule.run_assembly_schedule()


@task()
def recheck_counts() -> list[str]:
    """Count each published vote again (from the ballots and from the audit log) and store
    whether it still matches. Run daily by ``run_assembly_schedule``."""
    from nhs_citizen.assembly.services import stages

    return stages.do_recheck_counts()
