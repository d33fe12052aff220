"""Background jobs for Discover. Thin; each is safe to run twice."""

from django_tasks import task

from nhs_citizen.discover.services import pipeline, sources


@task()
def process_waiting() -> int:
    return pipeline.do_process_waiting()


@task()
def recluster(actor_id: int | None = None, reason: str = "") -> str:
    from nhs_citizen.accounts.models import User

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    batch = pipeline.do_recluster(actor=actor, reason=reason)
    return batch.message if batch else "Another worker is finding topics now"


@task()
def poll_source(source_id: int) -> str:
    batch = sources.do_poll_source(source_id)
    return batch.message if batch else "Nothing to do"
