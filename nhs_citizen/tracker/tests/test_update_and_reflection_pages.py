"""A commitment's updates and the comments on a Board response go page by page by key: each
page costs the same number of queries with 5 and with 50 rows, page 2 follows on from page 1,
and a bad page token shows page 1. The totals above the comments still count every answer."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nhs_citizen.conftest import make_user
from nhs_citizen.gather.tests.factories import next_email
from nhs_citizen.tracker import queries
from nhs_citizen.tracker.models import CommitmentStatus
from nhs_citizen.tracker.services import board as board_services
from nhs_citizen.tracker.services import commitments as services
from nhs_citizen.tracker.tests.factories import (
    make_agenda_item,
    record_board_response,
    remote_post,
    secretariat_member,
)
from nhs_citizen.tracker.views import board_views, tracker_views

pytestmark = pytest.mark.django_db

START = datetime.datetime(2027, 1, 4, 12, tzinfo=datetime.UTC)
VERDICTS = ["yes", "partly", "no"]


class Record:
    """A Board response with one commitment; it grows updates, and answers with comments."""

    def __init__(self):
        with time_machine.travel(START, tick=False):
            self.item = make_agenda_item()
            self.response = record_board_response(self.item)
            self.commitment = self.response.commitments.get()
            self.secretariat = secretariat_member()
            first_due = self.commitment.due_date
            # The due date moved once, in the first update: the summary says so on every page.
            services.check_update_commitment(
                by=self.secretariat,
                commitment=self.commitment,
                status=CommitmentStatus.IN_PROGRESS,
                note="Started, later than planned",
                due_date=first_due + datetime.timedelta(days=30),
            )
        self.first_due = first_due
        self.size = 0

    def grow_to(self, n: int) -> None:
        for i in range(self.size, n):
            with time_machine.travel(START + datetime.timedelta(hours=i + 1), tick=False):
                services.check_update_commitment(
                    by=self.secretariat,
                    commitment=self.commitment,
                    status=CommitmentStatus.IN_PROGRESS,
                    note=f"Update number {i}",
                )
                person = make_user(next_email("poster"))
                remote_post(self.item, person)
                board_services.check_reflect(
                    user=person,
                    response=self.response,
                    verdict=VERDICTS[i % 3],
                    comment=f"Comment number {i}" if i % 5 != 4 else "",
                )
        self.size = n

    def urls(self) -> dict[str, str]:
        return {
            "updates": self.commitment.get_absolute_url(),
            "reflections": self.response.get_absolute_url(),
        }


@pytest.fixture
def record(db):
    return Record()


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(tracker_views, "UPDATES_PER_PAGE", 3)
    monkeypatch.setattr(board_views, "REFLECTION_COMMENTS_PER_PAGE", 3)


PAGINATION = {"updates": "updates_pagination", "reflections": "comments_pagination"}


def _shown(response, name: str) -> list[str]:
    if name == "updates":
        return [update.note for update in response.context["updates"]]
    return [comment for _label, comment in response.context["comments"]]


def _next(url: str, response, name: str) -> str:
    return url + response.context[PAGINATION[name]]["next"]["href"]


def _queries(client, url: str) -> int:
    assert client.get(url).status_code == 200
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["updates", "reflections"])
def test_each_page_costs_the_same_with_5_and_with_50_rows(record, client, small_pages, name):
    counts = {}
    for n in (5, 50):
        record.grow_to(n)
        url = record.urls()[name]
        second = _next(url, client.get(url), name)
        counts[n] = (_queries(client, url), _queries(client, second))
    assert counts[50] == counts[5]


@pytest.mark.parametrize("name", ["updates", "reflections"])
def test_page_2_shows_the_next_rows_and_a_bad_token_shows_page_1(record, client, small_pages, name):
    record.grow_to(8)
    url = record.urls()[name]
    first = client.get(url)
    seen, response = _shown(first, name), first
    while response.context[PAGINATION[name]] and "next" in response.context[PAGINATION[name]]:
        response = client.get(_next(url, response, name))
        assert response.status_code == 200
        seen += _shown(response, name)
    if name == "updates":
        # Newest first, every one once, the first update (which moved the date) last.
        assert seen == [f"Update number {i}" for i in reversed(range(8))] + [
            "Started, later than planned"
        ]
    else:
        # Oldest first, only answers with a comment.
        assert seen == [f"Comment number {i}" for i in range(8) if i % 5 != 4]
    page_2 = client.get(_next(url, first, name))
    assert _shown(page_2, name) == seen[3:6]
    text = page_2.content.decode()
    assert "Previous" in text and "Next" in text
    for bad in ("nonsense", "e30:1abc", ""):
        response = client.get(url, {"after": bad})
        assert response.status_code == 200
        assert _shown(response, name) == seen[:3]
    if name == "updates":
        # The summary of the due date does not depend on the page shown.
        for page in (first, page_2):
            assert page.context["original_due_date"] == record.first_due
            assert page.context["move_count"] == 1
    else:
        totals = first.context["totals"]
        assert totals.total == 8
        assert [count for _v, _l, count, _p in totals.rows] == [3, 3, 2]
        assert totals == page_2.context["totals"]


def test_the_totals_count_every_answer_in_the_database(record):
    record.grow_to(4)
    totals = board_services.reflection_totals(record.response)
    counted = queries.reflection_totals(record.response)
    assert (counted.total, counted.rows) == (totals.total, totals.rows)
