"""Embed (and score) every processed statement again, after the embedding or the feeling model
changed (for example when the NHS glossary was added to `core.embeddings.embed`, ADR 0029).

Statements are done in chunks, in order of number. Each chunk is worked out first (nothing
written), then saved in one transaction, so a run stopped part way leaves every statement
with either its old vector or its new one, never half of each; `after_pk` carries on from
where a stopped run got to. One run at a time (a "reembed" batch row, shown on the pipeline
status page). Only the vector and, when asked, the feeling change: the text, duplicates and
topics stay as they are until topics are found again.

Call from a job or `manage.py discover_reembed`, never from a web request (ADR 0018).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import numpy as np
from django.db import transaction
from django.utils import timezone

from nhs_citizen.core import embeddings
from nhs_citizen.core.words import count_words
from nhs_citizen.discover.algorithms import sentiment
from nhs_citizen.discover.models import Batch, BatchKind, BatchStatus, Item
from nhs_citizen.discover.services import pipeline

log = logging.getLogger(__name__)

CHUNK = 500


def _embedded_items():
    return Item.objects.filter(processed_at__isnull=False, embedding__isnull=False)


def _work_out(items: list[Item], feeling: bool) -> list[tuple]:
    """(pk, vector bytes[, feeling label, feeling score]) per item: each different text is
    embedded once, and each different (text, question) scored once. Writes nothing."""
    texts = [item.text for item in items]
    first: dict[str, int] = {}
    for i, text in enumerate(texts):
        first.setdefault(text, i)
    fresh = embeddings.embed(list(first))
    vector_of = {text: fresh[row] for row, text in enumerate(first)}
    if not feeling:
        return [(item.pk, embeddings.to_bytes(vector_of[item.text])) for item in items]
    questions = [pipeline.question_asked(item) for item in items]
    pairs: dict[tuple[str, str | None], int] = {}
    for i, pair in enumerate(zip(texts, questions, strict=True)):
        pairs.setdefault(pair, i)
    scores = dict(
        zip(
            pairs,
            sentiment.score(
                [texts[i] for i in pairs.values()],
                np.vstack([vector_of[texts[i]] for i in pairs.values()]),
                [questions[i] for i in pairs.values()],
            ),
            strict=True,
        )
    )
    rows = []
    for item, question in zip(items, questions, strict=True):
        score = scores[item.text, question]
        rows.append(
            (
                item.pk,
                embeddings.to_bytes(vector_of[item.text]),
                score.label,
                round(float(score.score), 4),
            )
        )
    return rows


def do_reembed(
    *,
    after_pk: int = 0,
    chunk: int = CHUNK,
    feeling: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> Batch | None:
    """Embed every processed statement numbered above `after_pk` again (and score its feeling
    again when `feeling`). Returns the finished batch, or None when another run is going.
    `progress(done, last_pk)` is called after each chunk is saved."""
    if chunk < 1:
        raise ValueError("chunk must be 1 or more")
    batch = pipeline._claim(BatchKind.REEMBED)
    if batch is None:
        return None
    done, last = 0, after_pk
    try:
        to_do = _embedded_items().filter(pk__gt=after_pk).count()
        Batch.objects.filter(pk=batch.pk).update(item_count=to_do)
        while True:
            items = list(
                _embedded_items()
                .filter(pk__gt=last)
                .select_related("source")
                .order_by("pk")
                .only("pk", "text", "question", "source__config")[:chunk]
            )
            if not items:
                break
            rows = _work_out(items, feeling)
            with transaction.atomic():
                pipeline.save_fields(
                    ["embedding", "sentiment", "sentiment_score"] if feeling else ["embedding"],
                    rows,
                )
                done += len(items)
                last = items[-1].pk
                Batch.objects.filter(pk=batch.pk).update(
                    heartbeat_at=timezone.now(),
                    message=f"Embedded {done:,} of {to_do:,} statements again; "
                    f"up to number {last}.",
                )
            if progress is not None:
                progress(done, last)
        if feeling and done:
            # Each topic's feeling and the national figures are counted from these rows.
            pipeline.refresh_topic_stats()
            pipeline.do_refresh_figures()
        what = "embedded and scored again" if feeling else "embedded again"
        Batch.objects.filter(pk=batch.pk).update(
            status=BatchStatus.DONE,
            finished_at=timezone.now(),
            heartbeat_at=timezone.now(),
            item_count=done,
            message=f"{count_words(done, 'statement')} {what}. "
            "Find topics again to use the new vectors.",
        )
        # This process's near-duplicate memory holds the old vectors: start it again.
        pipeline.reset_caches()
        batch.refresh_from_db()
        return batch
    except BaseException as exc:  # also a worker being stopped (KeyboardInterrupt, SystemExit)
        log.exception("Discover: re-embedding stopped after statement %s", last)
        pipeline._fail(
            batch,
            f"Stopped after statement {last} ({type(exc).__name__}). Statements up to there "
            f"have new vectors; run again from {last} to carry on.",
        )
        raise
