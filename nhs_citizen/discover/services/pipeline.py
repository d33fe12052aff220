"""The pipeline: turn raw items into public statements, in batches, as background jobs.

For each batch of waiting items: redact personal data, work out exact and near duplicates
(never merging opposite stances, nor answers to different questions), embed, score sentiment,
tag the place and put each item in the nearest existing topic. Now and then, find topics again
from everything (re-clustering), keeping topic identities so curators' names, merges and hiding
survive.

Resumable: the slow work for a batch (redaction, embeddings) happens first and writes nothing;
then one transaction writes every item of the batch and marks it done. A worker killed part way
leaves its items waiting, and the next run picks them up: nothing lost, nothing twice. A batch
row records each run; a run whose worker died is marked "interrupted" when the next one starts.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np
from django.db import IntegrityError, connection, transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from nhs_citizen.core import embeddings
from nhs_citizen.core.services.audit import record_audit_entry
from nhs_citizen.core.words import count_words
from nhs_citizen.discover.algorithms import dedupe, redact, sentiment, topics, trends
from nhs_citizen.discover.models import (
    Batch,
    BatchKind,
    BatchStatus,
    Item,
    Review,
    Topic,
    question_answered,
)
from nhs_citizen.discover.services.figures import do_refresh_figures
from nhs_citizen.discover.services.place import PlaceResolver
from nhs_citizen.discover.services.status import (  # noqa: F401 (also read from here)
    BATCH_SIZE,
    JOIN_TOPIC,
    MIN_ITEMS_FOR_TOPICS,
    NEAR_DUPLICATE,
    RECLUSTER_WHEN_UNSORTED,
    STALE_AFTER,
    TREND_WEEKS,
    needs_reclustering,
    queue_processing,
)

log = logging.getLogger(__name__)


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _worker_alive(worker: str) -> bool | None:
    """True or False when the worker ran on this machine, None when we cannot tell."""
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return None
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return int(pid) != os.getpid() or None


def recover_interrupted(kind: str, *, now=None) -> int:
    """Mark runs whose worker has stopped as interrupted, so the work can start again."""
    now = now or timezone.now()
    count = 0
    for batch in Batch.objects.filter(kind=kind, status=BatchStatus.RUNNING):
        alive = _worker_alive(batch.worker)
        stale = batch.heartbeat_at is None or batch.heartbeat_at < now - STALE_AFTER
        if alive is False or (alive is None and stale):
            count += Batch.objects.filter(pk=batch.pk, status=BatchStatus.RUNNING).update(
                status=BatchStatus.INTERRUPTED,
                finished_at=now,
                message="The worker stopped part way. Nothing it was doing was saved, "
                "so its items were picked up again.",
            )
    return count


def _claim(kind: str) -> Batch | None:
    recover_interrupted(kind)
    now = timezone.now()
    try:
        with transaction.atomic():
            return Batch.objects.create(
                kind=kind,
                status=BatchStatus.RUNNING,
                started_at=now,
                heartbeat_at=now,
                worker=worker_id(),
            )
    except IntegrityError:
        return None  # another worker is doing this now


def _fail(batch: Batch, message: str) -> None:
    Batch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.FAILED, finished_at=timezone.now(), message=message[:500]
    )


# Near duplicates against what we already have ----------------------------------------------------
@dataclass
class _Representatives:
    """Vectors of public items that others can be merged into, kept in memory between
    batches. Always checked against the database before a merge."""

    ids: list[int] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    matrix: np.ndarray = field(
        default_factory=lambda: np.zeros((0, embeddings.DIMENSIONS), np.float32)
    )
    seen: set[int] = field(default_factory=set)
    loaded_until = None

    def refresh(self) -> None:
        rows = Item.objects.public().filter(embedding__isnull=False)
        if self.loaded_until is not None:
            rows = rows.filter(processed_at__gte=self.loaded_until - timedelta(seconds=5))
        rows = list(rows.values_list("pk", "exact_key", "text", "embedding", "processed_at"))
        fresh = [r for r in rows if r[0] not in self.seen]
        if fresh:
            self.ids.extend(r[0] for r in fresh)
            self.keys.extend(r[1] for r in fresh)
            self.texts.extend(r[2] for r in fresh)
            self.seen.update(r[0] for r in fresh)
            self.matrix = np.vstack(
                [self.matrix] + [embeddings.from_bytes(r[3])[None, :] for r in fresh]
            )
        if rows:
            latest = max(r[4] for r in rows)
            self.loaded_until = max(latest, self.loaded_until or latest)

    def nearest(self, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if not len(self.ids) or not len(vectors):
            return np.full(len(vectors), -1), np.zeros(len(vectors))
        best = np.full(len(vectors), -1)
        best_score = np.full(len(vectors), -1.0)
        for start in range(0, len(self.ids), 8192):
            block = self.matrix[start : start + 8192] @ vectors.T  # (block, n)
            arg = block.argmax(axis=0)
            score = block[arg, np.arange(len(vectors))]
            better = score > best_score
            best[better] = arg[better] + start
            best_score[better] = score[better]
        return best, best_score


_reps = _Representatives()
_reps_lock = threading.Lock()


def reset_caches() -> None:
    global _reps
    with _reps_lock:
        _reps = _Representatives()


# Processing ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Prepared:
    text: str
    redactions: dict
    key: str
    vector: np.ndarray
    sentiment: sentiment.Sentiment
    # Where words were taken out of the raw text: [start, end, kind] rows (private).
    spans: tuple = ()


def prepare(raw_texts: list[str], known=None, questions=None) -> list[Prepared]:
    """The slow, pure part of a batch: nothing is written. Redact, then embed and score each
    different text once: texts that are the same once normalised share one vector, and
    `known(keys)` can supply vectors of texts we already have (exact duplicates of earlier
    statements), so they are not embedded again. `questions`: the question each text answers
    (None where not known); the feeling of an answer depends on it ("Nothing" after "What was
    good?" is not "Nothing" after "What could we do better?")."""
    questions = list(questions) if questions is not None else [None] * len(raw_texts)
    if len(questions) != len(raw_texts):
        raise ValueError("questions must have one entry per text")
    redacted = [redact.redact(t) for t in raw_texts]
    texts = [r.text for r in redacted]
    keys = [dedupe.exact_key(t) for t in texts]
    vectors_by_key: dict[str, np.ndarray] = dict(known(set(keys)) if known else {})
    first: dict[str, int] = {}
    for i, key in enumerate(keys):
        first.setdefault(key, i)
    to_embed = [i for key, i in first.items() if key not in vectors_by_key]
    if to_embed:
        fresh = embeddings.embed([texts[i] for i in to_embed])
        for row, i in enumerate(to_embed):
            vectors_by_key[keys[i]] = fresh[row]
    # Scored once per different (text, question).
    scored: dict[tuple[str, str | None], int] = {}
    for i, key in enumerate(keys):
        scored.setdefault((key, questions[i]), i)
    unique = list(scored.values())
    scores_by_key = dict(
        zip(
            scored,
            sentiment.score(
                [texts[i] for i in unique],
                np.vstack([vectors_by_key[keys[i]] for i in unique]),
                [questions[i] for i in unique],
            ),
            strict=True,
        )
    )
    return [
        Prepared(
            r.text,
            r.counts,
            keys[i],
            vectors_by_key[keys[i]],
            scores_by_key[keys[i], questions[i]],
            tuple((s.start, s.end, s.kind) for s in r.spans),
        )
        for i, r in enumerate(redacted)
    ]


def question_asked(item: Item) -> str | None:
    """The question the item answers: its own (a question column in an uploaded file, such as
    a Friends and Family Test export with several questions), or else the one its source asked,
    `question` in the source's settings (the question of a call for views, an event's prompt,
    an FFT question). None when neither is known."""
    return item.question_answered


def _known_vectors(keys: set[str]) -> dict[str, np.ndarray]:
    rows = (
        Item.objects.public()
        .filter(exact_key__in=keys, embedding__isnull=False)
        .values_list("exact_key", "embedding")
    )
    return {key: embeddings.from_bytes(vector) for key, vector in rows}


def _live_centroids() -> tuple[list[int], np.ndarray]:
    rows = list(
        Topic.objects.live()
        .filter(centroid__isnull=False)
        .values_list("pk", "centroid")
        .order_by("pk")
    )
    if not rows:
        return [], np.zeros((0, embeddings.DIMENSIONS), np.float32)
    return [r[0] for r in rows], np.vstack([embeddings.from_bytes(r[1]) for r in rows])


_PROCESSED_FIELDS = (
    "text",
    "redactions",
    "redacted_spans",
    "restored_spans",
    "exact_key",
    "embedding",
    "sentiment",
    "sentiment_score",
    "region",
    "icb",
    "processed_at",
    "said_at",
    "duplicate_of",
    "topic",
    "topic_similarity",
    "weight",
)


# Rows per UPDATE statement on PostgreSQL (save_fields).
SAVE_CHUNK = 5000


def save_fields(names, rows) -> None:
    """Set the item fields `names` from rows of (pk, value for each name). Django's
    bulk_update builds a CASE expression per field and item, which took longer than the
    embeddings. On PostgreSQL: one UPDATE joined to the values sent as one array per column
    (unnest), so the server plans it once. Elsewhere: one UPDATE statement run for every row
    (executemany)."""
    rows = list(rows)
    if not rows:
        return
    fields = [Item._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    table, pk = quote(Item._meta.db_table), Item._meta.pk
    if connection.vendor == "postgresql":
        columns = [pk, *fields]
        arrays = [[row[0] for row in rows]] + [
            [field.get_db_prep_save(row[k], connection) for row in rows]
            for k, field in enumerate(fields, start=1)
        ]
        sql = "UPDATE {t} SET {sets} FROM unnest({arrays}) AS v({names}) WHERE {t}.{pk} = v.{pk}"
        sql = sql.format(
            t=table,
            sets=", ".join(f"{quote(f.column)} = v.{quote(f.column)}" for f in fields),
            arrays=", ".join(
                f"%s::{f.rel_db_type(connection) if f is pk else f.db_type(connection)}[]"
                for f in columns
            ),
            names=", ".join(quote(f.column) for f in columns),
            pk=quote(pk.column),
        )
        with connection.cursor() as cursor:
            # A chunk at a time, so a re-clustering of millions of statements does not send
            # one array parameter of millions of values.
            for start in range(0, len(rows), SAVE_CHUNK):
                cursor.execute(sql, [array[start : start + SAVE_CHUNK] for array in arrays])
        return
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        table,
        ", ".join(f"{quote(f.column)} = %s" for f in fields),
        quote(pk.column),
    )
    params = [
        [f.get_db_prep_save(value, connection) for f, value in zip(fields, row[1:], strict=True)]
        + [row[0]]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _save_processed(items: list[Item]) -> None:
    fields = [Item._meta.get_field(name) for name in _PROCESSED_FIELDS]
    save_fields(
        _PROCESSED_FIELDS,
        [[item.pk] + [getattr(item, f.attname) for f in fields] for item in items],
    )


def do_process_batch(limit: int = BATCH_SIZE, *, _before_write=None) -> Batch | None:
    """Process one batch of waiting items. Returns the batch, or None when another worker is
    processing or nothing is waiting."""
    batch = _claim(BatchKind.PROCESS)
    if batch is None:
        return None
    try:
        items = list(Item.objects.waiting().select_related("source").order_by("pk")[:limit])
        if not items:
            batch.delete()
            return None
        # Answers merge only under the same question: "Nothing" to "What was good?" is not
        # "Nothing" to "What could we do better?".
        questions = [question_asked(item) for item in items]
        prepared = prepare(
            [item.raw_text for item in items], known=_known_vectors, questions=questions
        )
        Batch.objects.filter(pk=batch.pk).update(heartbeat_at=timezone.now(), item_count=len(items))
        places = PlaceResolver()
        vectors = np.vstack([p.vector for p in prepared])
        texts = [p.text for p in prepared]
        within = dedupe.near_duplicates(texts, vectors, threshold=NEAR_DUPLICATE)

        # Against items we already have: exact first, then near (same stance only).
        existing_exact: dict[tuple[str, str | None], int] = {}
        for key, pk, own, config in (
            Item.objects.public()
            .filter(exact_key__in={p.key for p in prepared})
            .order_by("pk")
            .values_list("exact_key", "pk", "question", "source__config")
        ):
            existing_exact.setdefault((key, question_answered(own, config)), pk)
        with _reps_lock:
            _reps.refresh()
            nearest, nearest_score = _reps.nearest(vectors)
            rep_ids = list(_reps.ids)
            rep_keys = list(_reps.keys)
            rep_texts = list(_reps.texts)
        candidate_ids = {
            rep_ids[j]
            for j, s in zip(nearest, nearest_score, strict=True)
            if j >= 0 and s >= NEAR_DUPLICATE
        }
        still_public = {
            pk: (key, question_answered(own, config))
            for pk, key, own, config in Item.objects.public()
            .filter(pk__in=candidate_ids)
            .values_list("pk", "exact_key", "question", "source__config")
        }
        topic_ids, centroids = _live_centroids()
        if len(topic_ids):
            assigned, similarity = topics.assign(vectors, centroids, JOIN_TOPIC)
        else:
            assigned, similarity = np.full(len(items), -1), np.zeros(len(items))

        if _before_write is not None:
            _before_write(items)

        now = timezone.now()
        merged_into_existing: Counter[int] = Counter()
        with transaction.atomic():
            rep_topic = dict(
                Item.objects.filter(
                    pk__in=set(existing_exact.values()) | set(still_public)
                ).values_list("pk", "topic_id")
            )
            duplicates = 0
            for i, (item, prep) in enumerate(zip(items, prepared, strict=True)):
                place = places.resolve(
                    item.place_text,
                    group=item.group_name or item.source.network_name,
                    default_region_id=item.region_id or item.source.region_id,
                    default_icb_id=item.icb_id or item.source.icb_id,
                )
                item.text = prep.text
                item.redactions = prep.redactions
                item.redacted_spans = [list(span) for span in prep.spans]
                item.restored_spans = []
                item.exact_key = prep.key
                item.embedding = embeddings.to_bytes(prep.vector)
                item.sentiment = prep.sentiment.label
                item.sentiment_score = round(float(prep.sentiment.score), 4)
                item.region_id, item.icb_id = place.region_id, place.icb_id
                item.processed_at = now
                # Undated items are dated when they came in: lists are kept in date order.
                item.said_at = item.said_at or item.received_at
                item.duplicate_of = None
                item.topic_id = topic_ids[assigned[i]] if assigned[i] >= 0 else None
                item.topic_similarity = float(similarity[i]) if assigned[i] >= 0 else None
                j = nearest[i]
                if item.review == Review.WAITING:
                    # Kept apart until a curator checks it: never merged either way.
                    pass
                elif (prep.key, questions[i]) in existing_exact:
                    item.duplicate_of_id = existing_exact[prep.key, questions[i]]
                elif (
                    j >= 0
                    and nearest_score[i] >= NEAR_DUPLICATE
                    and still_public.get(rep_ids[j]) == (rep_keys[j], questions[i])
                    and dedupe.same_stance(prep.text, rep_texts[j])
                ):
                    item.duplicate_of_id = rep_ids[j]
                if item.duplicate_of_id:
                    merged_into_existing[item.duplicate_of_id] += 1
                    item.topic_id = rep_topic.get(item.duplicate_of_id)
                    duplicates += 1
            # Within the batch: point at the representative, unless it went to an older one.
            # Each group of near duplicates has a representative per question asked: the first
            # of its items that answers that question.
            group_first: dict[tuple[int, str | None], int] = {}
            for i, item in enumerate(items):
                if item.review == Review.WAITING:
                    continue  # kept apart until a curator checks it
                r = group_first.setdefault((within[i], questions[i]), i)
                if r != i and not item.duplicate_of_id:
                    rep = items[r]
                    target = rep.duplicate_of_id or rep.pk
                    item.duplicate_of_id = target
                    item.topic_id = rep.topic_id
                    if rep.duplicate_of_id:
                        merged_into_existing[target] += 1
                    else:
                        rep.weight += 1
                    duplicates += 1
            _save_processed(items)
            for rep_id, n in merged_into_existing.items():
                Item.objects.filter(pk=rep_id).update(weight=F("weight") + n)
            Batch.objects.filter(pk=batch.pk).update(
                status=BatchStatus.DONE,
                finished_at=timezone.now(),
                heartbeat_at=timezone.now(),
                new_count=len(items) - duplicates,
                duplicate_count=duplicates,
                message=f"{count_words(len(items), 'item')}: "
                f"{count_words(len(items) - duplicates, 'new statement')}, "
                f"{count_words(duplicates, 'duplicate')} merged",
            )
        batch.refresh_from_db()
        return batch
    except BaseException as exc:  # also a worker being stopped (KeyboardInterrupt, SystemExit)
        log.exception("Discover: processing batch %s failed", batch.pk)
        _fail(batch, f"Something went wrong: {type(exc).__name__}. The items are still waiting.")
        raise


def do_process_waiting(max_batches: int | None = None) -> int:
    """Process batches until nothing is waiting; then refresh topic figures, and find topics
    again if many statements have no topic. Returns how many items were processed."""
    done = 0
    batches = 0
    while max_batches is None or batches < max_batches:
        batch = do_process_batch()
        if batch is None:
            break
        done += batch.item_count
        batches += 1
    if done:
        if needs_reclustering():
            do_recluster()
        else:
            refresh_topic_stats()
            do_refresh_figures()
    return done


# Topics --------------------------------------------------------------------------------------------
def unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


def do_recluster(*, actor=None, reason: str = "") -> Batch | None:
    """Find topics again from every public statement, keeping topic identities."""
    batch = _claim(BatchKind.RECLUSTER)
    if batch is None:
        return None
    try:
        rows = list(
            Item.objects.public()
            .filter(embedding__isnull=False)
            .order_by("pk")
            .values_list("pk", "text", "embedding", "weight")
        )
        if len(rows) < MIN_ITEMS_FOR_TOPICS:
            Batch.objects.filter(pk=batch.pk).update(
                status=BatchStatus.DONE,
                finished_at=timezone.now(),
                item_count=len(rows),
                message=f"Not enough statements to find topics yet ({len(rows)} of "
                f"{MIN_ITEMS_FOR_TOPICS})",
            )
            batch.refresh_from_db()
            return batch
        ids = [r[0] for r in rows]
        texts = [r[1] for r in rows]
        vectors = np.vstack([embeddings.from_bytes(r[2]) for r in rows])
        weights = np.array([r[3] for r in rows], dtype=float)
        model = topics.cluster(vectors, weights, seed=0)
        labels = topics.describe(texts, model, vectors)
        Batch.objects.filter(pk=batch.pk).update(heartbeat_at=timezone.now(), item_count=len(rows))

        before = list(
            Topic.objects.filter(retired_at__isnull=True, centroid__isnull=False)
            .select_related("merged_into")
            .order_by("pk")
        )
        if before:
            old_matrix = np.vstack([embeddings.from_bytes(t.centroid) for t in before])
            matched = topics.match(old_matrix, model.centroids)
        else:
            matched = {}
        now = timezone.now()
        with transaction.atomic():
            owner: dict[int, Topic] = {}
            kept, created = set(), 0
            for k in range(len(model.centroids)):
                label = labels[k]
                if k in matched:
                    topic = before[matched[k]].final()
                    kept.add(topic.pk)
                else:
                    topic = Topic.objects.create(auto_name=label.name[:200], created_at=now)
                    created += 1
                owner[k] = topic
            # Several clusters can land in one topic (a curator merged them): pool them.
            clusters_of: dict[int, list[int]] = defaultdict(list)
            for k, topic in owner.items():
                clusters_of[topic.pk].append(k)
            labels_array = model.labels
            for ks in clusters_of.values():
                topic = owner[ks[0]]
                members = np.isin(labels_array, ks)
                centroid = unit((vectors[members] * weights[members, None]).sum(axis=0))
                biggest = max(ks, key=lambda k: int((labels_array == k).sum()))
                label = labels[biggest]
                topic.auto_name = label.name[:200]
                topic.words = list(label.words)
                topic.typical_item_id = ids[label.typical]
                topic.centroid = embeddings.to_bytes(centroid)
                topic.updated_at = now
                topic.save(
                    update_fields=["auto_name", "words", "typical_item", "centroid", "updated_at"]
                )
            faded = (
                Topic.objects.live()
                .exclude(pk__in=list(clusters_of))
                .update(retired_at=now, updated_at=now)
            )
            # Put every statement in its topic.
            similarity = np.zeros(len(ids))
            topic_centroids = {
                pk: embeddings.from_bytes(owner[ks[0]].centroid) for pk, ks in clusters_of.items()
            }
            changed = []
            for i, pk in enumerate(ids):
                k = int(labels_array[i])
                topic_pk = owner[k].pk if k >= 0 else None
                if topic_pk is not None:
                    similarity[i] = float(vectors[i] @ topic_centroids[topic_pk])
                changed.append((pk, topic_pk, round(float(similarity[i]), 4) if topic_pk else None))
            save_fields(("topic", "topic_similarity"), changed)
            # Duplicates follow the statement they were merged into.
            Item.objects.filter(duplicate_of__isnull=False).update(
                topic_id=Subquery(
                    Item.objects.filter(pk=OuterRef("duplicate_of_id")).values("topic_id")[:1]
                )
            )
            refresh_topic_stats(now=now)
            do_refresh_figures(now=now)
            message = (
                f"Found {count_words(len(clusters_of), 'topic')} in "
                f"{count_words(len(ids), 'statement')}: "
                f"{len(kept)} kept from before, {created} new, {faded} faded"
            )
            Batch.objects.filter(pk=batch.pk).update(
                status=BatchStatus.DONE, finished_at=timezone.now(), message=message
            )
            record_audit_entry(
                actor=actor,
                action="discover.topics_found_again",
                summary=message,
                reason=reason,
                data={"topics": len(clusters_of), "statements": len(ids)},
                public=True,
            )
        batch.refresh_from_db()
        return batch
    except BaseException as exc:
        log.exception("Discover: re-clustering failed")
        _fail(batch, f"Something went wrong: {type(exc).__name__}. The topics did not change.")
        raise


def refresh_topic_stats(*, now=None, topic_ids: list[int] | None = None) -> None:
    """Size, sentiment and trend for each live topic, from its public statements; and what its
    page shows (statements per week, places, sources), so the page reads them ready-made."""
    now = now or timezone.now()
    rows = Item.objects.counted().filter(topic__isnull=False)
    live = Topic.objects.live()
    if topic_ids is not None:
        rows = rows.filter(topic_id__in=topic_ids)
        live = live.filter(pk__in=topic_ids)

    def empty() -> dict:
        return {
            "count": 0,
            "weight": 0,
            "sent": Counter(),
            "weeks": [0] * (TREND_WEEKS + 1),
            "places": Counter(),
            "sources": Counter(),
        }

    per_topic: dict[int, dict] = defaultdict(empty)
    # Each time something was said counts once, at its own date, with its own feeling.
    for (
        topic_id,
        duplicate_of,
        feeling,
        said_at,
        received_at,
        region,
        icb,
        source_id,
    ) in rows.values_list(
        "topic_id",
        "duplicate_of_id",
        "sentiment",
        "said_at",
        "received_at",
        "region__name",
        "icb__name",
        "source_id",
    ).iterator(chunk_size=5000):
        stats = per_topic[topic_id]
        stats["count"] += duplicate_of is None
        stats["weight"] += 1
        stats["sent"][feeling] += 1
        age = (now - (said_at or received_at)).days // 7
        if 0 <= age <= TREND_WEEKS:
            stats["weeks"][TREND_WEEKS - age] += 1
        if region:
            stats["places"][(region, icb or "")] += 1
        stats["sources"][source_id] += 1
    changed = []
    for topic in live:
        stats = per_topic.get(topic.pk) or empty()
        total = max(stats["weight"], 1)
        trend = trends.rising(stats["weeks"], recent_periods=1)
        topic.item_count = stats["count"]
        topic.weight = stats["weight"]
        topic.positive_share = stats["sent"]["positive"] / total
        topic.neutral_share = stats["sent"]["neutral"] / total
        topic.negative_share = stats["sent"]["negative"] / total
        topic.recent_count = trend.recent
        topic.expected_count = round(float(trend.expected), 3)
        topic.trend_ratio = round(float(trend.ratio), 3) if np.isfinite(trend.ratio) else 99.0
        topic.trend_p_value = float(trend.p_value)
        topic.rising = bool(trend.rising)
        topic.weekly = list(stats["weeks"])
        topic.places = [
            [region, icb, n]
            for (region, icb), n in sorted(
                stats["places"].items(), key=lambda pair: (-pair[1], pair[0][0], pair[0][1])
            )
        ]
        topic.networks = [[source_id, n] for source_id, n in stats["sources"].most_common()]
        topic.figures_at = now
        changed.append(topic)
    Topic.objects.bulk_update(
        changed,
        [
            "item_count",
            "weight",
            "positive_share",
            "neutral_share",
            "negative_share",
            "recent_count",
            "expected_count",
            "trend_ratio",
            "trend_p_value",
            "rising",
            "weekly",
            "places",
            "networks",
            "figures_at",
        ],
        batch_size=200,
    )
