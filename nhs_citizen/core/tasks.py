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
