"""The dashboard's and the network page's figures, made by a background job and stored, so that
a page adds up a few stored rows instead of counting every statement.

``do_refresh_figures`` runs after each processing batch, after topics are found again, after a
curator's change, and from ``discover_poll`` when the figures are older than an hour (periods
such as "last 7 days" are counted back from when the figures were made). No NumPy here."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from itertools import combinations

from django.db import transaction
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from nhs_citizen.discover.models import (
    Figure,
    Item,
    Period,
    Sentiment,
    Snapshot,
    Source,
    SourceFigure,
    Topic,
)

# Periods, shortest first, with their length in days; an item counts in every period it is in.
PERIOD_DAYS = [(Period.WEEK, 7), (Period.MONTH, 31), (Period.QUARTER, 92), (Period.YEAR, 366)]
REFRESH_AFTER = dt.timedelta(hours=1)
NETWORKS = "networks"
MAX_CONNECTIONS = 40


def _periods_for(age: int) -> list[str]:
    """The periods an item of this age bucket falls in (bucket i: within PERIOD_DAYS[i])."""
    return [Period.ALL] + [period for i, (period, _) in enumerate(PERIOD_DAYS) if age <= i]


def _age_bucket(now: dt.datetime) -> Case:
    when = Coalesce("said_at", "received_at")
    return Case(
        *(
            When(Q(when_at__gte=now - dt.timedelta(days=days)), then=Value(i))
            for i, (_, days) in enumerate(PERIOD_DAYS)
        ),
        default=Value(len(PERIOD_DAYS)),
        output_field=IntegerField(),
    ), when


def do_refresh_figures(*, now: dt.datetime | None = None) -> str:
    """Count everything once, and replace the stored figures in one transaction."""
    now = now or timezone.now()
    age, when = _age_bucket(now)
    counted = (
        Item.objects.counted()
        .annotate(when_at=when)
        .annotate(age=age)
        .annotate(
            distinct=Case(
                When(duplicate_of__isnull=True, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
    )
    cells: dict[tuple, Counter] = defaultdict(Counter)
    for row in (
        counted.values("topic_id", "region_id", "source__kind", "sentiment", "age", "distinct")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        for period in _periods_for(row["age"]):
            cell = cells[(row["topic_id"], row["region_id"], row["source__kind"], period)]
            cell["times"] += row["n"]
            cell["statements"] += row["n"] * row["distinct"]
            if row["sentiment"] in (Sentiment.POSITIVE, Sentiment.NEUTRAL, Sentiment.NEGATIVE):
                cell[row["sentiment"]] += row["n"]
    by_source: Counter = Counter()
    for row in counted.values("source_id", "region_id", "age").annotate(n=Count("pk")).order_by():
        for period in _periods_for(row["age"]):
            by_source[(row["source_id"], row["region_id"], period)] += row["n"]
    networks = _networks(counted.values("source_id", "topic_id").annotate(n=Count("pk")).order_by())
    with transaction.atomic():
        Figure.objects.all().delete()
        Figure.objects.bulk_create(
            [
                Figure(
                    topic_id=topic_id,
                    region_id=region_id,
                    source_kind=kind,
                    period=period,
                    statements=cell["statements"],
                    times=cell["times"],
                    positive=cell[Sentiment.POSITIVE],
                    neutral=cell[Sentiment.NEUTRAL],
                    negative=cell[Sentiment.NEGATIVE],
                    computed_at=now,
                )
                for (topic_id, region_id, kind, period), cell in cells.items()
            ],
            batch_size=2000,
        )
        SourceFigure.objects.all().delete()
        SourceFigure.objects.bulk_create(
            [
                SourceFigure(source_id=source_id, region_id=region_id, period=period, times=n)
                for (source_id, region_id, period), n in by_source.items()
            ],
            batch_size=2000,
        )
        Snapshot.objects.update_or_create(
            name=NETWORKS, defaults={"data": networks, "computed_at": now}
        )
    return f"{len(cells)} figures, {len(by_source)} source figures"


def figures_are_stale(now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    latest = Snapshot.objects.filter(name=NETWORKS).values_list("computed_at", flat=True).first()
    return latest is None or latest < now - REFRESH_AFTER


def _networks(rows) -> dict:
    """The organisations and groups the conversation comes from (each source belongs to its
    organisation, or its group, or stands alone), their main topics, and which of them share
    topics. Stored as ids; the page looks the names up."""
    sources = Source.objects.select_related("organisation").in_bulk()
    public_topics = dict(Topic.objects.public().values_list("pk", "weight"))
    topic_names = {t.pk: t.name for t in Topic.objects.public().only("auto_name", "curator_name")}
    by_network: dict[str, dict] = {}
    for row in rows:
        source = sources.get(row["source_id"])
        if source is None:
            continue
        name = source.network_name or source.name
        network = by_network.setdefault(
            name,
            {
                "organisation": source.organisation_id,
                "sources": set(),
                "topics": Counter(),
                "weight": 0,
            },
        )
        network["sources"].add(source.pk)
        network["weight"] += row["n"]
        if row["topic_id"] in public_topics:  # no topic yet, or a hidden one: not listed
            network["topics"][row["topic_id"]] += row["n"]
    result = [
        {
            "name": name,
            "organisation": data["organisation"],
            "sources": sorted(data["sources"], key=lambda pk: sources[pk].name),
            "weight": data["weight"],
            "topics": [[t, w] for t, w in data["topics"].most_common()],
        }
        for name, data in by_network.items()
    ]
    result.sort(key=lambda n: (-n["weight"], n["name"]))
    connections = []
    for a, b in combinations(result, 2):
        shared = {t for t, _ in a["topics"]} & {t for t, _ in b["topics"]}
        if shared:
            connections.append(
                {
                    "a": a["name"],
                    "b": b["name"],
                    "shared": sorted(
                        shared, key=lambda t: (-public_topics[t], topic_names.get(t, ""))
                    ),
                }
            )
    connections.sort(key=lambda c: (-len(c["shared"]), c["a"], c["b"]))
    return {"networks": result, "connections": connections[:MAX_CONNECTIONS]}
