"""Background jobs for Discover. Thin; each is safe to run twice.

The pipeline, curation's splitting and the figures import NumPy, SciPy and the models, so they
are imported inside each job: importing this module (as the web pages do, to queue a job) loads
none of them."""

from django_tasks import task


@task()
def process_waiting() -> int:
    from nhs_citizen.discover.services import pipeline

    return pipeline.do_process_waiting()


@task()
def recluster(actor_id: int | None = None, reason: str = "") -> str:
    from nhs_citizen.accounts.models import User
    from nhs_citizen.discover.services import pipeline

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    batch = pipeline.do_recluster(actor=actor, reason=reason)
    return batch.message if batch else "Another worker is finding topics now"


@task()
def poll_source(source_id: int) -> str:
    from nhs_citizen.discover.services import sources

    batch = sources.do_poll_source(source_id)
    return batch.message if batch else "Nothing to do"


@task()
def refresh_topics(topic_ids: list[int] | None = None) -> str:
    """Topic sizes, feelings and trends, then the dashboard's figures."""
    from nhs_citizen.discover.services import figures, pipeline

    pipeline.refresh_topic_stats(topic_ids=topic_ids)
    figures.do_refresh_figures()
    return "Refreshed"


@task()
def refresh_figures() -> str:
    from nhs_citizen.discover.services import figures

    return figures.do_refresh_figures()


@task()
def split_topic(topic_id: int, curator_id: int, reason: str) -> str:
    from django.core.exceptions import ValidationError

    from nhs_citizen.accounts.models import User
    from nhs_citizen.discover.models import Topic
    from nhs_citizen.discover.services import curation

    topic = Topic.objects.filter(pk=topic_id).first()
    curator = User.objects.filter(pk=curator_id).first()
    if topic is None or curator is None:
        return "Nothing to do"
    try:
        new = curation.do_split_topic(curator=curator, topic=topic, reason=reason)
    except ValidationError as error:
        return "; ".join(error.messages)
    return f"Split into topic {new.pk}"


@task()
def merged_topic(topic_id: int) -> str:
    """After a curator merged topics: the topic's new centre, its figures and the dashboard."""
    from nhs_citizen.discover.services import curation, figures, pipeline

    curation.do_recentre_topic(topic_id)
    pipeline.refresh_topic_stats(topic_ids=[topic_id])
    figures.do_refresh_figures()
    return "Refreshed"
