"""Background jobs for core. Thin and safe to run twice."""

from django_tasks import task

from nhs_citizen.core.services import audit


@task()
def write_audit_checkpoint() -> dict:
    """Daily: check the audit log since the last checkpoint and sign one at its head."""
    result = audit.do_write_audit_checkpoint()
    return {
        "sequence": result.checkpoint.sequence if result.checkpoint else None,
        "created": result.created,
        "problems": [str(problem) for problem in result.problems],
    }


@task()
def write_open_data_snapshot() -> dict:
    """Nightly: write today's bulk open-data files (JSON Lines, CSV, SHA256SUMS) and prune old
    ones. Safe to run again: the day's snapshot is replaced whole."""
    from nhs_citizen.core.services.open_data_snapshot import write_snapshot

    result = write_snapshot()
    return {
        "date": result.day.isoformat(),
        "files": [entry["name"] for entry in result.files],
        "pruned": result.pruned,
    }
