"""Read-only questions the public pages ask: the state of the conversation, with filters."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from nhs_citizen.core.models import Region
from nhs_citizen.discover.models import Item, Sentiment, Source, Topic
from nhs_citizen.discover.services.pipeline import TREND_WEEKS

PERIODS = {"": None, "week": 7, "month": 31, "quarter": 92, "year": 366}
PERIOD_CHOICES = [
    ("", "All time"),
    ("week", "Last 7 days"),
    ("month", "Last month"),
    ("quarter", "Last 3 months"),
    ("year", "Last year"),
]


@dataclass(frozen=True)
class Filters:
    region: Region | None = None
    kind: str = ""
    period: str = ""
    sentiment: str = ""
    topic: Topic | None = None
    source: Source | None = None
    search: str = ""

    def apply(self, items: QuerySet[Item], *, now=None) -> QuerySet[Item]:
        if self.region is not None:
            items = items.filter(region=self.region)
        if self.kind:
            items = items.filter(source__kind=self.kind)
        if self.sentiment:
            items = items.filter(sentiment=self.sentiment)
        if self.topic is not None:
            items = items.filter(topic=self.topic)
        if self.source is not None:
            items = items.filter(source=self.source)
        if self.search:
            items = items.filter(text__icontains=self.search)
        days = PERIODS.get(self.period)
        if days:
            since = (now or timezone.now()) - dt.timedelta(days=days)
            items = items.filter(
                Q(said_at__gte=since) | Q(said_at__isnull=True, received_at__gte=since)
            )
        return items

    @property
    def any(self) -> bool:
        return bool(self.region or self.kind or self.period or self.sentiment or self.search)


@dataclass
class TopicRow:
    topic: Topic
    statements: int
    weight: int
    positive: int
    neutral: int
    negative: int
    top_region: str = ""

    def share(self, part: int) -> float:
        return part / self.weight if self.weight else 0.0


@dataclass
class Dashboard:
    rows: list[TopicRow]
    total_weight: int
    total_statements: int
    duplicates_merged: int
    sources: int
    unsorted: int
    sentiment: dict[str, int] = field(default_factory=dict)
    rising: list[TopicRow] = field(default_factory=list)
    regions: list[tuple[str, int]] = field(default_factory=list)


def dashboard(filters: Filters, *, limit: int | None = None) -> Dashboard:
    """Figures count every time something was said (duplicates included, each at its own date
    and place); "statements" counts the different things said."""
    items = filters.apply(Item.objects.counted())
    distinct = Q(duplicate_of__isnull=True)
    per_topic = (
        items.filter(topic__isnull=False, topic__hidden_at__isnull=True)
        .values("topic_id")
        .annotate(
            statements=Count("pk", filter=distinct),
            times=Count("pk"),
            pos=Count("pk", filter=Q(sentiment=Sentiment.POSITIVE)),
            neu=Count("pk", filter=Q(sentiment=Sentiment.NEUTRAL)),
            neg=Count("pk", filter=Q(sentiment=Sentiment.NEGATIVE)),
        )
    )
    figures = {row["topic_id"]: row for row in per_topic}
    topics = Topic.objects.public().filter(pk__in=list(figures)).select_related("typical_item")
    top_region: dict[int, Counter] = defaultdict(Counter)
    for topic_id, region_name in items.filter(
        topic_id__in=list(figures), region__isnull=False
    ).values_list("topic_id", "region__name"):
        top_region[topic_id][region_name] += 1
    rows = []
    for topic in topics:
        f = figures[topic.pk]
        regions = top_region.get(topic.pk)
        rows.append(
            TopicRow(
                topic=topic,
                statements=f["statements"],
                weight=f["times"] or 0,
                positive=f["pos"] or 0,
                neutral=f["neu"] or 0,
                negative=f["neg"] or 0,
                top_region=regions.most_common(1)[0][0] if regions else "",
            )
        )
    rows.sort(key=lambda r: (-r.weight, r.topic.name))
    totals = items.aggregate(n=Count("pk", filter=distinct), w=Count("pk"))
    sentiment = {
        row["sentiment"]: row["w"]
        for row in items.values("sentiment").annotate(w=Count("pk")).order_by()
    }
    regions = [
        (row["region__name"], row["w"])
        for row in items.filter(region__isnull=False)
        .values("region__name")
        .annotate(w=Count("pk"))
        .order_by("-w", "region__name")
    ]
    return Dashboard(
        rows=rows[:limit] if limit else rows,
        total_weight=totals["w"] or 0,
        total_statements=totals["n"] or 0,
        duplicates_merged=(totals["w"] or 0) - (totals["n"] or 0),
        sources=items.values("source_id").distinct().count(),
        unsorted=items.filter(distinct, topic__isnull=True).count(),
        sentiment=sentiment,
        rising=[r for r in rows if r.topic.rising],
        regions=regions,
    )


def weekly_counts(topic: Topic, *, now=None) -> list[tuple[dt.date, int]]:
    """Statements (with duplicates) in each of the last weeks, oldest first; the last entry
    is the 7 days up to now."""
    now = now or timezone.now()
    weeks = [0] * (TREND_WEEKS + 1)
    for said_at, received_at in (
        Item.objects.counted().filter(topic=topic).values_list("said_at", "received_at")
    ):
        age = (now - (said_at or received_at)).days // 7
        if 0 <= age <= TREND_WEEKS:
            weeks[TREND_WEEKS - age] += 1
    return [
        ((now - dt.timedelta(days=7 * (TREND_WEEKS - i + 1) - 1)).date(), count)
        for i, count in enumerate(weeks)
    ]


def topic_places(topic: Topic) -> list[tuple[str, str, int]]:
    rows = (
        Item.objects.counted()
        .filter(topic=topic, region__isnull=False)
        .values("region__name", "icb__name")
        .annotate(w=Count("pk"))
        .order_by("-w", "region__name", "icb__name")
    )
    return [(r["region__name"], r["icb__name"] or "", r["w"]) for r in rows]


def topic_networks(topic: Topic) -> list[tuple[Source, int]]:
    rows = (
        Item.objects.counted()
        .filter(topic=topic)
        .values("source_id")
        .annotate(w=Count("pk"))
        .order_by("-w")
    )
    sources = Source.objects.select_related("organisation").in_bulk([r["source_id"] for r in rows])
    return [(sources[r["source_id"]], r["w"]) for r in rows if r["source_id"] in sources]


# Network of networks ------------------------------------------------------------------------------
@dataclass
class Network:
    name: str
    organisation: object | None
    sources: list[Source]
    weight: int
    topics: list[tuple[Topic, int]]


@dataclass
class Connection:
    a: str
    b: str
    shared: list[Topic]


def networks(min_share: int = 1) -> tuple[list[Network], list[Connection]]:
    """The organisations and groups the conversation comes from (each source belongs to its
    organisation, or its group, or stands alone), their main topics, and which of them share
    topics."""
    rows = Item.objects.counted().values("source_id", "topic_id").annotate(w=Count("pk"))
    sources = Source.objects.select_related("organisation").in_bulk()
    topics = Topic.objects.public().in_bulk()
    by_network: dict[str, dict] = {}
    for row in rows:
        source = sources.get(row["source_id"])
        topic = topics.get(row["topic_id"])  # None: no topic yet, or a hidden one
        if source is None:
            continue
        name = source.network_name or source.name
        network = by_network.setdefault(
            name,
            {"organisation": source.organisation, "sources": {}, "topics": Counter(), "weight": 0},
        )
        network["sources"][source.pk] = source
        network["weight"] += row["w"]
        if topic is not None:
            network["topics"][topic.pk] += row["w"]
    result = []
    for name, data in by_network.items():
        result.append(
            Network(
                name=name,
                organisation=data["organisation"],
                sources=sorted(data["sources"].values(), key=lambda s: s.name),
                weight=data["weight"],
                topics=[(topics[t], w) for t, w in data["topics"].most_common()],
            )
        )
    result.sort(key=lambda n: (-n.weight, n.name))
    connections = []
    for a, b in combinations(result, 2):
        shared_ids = {t.pk for t, w in a.topics if w >= min_share} & {
            t.pk for t, w in b.topics if w >= min_share
        }
        if shared_ids:
            connections.append(
                Connection(
                    a.name,
                    b.name,
                    sorted((topics[t] for t in shared_ids), key=lambda t: (-t.weight, t.name)),
                )
            )
    connections.sort(key=lambda c: (-len(c.shared), c.a, c.b))
    return result, connections


def topics_near(
    vector: bytes | None, *, limit: int = 3, min_similarity: float = 0.3
) -> list[Topic]:
    """Public topics whose meaning is closest to a piece of text's embedding (for example a
    flag's), most similar first."""
    import numpy as np

    from nhs_citizen.core import embeddings

    if not vector:
        return []
    query = embeddings.from_bytes(vector)
    scored = []
    for topic in Topic.objects.public().filter(centroid__isnull=False, item_count__gt=0):
        similarity = float(np.dot(embeddings.from_bytes(topic.centroid), query))
        if similarity >= min_similarity:
            scored.append((similarity, topic))
    scored.sort(key=lambda pair: -pair[0])
    return [topic for _, topic in scored[:limit]]
