"""The past cycles list goes page by page by key: each page costs the same number of queries
with 5 and with 50 past cycles, page 2 follows on from page 1, and a bad page token shows
page 1."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from nhs_citizen.assembly.models import Cycle, Stage
from nhs_citizen.assembly.tests.factories import make_cycle
from nhs_citizen.assembly.views import cycle_views

pytestmark = pytest.mark.django_db

URL = "/assembly/past/"
FIRST = (timezone.now() - datetime.timedelta(days=3650)).replace(microsecond=0)


def _past_cycles(start: int, end: int, first: datetime.datetime = FIRST) -> None:
    """Past cycles numbered start to end - 1, a fortnight apart, the latest last."""
    for i in range(start, end):
        cycle = make_cycle(f"Cycle {i:03d}", first + datetime.timedelta(days=14 * i))
        Cycle.objects.filter(pk=cycle.pk).update(stage=Stage.STOCK_TAKE)


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(cycle_views, "PAST_CYCLES_PER_PAGE", 3)


def _names(response) -> list[str]:
    return [cycle.name for cycle in response.context["cycles"]]


def _queries(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.slow
def test_each_page_costs_the_same_with_5_and_with_50_past_cycles(client, small_pages):
    counts = {}
    made = 0
    for n in (5, 50):
        _past_cycles(made, n)
        made = n
        second = URL + client.get(URL).context["pagination"]["next"]["href"]
        counts[n] = (_queries(client, URL), _queries(client, second))
    assert counts[50] == counts[5]


def test_page_2_shows_the_next_cycles_and_a_bad_token_shows_page_1(client, small_pages):
    _past_cycles(0, 8)
    make_cycle("Still to come", timezone.now() + datetime.timedelta(days=30))
    first = client.get(URL)
    seen, response = _names(first), first
    while response.context["pagination"] and "next" in response.context["pagination"]:
        response = client.get(URL + response.context["pagination"]["next"]["href"])
        assert response.status_code == 200
        seen += _names(response)
    # Newest first, each past cycle once, and no cycle that has not finished.
    assert seen == [f"Cycle {i:03d}" for i in reversed(range(8))]
    page_2 = client.get(URL + first.context["pagination"]["next"]["href"])
    assert _names(page_2) == seen[3:6]
    text = page_2.content.decode()
    assert "Previous" in text and "Next" in text
    back = client.get(URL + page_2.context["pagination"]["previous"]["href"])
    assert _names(back) == seen[:3]
    for bad in ("nonsense", "e30:1abc", ""):
        response = client.get(URL, {"after": bad})
        assert response.status_code == 200
        assert _names(response) == seen[:3]


def test_one_page_of_past_cycles_has_no_page_links(client, small_pages):
    _past_cycles(0, 2)
    response = client.get(URL)
    assert response.context["pagination"] is None
    assert _names(response) == ["Cycle 001", "Cycle 000"]


def test_previous_goes_back_to_page_1_when_times_have_microseconds(client, small_pages):
    _past_cycles(0, 8, first=FIRST.replace(microsecond=123456))
    first = client.get(URL)
    page_2 = client.get(URL + first.context["pagination"]["next"]["href"])
    back = client.get(URL + page_2.context["pagination"]["previous"]["href"])
    assert _names(back) == _names(first)
