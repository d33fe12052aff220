"""Read-only questions the public pages ask: the state of the conversation, with filters."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from nhs_citizen.core.models import Region
from nhs_citizen.core.streaming import iterate_keyset
from nhs_citizen.discover.models import (
    Figure,
    Item,
    Sentiment,
    Snapshot,
    Source,
    SourceFigure,
    Topic,
)
from nhs_citizen.discover.services.status import TREND_WEEKS

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
    and place); "statements" counts the different things said. Read from the stored figures
    (``services/figures.py``): a few queries over at most topics x regions rows, whatever the
    number of statements. Filters by region, kind of source and period."""
    cells = Figure.objects.filter(period=filters.period or "")
    sources = SourceFigure.objects.filter(period=filters.period or "", times__gt=0)
    if filters.region is not None:
        cells = cells.filter(region=filters.region)
        sources = sources.filter(region=filters.region)
    if filters.kind:
        cells = cells.filter(source_kind=filters.kind)
        sources = sources.filter(source__kind=filters.kind)
    per_topic: dict[int | None, Counter] = defaultdict(Counter)
    per_region: Counter = Counter()
    top_region: dict[int, Counter] = defaultdict(Counter)
    for row in (
        cells.values("topic_id", "region_id")
        .annotate(
            s=Sum("statements"),
            t=Sum("times"),
            pos=Sum("positive"),
            neu=Sum("neutral"),
            neg=Sum("negative"),
        )
        .order_by()
    ):
        figures = per_topic[row["topic_id"]]
        figures["statements"] += row["s"] or 0
        figures["times"] += row["t"] or 0
        figures["pos"] += row["pos"] or 0
        figures["neu"] += row["neu"] or 0
        figures["neg"] += row["neg"] or 0
        if row["region_id"] is not None:
            per_region[row["region_id"]] += row["t"] or 0
            if row["topic_id"] is not None:
                top_region[row["topic_id"]][row["region_id"]] += row["t"] or 0
    region_names = dict(Region.objects.values_list("pk", "name")) if per_region else {}
    topics = Topic.objects.public().filter(
        pk__in=[pk for pk, f in per_topic.items() if pk is not None and f["times"]]
    )
    rows = []
    # The table needs names, counts and trends: not centres, words or weekly figures.
    for topic in topics.defer("centroid", "words", "weekly", "places", "networks"):
        f = per_topic[topic.pk]
        regions = top_region.get(topic.pk)
        rows.append(
            TopicRow(
                topic=topic,
                statements=f["statements"],
                weight=f["times"],
                positive=f["pos"],
                neutral=f["neu"],
                negative=f["neg"],
                top_region=region_names.get(
                    min(regions, key=lambda pk: (-regions[pk], region_names.get(pk, ""))), ""
                )
                if regions
                else "",
            )
        )
    rows.sort(key=lambda r: (-r.weight, r.topic.name))
    total_weight = sum(f["times"] for f in per_topic.values())
    total_statements = sum(f["statements"] for f in per_topic.values())
    return Dashboard(
        rows=rows[:limit] if limit else rows,
        total_weight=total_weight,
        total_statements=total_statements,
        duplicates_merged=total_weight - total_statements,
        sources=sources.values("source_id").distinct().count(),
        unsorted=per_topic[None]["statements"] if None in per_topic else 0,
        sentiment={
            Sentiment.POSITIVE.value: sum(f["pos"] for f in per_topic.values()),
            Sentiment.NEUTRAL.value: sum(f["neu"] for f in per_topic.values()),
            Sentiment.NEGATIVE.value: sum(f["neg"] for f in per_topic.values()),
        },
        rising=[r for r in rows if r.topic.rising],
        regions=sorted(
            ((region_names.get(pk, ""), w) for pk, w in per_region.items() if w),
            key=lambda pair: (-pair[1], pair[0]),
        ),
    )


def weekly_counts(topic: Topic) -> list[tuple[dt.date, int]]:
    """Statements (with duplicates) in each of the last weeks, oldest first; the last entry
    is the 7 days up to when the figures were made. Stored by the figures job."""
    now = topic.figures_at or timezone.now()
    weeks = list(topic.weekly or []) or [0] * (TREND_WEEKS + 1)
    return [
        ((now - dt.timedelta(days=7 * (len(weeks) - i) - 1)).date(), count)
        for i, count in enumerate(weeks)
    ]


def topic_places(topic: Topic) -> list[tuple[str, str, int]]:
    return [(region, icb, n) for region, icb, n in topic.places or []]


def topic_networks(topic: Topic, limit: int = 50) -> list[tuple[Source, int]]:
    rows = (topic.networks or [])[:limit]
    sources = Source.objects.select_related("organisation").in_bulk([pk for pk, _ in rows])
    return [(sources[pk], n) for pk, n in rows if pk in sources]


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


def networks() -> tuple[list[Network], list[Connection]]:
    """The organisations and groups the conversation comes from, their main topics, and which
    of them share topics: stored by the figures job, names looked up here (three queries)."""
    snapshot = Snapshot.objects.filter(name="networks").values_list("data", flat=True).first()
    if not snapshot:
        return [], []
    stored = snapshot.get("networks", [])
    source_ids = {pk for n in stored for pk in n["sources"]}
    sources = Source.objects.select_related("organisation").in_bulk(list(source_ids))
    topic_ids = {t for n in stored for t, _ in n["topics"]} | {
        t for c in snapshot.get("connections", []) for t in c["shared"]
    }
    topics = Topic.objects.public().in_bulk(list(topic_ids))
    result = []
    for n in stored:
        network_sources = [sources[pk] for pk in n["sources"] if pk in sources]
        organisation = next(
            (s.organisation for s in network_sources if s.organisation_id == n["organisation"]),
            None,
        )
        result.append(
            Network(
                name=n["name"],
                organisation=organisation,
                sources=network_sources,
                weight=n["weight"],
                topics=[(topics[t], w) for t, w in n["topics"] if t in topics],
            )
        )
    connections = []
    for c in snapshot.get("connections", []):
        shared = [topics[t] for t in c["shared"] if t in topics]
        if shared:
            connections.append(Connection(c["a"], c["b"], shared))
    return result, connections


NEAR_TOPICS_CACHE_SECONDS = 600


def topics_near(
    vector: bytes | None, *, limit: int = 3, min_similarity: float = 0.3
) -> list[Topic]:
    """Public topics whose meaning is closest to a piece of text's embedding (for example a
    flag's), most similar first. The comparison with every topic's centre is kept in the
    cache for a few minutes, so a busy page reads one small query."""
    import hashlib

    if not vector:
        return []
    key = (
        "discover:near:" + hashlib.sha256(bytes(vector)).hexdigest() + f":{limit}:{min_similarity}"
    )
    ids = cache.get(key)
    if ids is None:
        ids = _nearest_topic_ids(vector, limit=limit, min_similarity=min_similarity)
        cache.set(key, ids, NEAR_TOPICS_CACHE_SECONDS)
    if not ids:
        return []
    found = Topic.objects.public().in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def _nearest_topic_ids(vector: bytes, *, limit: int, min_similarity: float) -> list[int]:
    import numpy as np

    from nhs_citizen.core import embeddings

    query = embeddings.from_bytes(vector)
    scored = []
    for pk, centroid in (
        Topic.objects.public()
        .filter(centroid__isnull=False, item_count__gt=0)
        .values_list("pk", "centroid")
    ):
        similarity = float(np.dot(embeddings.from_bytes(centroid), query))
        if similarity >= min_similarity:
            scored.append((similarity, pk))
    scored.sort(key=lambda pair: -pair[0])
    return [pk for _, pk in scored[:limit]]


TOPIC_COLUMNS = [
    "id",
    "name",
    "words",
    "statements",
    "times_said",
    "positive",
    "neutral_or_mixed",
    "negative",
    "rising",
    "last_7_days",
    "expected_in_7_days",
    "main_region",
    "typical_statement",
]


def topic_records():
    """Every public topic as the dashboard counts it (all time, everywhere), as the open data
    shows it: ``discover/topics.json`` and the nightly files. The typical statement is its
    redacted text, and only while it is not hidden."""
    board = dashboard(Filters())
    return (
        {
            "id": row.topic.pk,
            "name": row.topic.name,
            "words": row.topic.words,
            "statements": row.statements,
            "times_said": row.weight,
            "positive": row.positive,
            "neutral_or_mixed": row.neutral,
            "negative": row.negative,
            "rising": row.topic.rising,
            "last_7_days": row.topic.recent_count,
            "expected_in_7_days": row.topic.expected_count,
            "main_region": row.top_region,
            "typical_statement": row.topic.typical_item.text
            if row.topic.typical_item_id and not row.topic.typical_item.hidden_at
            else "",
        }
        for row in board.rows
    )


# Public statements, as the downloads and the nightly files give them ---------------------------


def _safe_cell(value: str) -> str:
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


ITEM_COLUMNS = [
    "id",
    "said_on",
    "text",
    "times_said",
    "feeling",
    "topic_id",
    "topic",
    "source",
    "source_kind",
    "region",
    "icb_area",
    "question",
]


_HEAVY_TOPIC_FIELDS = ("centroid", "words", "weekly", "places", "networks")
_HEAVY_ITEM_FIELDS = (
    "raw_text",
    "redactions",
    "embedding",
    *(f"topic__{name}" for name in _HEAVY_TOPIC_FIELDS),
    *(f"topic__merged_into__{name}" for name in _HEAVY_TOPIC_FIELDS),
)


def export_items(params=None):
    """The public statements the list's filters (``params``, none for all) choose, by key,
    chunk by chunk. The downloads and the nightly bulk files use it."""
    from nhs_citizen.discover.forms import ItemFilterForm

    form = ItemFilterForm(params or None)
    items = (
        form.filters()
        .apply(Item.objects.public())
        .select_related("source", "topic__merged_into", "region", "icb")
        # Not what the files leave out: the raw text, redactions, vectors, topic centres.
        .defer(*_HEAVY_ITEM_FIELDS)
    )
    return iterate_keyset(items)


def statement_record(item: Item) -> dict:
    """One public statement as the downloads and the nightly files give it: its redacted text,
    never the raw text, redactions or who sent it."""
    topic = item.topic.final() if item.topic_id else None
    return {
        "id": item.pk,
        "said_on": item.when.date().isoformat(),
        "text": item.text,
        "times_said": item.weight,
        "feeling": item.sentiment,
        "topic_id": topic.pk if topic else None,
        "topic": topic.name if topic else None,
        "source": item.source.name,
        "source_kind": item.source.kind,
        "region": item.region.name if item.region_id else None,
        "icb_area": item.icb.name if item.icb_id else None,
        # The question it answers, when known: the organisation's words, not a person's.
        "question": item.question_answered,
    }


def item_csv_row(record: dict) -> list:
    """One statement's CSV row (ITEM_COLUMNS), made safe for spreadsheets."""
    return [
        record["id"],
        record["said_on"],
        _safe_cell(record["text"]),
        record["times_said"],
        record["feeling"],
        record["topic_id"] or "",
        _safe_cell(record["topic"]) if record["topic"] else "",
        _safe_cell(record["source"]),
        record["source_kind"],
        record["region"] or "",
        record["icb_area"] or "",
        _safe_cell(record["question"]) if record["question"] else "",
    ]
