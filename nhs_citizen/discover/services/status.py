"""Light settings and questions about the pipeline, importable by web pages.

Nothing here imports NumPy, SciPy or a model: the pipeline (``services/pipeline.py``) and the
algorithms are imported only by background jobs, so a web worker never loads them."""

from __future__ import annotations

from datetime import timedelta

from nhs_citizen.discover.models import Item

BATCH_SIZE = 256
NEAR_DUPLICATE = 0.92
# Between re-clusterings, a new item joins the nearest topic if it is at least this close.
JOIN_TOPIC = 0.40
MIN_ITEMS_FOR_TOPICS = 20
# Find topics again when this share of public items has no topic (new things are being said).
RECLUSTER_WHEN_UNSORTED = 0.15
STALE_AFTER = timedelta(minutes=15)
TREND_WEEKS = 8


def needs_reclustering(*, total: int | None = None, unsorted: int | None = None) -> bool:
    """Whether enough public statements have no topic to find topics again. Pages pass their
    own (cached) counts; jobs let it count."""
    public = Item.objects.public()
    if total is None:
        total = public.count()
    if total < MIN_ITEMS_FOR_TOPICS:
        return False
    if unsorted is None:
        unsorted = public.filter(topic__isnull=True).count()
    return unsorted / total >= RECLUSTER_WHEN_UNSORTED


def queue_processing() -> None:
    """Ask the background worker to process waiting items (safe to call often)."""
    from nhs_citizen.discover import tasks

    tasks.process_waiting.enqueue()
