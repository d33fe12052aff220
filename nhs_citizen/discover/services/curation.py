"""What curators do with topics and statements: rename, merge, split, hide, and take a topic
to Gather as a flag. Every change is public in the audit log, with its reason.

Web pages import this module, so NumPy, the embeddings and the clustering are imported only
inside the functions that run as background jobs (``do_split_topic``, ``_weighted_centroid``).
Figures that cover a whole topic are refreshed by a job, queued in the same transaction."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from nhs_citizen.core.services.audit import record_audit_entry
from nhs_citizen.discover.models import FlaggedItem, Item, Topic

MAX_FLAG_ITEMS = 50
MIN_ITEMS_TO_SPLIT = 4


def _queue_refresh(topic_ids: list[int] | None = None) -> None:
    """Recompute the topics' figures and the dashboard in a background job. Queued inside the
    caller's transaction: the job's row is saved with the change, or not at all."""
    from nhs_citizen.discover import tasks

    tasks.refresh_topics.enqueue(topic_ids)


def _queue_refresh_figures() -> None:
    from nhs_citizen.discover import tasks

    tasks.refresh_figures.enqueue()


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter a reason. It will be public"})
    if len(reason) > 500:
        raise ValidationError({"reason": "The reason must be 500 characters or fewer"})
    return reason


def _check_live(topic: Topic) -> None:
    if topic.merged_into_id or topic.retired_at:
        raise ValidationError("This topic has been merged or has faded, so it cannot be changed")


def check_rename_topic(*, curator, topic: Topic, name: str, reason: str = "") -> Topic:
    _check_live(topic)
    name = (name or "").strip()
    if len(name) > 100:
        raise ValidationError({"name": "The name must be 100 characters or fewer"})
    with transaction.atomic():
        old = topic.name
        topic.curator_name = name
        topic.updated_at = timezone.now()
        topic.save(update_fields=["curator_name", "updated_at"])
        record_audit_entry(
            actor=curator,
            action="discover.topic_renamed",
            summary=f"Renamed the topic “{old}” to “{topic.name}”"
            if name
            else f"Gave the topic “{old}” back its automatic name “{topic.name}”",
            target=topic,
            reason=(reason or "").strip()[:500],
            public=True,
        )
    return topic


def _weighted_centroid(topic_ids: list[int]) -> bytes | None:
    import numpy as np

    from nhs_citizen.core import embeddings

    rows = list(
        Item.objects.public()
        .filter(topic_id__in=topic_ids, embedding__isnull=False)
        .values_list("embedding", "weight")
    )
    if not rows:
        return None
    vectors = np.vstack([embeddings.from_bytes(r[0]) for r in rows])
    weights = np.array([r[1] for r in rows], dtype=float)
    centroid = (vectors * weights[:, None]).sum(axis=0)
    norm = float(np.linalg.norm(centroid))
    return embeddings.to_bytes(centroid / norm if norm else centroid)


def do_recentre_topic(topic_id: int) -> None:
    """After a merge: the topic's centre from all its statements now. A background job."""
    centroid = _weighted_centroid([topic_id])
    if centroid is not None:
        Topic.objects.filter(pk=topic_id).update(centroid=centroid)


def check_merge_topics(*, curator, source: Topic, target: Topic, reason: str) -> Topic:
    """Fold one topic into another. Finding topics again later keeps them together."""
    reason = _reason(reason)
    if source.pk == target.pk:
        raise ValidationError({"target": "Choose a different topic to merge into"})
    _check_live(source)
    _check_live(target)
    with transaction.atomic():
        now = timezone.now()
        Item.objects.filter(topic=source).update(topic=target)
        Topic.objects.filter(merged_into=source).update(merged_into=target)
        source.merged_into = target
        source.updated_at = now
        source.save(update_fields=["merged_into", "updated_at"])
        target.updated_at = now
        target.save(update_fields=["updated_at"])
        from nhs_citizen.discover import tasks

        # The new centre of the topic, its figures and the dashboard: in a background job.
        tasks.merged_topic.enqueue(target.pk)
        record_audit_entry(
            actor=curator,
            action="discover.topics_merged",
            summary=f"Merged the topic “{source.name}” into “{target.name}”",
            target=target,
            reason=reason,
            data={"merged": source.pk, "into": target.pk},
            public=True,
        )
    target.refresh_from_db()
    return target


def check_split_topic(*, curator, topic: Topic, reason: str) -> None:
    """Check a split can be asked for, and ask for it: finding the two parts runs a clustering
    model, so it runs as a background job (``do_split_topic``)."""
    from nhs_citizen.discover import tasks

    reason = _reason(reason)
    _check_live(topic)
    enough = (
        Item.objects.public()
        .filter(topic=topic, embedding__isnull=False)
        .values("pk")[:MIN_ITEMS_TO_SPLIT]
        .count()
    )
    if enough < MIN_ITEMS_TO_SPLIT:
        raise ValidationError(
            f"A topic needs at least {MIN_ITEMS_TO_SPLIT} statements before it can be split"
        )
    tasks.split_topic.enqueue(topic.pk, curator.pk, reason)


def do_split_topic(*, curator, topic: Topic, reason: str) -> Topic:
    """Split a topic in two by meaning. The larger part keeps the topic (and its name); the
    smaller part becomes a new topic. Returns the new topic. A background job."""
    import numpy as np

    from nhs_citizen.core import embeddings
    from nhs_citizen.discover.algorithms import topics as topic_algorithms
    from nhs_citizen.discover.algorithms.split import split_in_two
    from nhs_citizen.discover.services.pipeline import refresh_topic_stats, unit

    reason = _reason(reason)
    _check_live(topic)
    rows = list(
        Item.objects.public()
        .filter(topic=topic, embedding__isnull=False)
        .order_by("pk")
        .values_list("pk", "text", "embedding", "weight")
    )
    if len(rows) < MIN_ITEMS_TO_SPLIT:
        raise ValidationError(
            f"A topic needs at least {MIN_ITEMS_TO_SPLIT} statements before it can be split"
        )
    vectors = np.vstack([embeddings.from_bytes(r[2]) for r in rows])
    weights = np.array([r[3] for r in rows], dtype=float)
    parts = split_in_two(vectors, weights)
    if parts.min() == parts.max():
        raise ValidationError("The statements in this topic are too alike to split")
    texts = [r[1] for r in rows]
    centroids = np.vstack([unit(vectors[parts == p].mean(axis=0)) for p in (0, 1)])
    model = topic_algorithms.TopicModel(labels=parts, centroids=centroids)
    labels = topic_algorithms.describe(texts, model, vectors)
    ids = np.array([r[0] for r in rows])
    with transaction.atomic():
        now = timezone.now()
        new = Topic.objects.create(
            auto_name=labels[1].name[:200],
            words=list(labels[1].words),
            typical_item_id=int(ids[labels[1].typical]),
            centroid=embeddings.to_bytes(centroids[1]),
            split_from=topic,
            created_at=now,
            updated_at=now,
        )
        Item.objects.filter(pk__in=[int(i) for i in ids[parts == 1]]).update(topic=new)
        Item.objects.filter(duplicate_of__in=[int(i) for i in ids[parts == 1]]).update(topic=new)
        topic.centroid = embeddings.to_bytes(centroids[0])
        topic.words = list(labels[0].words)
        topic.auto_name = labels[0].name[:200]
        topic.typical_item_id = int(ids[labels[0].typical])
        topic.updated_at = now
        topic.save(update_fields=["centroid", "words", "auto_name", "typical_item", "updated_at"])
        refresh_topic_stats(topic_ids=[topic.pk, new.pk])
        _queue_refresh_figures()
        record_audit_entry(
            actor=curator,
            action="discover.topic_split",
            summary=f"Split the topic “{topic.name}” in two: the new topic is “{new.name}”",
            target=new,
            reason=reason,
            data={"from": topic.pk, "new": new.pk},
            public=True,
        )
    new.refresh_from_db()
    return new


def check_hide_topic(*, curator, topic: Topic, hide: bool, reason: str) -> Topic:
    reason = _reason(reason)
    _check_live(topic)
    with transaction.atomic():
        topic.hidden_at = timezone.now() if hide else None
        topic.hidden_reason = reason if hide else ""
        topic.save(update_fields=["hidden_at", "hidden_reason"])
        # Pages drop a hidden topic at once; the stored network of networks follows.
        _queue_refresh_figures()
        record_audit_entry(
            actor=curator,
            action="discover.topic_hidden" if hide else "discover.topic_shown",
            summary=f"{'Hid' if hide else 'Showed again'} the topic “{topic.name}”",
            target=topic,
            reason=reason,
            public=True,
        )
    return topic


def check_hide_item(*, curator, item: Item, hide: bool, reason: str) -> Item:
    """Curators hide a statement, or show it again, through the moderation app's one service
    for every kind of content (ADR 0025): the reason shows in its place, the sender (if signed
    in) is told and can appeal, and the decision is in the moderation log."""
    from nhs_citizen.moderation import services as moderation

    action = moderation.check_hide if hide else moderation.check_restore
    return action(moderator=curator, kind="statement", object_id=item.pk, reason=reason)


def representative_items(topic: Topic, limit: int = 10) -> list[Item]:
    """The statements closest to the topic's centre, heaviest first among equals."""
    return list(
        Item.objects.public()
        .filter(topic=topic)
        .select_related("source", "region", "icb")
        .order_by("-topic_similarity", "-weight", "pk")[:limit]
    )


def check_flag_topic(
    *,
    curator,
    topic: Topic,
    title: str,
    what_should_change: str,
    why: str,
    gather_topic,
    place,
) -> object:
    """Take a topic to Gather: a new flag, linked back to the statements it came from."""
    from nhs_citizen.gather.models import Evidence
    from nhs_citizen.gather.services.flags import check_raise_flag

    _check_live(topic)
    if topic.flag_id:
        raise ValidationError("This topic has already been taken to Gather")
    items = representative_items(topic, limit=MAX_FLAG_ITEMS)
    if not items:
        raise ValidationError("This topic has no statements to take to Gather")
    with transaction.atomic():
        flag = check_raise_flag(
            user=curator,
            title=title,
            what_should_change=what_should_change,
            why=why,
            topic=gather_topic,
            place=place,
        )
        FlaggedItem.objects.bulk_create(
            [FlaggedItem(flag=flag, topic=topic, item=item) for item in items]
        )
        Evidence.objects.create(
            flag=flag,
            added_by=curator,
            title=f"What people said in Discover: {topic.name} ({topic.weight} statements)"[:150],
            url=settings.SITE_URL + reverse("discover:flag_sources", args=[flag.pk]),
        )
        topic.flag = flag
        topic.save(update_fields=["flag"])
        record_audit_entry(
            actor=curator,
            action="discover.topic_flagged",
            summary=f"Took the topic “{topic.name}” to Gather as the flag “{flag.title}”",
            target=topic,
            data={"flag": flag.pk, "statements": len(items)},
            public=True,
        )
    return flag
