"""An agenda item's thread of remote posts goes page by page by key, newest first: each page
costs the same number of queries with 5 and with 50 posts, page 2 follows on from page 1, and
a bad page token shows page 1."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from nhs_citizen.meetings.services import meetings as services
from nhs_citizen.meetings.services import workshops
from nhs_citizen.meetings.tests.factories import (
    citizen_user,
    jury_chooses,
    make_cycle,
    make_meeting,
    secretariat_user,
)
from nhs_citizen.meetings.views import item_views

pytestmark = pytest.mark.django_db


class Thread:
    """An agenda item whose thread grows, one post a minute by a different person each time."""

    def __init__(self):
        self.secretariat = secretariat_user()
        cycle = make_cycle(by=self.secretariat)
        jury_chooses(cycle, ["Shorter waits", "Free parking"], by=self.secretariat)
        meeting = make_meeting(cycle, self.secretariat)
        self.item = services.check_set_agenda(secretariat=self.secretariat, meeting=meeting)[0]
        services.do_set_remote_posting(secretariat=self.secretariat, meeting=meeting, open=True)
        self.start = (timezone.now() - datetime.timedelta(days=1)).replace(microsecond=0)
        self.size = 0

    def grow_to(self, n: int) -> None:
        for i in range(self.size, n):
            with time_machine.travel(self.start + datetime.timedelta(minutes=i), tick=False):
                workshops.check_post_remotely(
                    user=citizen_user(f"Person {i}"), item=self.item, body=f"Post {i}"
                )
        self.size = n


@pytest.fixture
def thread(db):
    return Thread()


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(item_views, "POSTS_PER_PAGE", 3)


def _bodies(response) -> list[str]:
    return [post.body for post in response.context["posts"]]


def _next(url: str, response) -> str:
    return url + response.context["posts_pagination"]["next"]["href"]


def _queries(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.slow
def test_each_page_of_the_thread_costs_the_same_with_5_and_with_50_posts(
    thread, client, small_pages
):
    url = thread.item.get_absolute_url()
    counts = {}
    for n in (5, 50):
        thread.grow_to(n)
        second = _next(url, client.get(url))
        counts[n] = (_queries(client, url), _queries(client, second))
    assert counts[50] == counts[5]


def test_page_2_shows_the_next_posts_and_a_bad_token_shows_page_1(thread, client, small_pages):
    thread.grow_to(8)
    url = thread.item.get_absolute_url()
    first = client.get(url)
    seen, response = _bodies(first), first
    while response.context["posts_pagination"] and "next" in response.context["posts_pagination"]:
        response = client.get(_next(url, response))
        assert response.status_code == 200
        seen += _bodies(response)
    # Newest first, so a new post is on the first page; every post once.
    assert seen == [f"Post {i}" for i in reversed(range(8))]
    page_2 = client.get(_next(url, first))
    assert _bodies(page_2) == seen[3:6]
    text = page_2.content.decode()
    assert "Previous" in text and "Next" in text
    assert first.context["posts_pagination"]["next"]["href"].endswith("#thread")
    for bad in ("nonsense", "e30:1abc", ""):
        response = client.get(url, {"after": bad})
        assert response.status_code == 200
        assert _bodies(response) == seen[:3]


def test_a_new_post_is_on_the_first_page_of_the_thread(thread, client, signed_in, small_pages):
    thread.grow_to(5)
    person = citizen_user("Newest Poster")
    signed_in(person)
    cycle = thread.item.meeting.cycle
    response = client.post(
        reverse("meetings:post_to_thread", args=[cycle.slug, thread.item.pk]),
        {"body": "My newest post", "question": ""},
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert _bodies(page)[0] == "My newest post"
