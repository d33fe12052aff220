"""Discover's public pages cost the same number of queries with 5 and with 50 of everything
(statements, topics, sources, regions used): they read stored figures, never count statements."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from nhs_citizen.core.models import Organisation, Region
from nhs_citizen.discover.models import Item, Sentiment, SourceKind, Topic
from nhs_citizen.discover.services import figures, pipeline
from nhs_citizen.discover.tests.helpers import make_source

pytestmark = pytest.mark.django_db

KINDS = [SourceKind.RSS, SourceKind.UPLOAD, SourceKind.TELL_US, SourceKind.JSON_FEED]
FEELINGS = [Sentiment.POSITIVE, Sentiment.NEUTRAL, Sentiment.NEGATIVE]


def _grow_to(n: int) -> None:
    """Up to n sources (several organisations), n topics and n statements per topic, with
    duplicates, places and feelings; then the background jobs' figures."""
    regions = list(Region.objects.order_by("pk"))
    organisations = list(Organisation.objects.order_by("pk")[:10])
    now = timezone.now()
    have = Topic.objects.count()
    for i in range(have, n):
        source = make_source(
            f"Source {i}",
            kind=KINDS[i % len(KINDS)],
            organisation=organisations[i % len(organisations)] if i % 2 else None,
            group_name="" if i % 2 else f"Group {i}",
        )
        topic = Topic.objects.create(auto_name=f"Topic {i}", words=["word", str(i)])

        def statement(j, duplicate_of=None, source=source, topic=topic):
            return Item(
                source=source,
                original_id=f"{source.pk}-{j}",
                raw_text=f"Statement {j} in topic {topic.pk}",
                text=f"Statement {j} in topic {topic.pk}",
                said_at=now - dt.timedelta(days=j * 3),
                processed_at=now,
                sentiment=FEELINGS[j % 3],
                region=regions[j % len(regions)],
                topic=topic,
                topic_similarity=1 - j / 100,
                duplicate_of=duplicate_of,
            )

        first = statement(0)
        first.save()
        Item.objects.bulk_create(
            [statement(j, duplicate_of=first if j % 5 == 4 else None) for j in range(1, n)]
        )
        Topic.objects.filter(pk=topic.pk).update(typical_item=first)
    pipeline.refresh_topic_stats()
    figures.do_refresh_figures()


def _pages() -> list[str]:
    topic = Topic.objects.order_by("pk").first()
    region = Region.objects.order_by("pk").first()
    return [
        reverse("discover:dashboard"),
        reverse("discover:dashboard") + f"?region={region.code}&kind=rss&period=month",
        reverse("discover:topic_detail", args=[topic.pk]),
        reverse("discover:item_list"),
        reverse("discover:item_list") + "?sentiment=negative&period=year",
        reverse("discover:network"),
        reverse("discover:source_detail", args=[topic.items.first().source_id]),
    ]


def _queries(client, path: str) -> int:
    client.get(path)  # warm: anything a first request loads once per process
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


@pytest.mark.slow
def test_each_public_page_makes_as_many_queries_with_50_of_everything_as_with_5(client):
    _grow_to(5)
    small = {path: _queries(client, path) for path in _pages()}
    assert Item.objects.public().count() == 25 - 5  # one in five is a duplicate
    _grow_to(50)
    assert Topic.objects.count() == 50 and Item.objects.count() == 25 + 45 * 50
    large = {path: _queries(client, path) for path in _pages()}
    assert large == small
    # And the pages show the larger figures: read from what the jobs stored.
    page = client.get(reverse("discover:dashboard")).content.decode()
    assert "Topic 49" in page


def test_the_statements_list_pages_by_key_and_the_second_page_costs_the_same(client):
    _grow_to(12)
    cache.clear()
    with CaptureQueriesContext(connection) as first_queries:
        first = client.get(reverse("discover:item_list"))
    next_href = reverse("discover:item_list") + first.context["pagination"]["next"]["href"]
    cache.clear()
    with CaptureQueriesContext(connection) as second_queries:
        second = client.get(next_href)
    assert len(second_queries) == len(first_queries)
    shown_first = [item.pk for item in first.context["page"].object_list]
    shown_second = [item.pk for item in second.context["page"].object_list]
    assert len(shown_first) == 25 and shown_second and not set(shown_first) & set(shown_second)
