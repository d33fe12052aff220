"""Gather's pages cost the same number of queries with 5 and with 50 of everything (flags,
supports, comments, evidence, referrals and answers); lists go page by page by key; the open
data is streamed; stored counts stay right."""

import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import Organisation
from nhs_citizen.gather.models import Comment, Flag, Outcome, Referral
from nhs_citizen.gather.services import flags as services
from nhs_citizen.gather.services import responses, review
from nhs_citizen.gather.tests.factories import next_email, raise_flag, responder_for
from nhs_citizen.moderation.services import check_hide, check_restore

pytestmark = pytest.mark.django_db


class World:
    """A busy flag and others around it, grown through the app's own services."""

    def __init__(self):
        self.size = 0
        self.raiser = make_user(next_email("raiser"), display_name="Rae Raiser")
        self.reviewer = make_user(next_email("reviewer"), roles=("review_panel",))
        self.curator = make_user(next_email("curator"), roles=("curator",))
        self.icb = Organisation.objects.get(type="icb", code="QWO")
        self.responder = responder_for(self.icb)
        self.busy = raise_flag(user=self.raiser, title="Buses to hospital stop too early")

    def grow_to(self, n: int) -> None:
        for i in range(self.size, n):
            person = make_user(next_email("citizen"), display_name=f"Citizen {i:03d}")
            services.do_support_flag(user=person, flag=self.busy)
            comment = services.check_add_comment(
                user=person, flag=self.busy, body=f"Comment {i}", stance="for"
            )
            if i % 2:
                services.check_add_comment(
                    user=self.raiser, flag=self.busy, body=f"Reply {i}", parent=comment
                )
            services.check_add_evidence(
                user=person, flag=self.busy, title=f"Report {i}", url=f"https://example.org/{i}"
            )
            flag = raise_flag(
                user=person,
                title=f"Flag number {i} about buses to hospital",
                topic="gp-and-primary-care" if i % 2 else "hospital-care",
            )
            services.do_support_flag(user=self.raiser, flag=flag)
            services.check_add_comment(user=self.raiser, flag=flag, body="Me too")
            if i % 2 == 0:
                self._refer_and_answer(flag, answer=i % 4 == 0)
        self.size = n

    def _refer_and_answer(self, flag: Flag, answer: bool) -> None:
        services.check_put_forward(curator=self.curator, flag=flag, reason="Ready")
        review.check_record_decision(
            reviewer=self.reviewer,
            flag=flag,
            decision="refer",
            is_national=False,
            within_remit=False,
            reasons="Local",
            organisation=self.icb,
        )
        if answer:
            responses.check_respond(
                responder=self.responder,
                referral=Referral.objects.get(flag=flag),
                outcome=Outcome.WILL_ACT,
                reasons="We will",
            )


@pytest.fixture
def world(db):
    return World()


def _queries(client, url: str) -> int:
    """Queries for one view of ``url``, after a first view (which may queue a job) and with
    the cache emptied (so cached counts are counted again, as the first visitor would)."""
    assert client.get(url).status_code == 200
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _same_at_5_and_50(world, client, urls) -> None:
    world.grow_to(5)
    few = {name: _queries(client, url()) for name, url in urls.items()}
    world.grow_to(50)
    many = {name: _queries(client, url()) for name, url in urls.items()}
    assert many == few


@pytest.fixture
def small_pages(settings):
    settings.NHS_CITIZEN = {**settings.NHS_CITIZEN, "FLAGS_PER_PAGE": 2}


def _second_page(client, params: dict) -> str:
    url = reverse("gather:flag_list")
    first = client.get(url, params)
    return url + first.context["pagination"]["next"]["href"]


@pytest.mark.slow
def test_the_list_costs_the_same_in_each_order_with_a_filter_and_deep_in_the_list(
    world, client, small_pages
):
    url = reverse("gather:flag_list")
    _same_at_5_and_50(
        world,
        client,
        {
            "supported": lambda: url,
            "newest": lambda: url + "?sort=newest",
            "active": lambda: url + "?sort=active",
            "topic": lambda: url + "?topic=gp-and-primary-care&status=referred",
            "words": lambda: url + "?q=buses+hospital",
            "page 2": lambda: _second_page(client, {"sort": "newest"}),
            "page 3": lambda: _second_page(client, {}) and _third_page(client),
        },
    )


def _third_page(client) -> str:
    second = client.get(_second_page(client, {}))
    return reverse("gather:flag_list") + second.context["pagination"]["next"]["href"]


@pytest.mark.slow
def test_the_flag_page_costs_the_same_for_visitors_and_signed_in_people(world, client, signed_in):
    person = make_user(next_email("reader"))
    _same_at_5_and_50(world, client, {"visitor": lambda: world.busy.get_absolute_url()})
    signed_in(person)
    few = _queries(client, world.busy.get_absolute_url())
    world.grow_to(55)
    assert _queries(client, world.busy.get_absolute_url()) == few


@pytest.mark.slow
def test_the_people_page_and_the_open_data_cost_the_same(world, client):
    _same_at_5_and_50(
        world,
        client,
        {
            "people": lambda: reverse("gather:people", args=[world.busy.pk]),
            "json": lambda: reverse("gather:flags_json"),
            "jsonl": lambda: reverse("gather:flags_jsonl"),
        },
    )


def test_the_list_pages_by_key_with_no_flag_missed_or_shown_twice(client, small_pages):
    made = [raise_flag(title=f"Flag {i}") for i in range(5)]
    seen, url = [], reverse("gather:flag_list") + "?sort=newest"
    while url:
        response = client.get(url)
        seen += [card.flag.pk for card in response.context["cards"]]
        assert response.context["total"] == 5
        pagination = response.context["pagination"]
        url = (
            reverse("gather:flag_list") + pagination["next"]["href"]
            if pagination and "next" in pagination
            else None
        )
    assert seen == [flag.pk for flag in reversed(made)]


def test_a_tampered_page_token_shows_the_first_page(client, small_pages):
    for i in range(3):
        raise_flag(title=f"Flag {i}")
    response = client.get(reverse("gather:flag_list"), {"after": "nonsense"})
    assert response.status_code == 200 and len(response.context["cards"]) == 2


def test_keyword_search_finds_words_in_any_part_of_a_flag_in_any_form(client):
    raise_flag(title="More NHS dentists for children", what="Every child should see one.")
    raise_flag(title="Free parking", what="Carers should not pay.", why="Hospital visits cost.")
    search = reverse("gather:flag_list")

    def titles(q):
        return [c.flag.title for c in client.get(search, {"q": q}).context["cards"]]

    assert titles("dentist") == ["More NHS dentists for children"]
    assert titles("hospital carers") == ["Free parking"]
    assert titles("dentist parking") == []


def test_the_comment_count_follows_comments_hidden_put_back_and_merged(client):
    flag, other = raise_flag(title="One"), raise_flag(title="Two")
    person = make_user(next_email())
    comment = services.check_add_comment(user=person, flag=flag, body="Yes")
    services.check_add_comment(user=person, flag=flag, body="And again")
    services.check_add_comment(user=person, flag=other, body="Here too")
    flag.refresh_from_db()
    assert flag.comment_count == 2
    moderator = make_user(next_email("moderator"), roles=("moderator",))
    check_hide(moderator=moderator, kind="comment", object_id=comment.pk, reason="Rude")
    flag.refresh_from_db()
    assert flag.comment_count == 1
    check_restore(moderator=moderator, kind="comment", object_id=comment.pk, reason="Fine")
    flag.refresh_from_db()
    assert flag.comment_count == 2
    services.check_merge_flags(
        curator=make_user(next_email(), roles=("curator",)), source=other, target=flag, reason="x"
    )
    flag.refresh_from_db()
    assert flag.comment_count == 3 == Comment.objects.filter(flag=flag).count()
    cards = client.get(reverse("gather:flag_list")).context["cards"]
    assert [card.comment_count for card in cards] == [3]


def test_the_follower_count_is_counted_again_when_someone_follows(client):
    flag = raise_flag()
    assert "1 person follows it" in client.get(flag.get_absolute_url()).content.decode()
    services.do_follow_flag(user=make_user(next_email()), flag=flag)
    assert "2 people follow it" in client.get(flag.get_absolute_url()).content.decode()


def test_the_discussion_shows_a_page_of_threads_with_their_replies(client, monkeypatch):
    from nhs_citizen.gather.views import flag_views

    monkeypatch.setattr(flag_views, "COMMENTS_PER_PAGE", 2)
    flag = raise_flag()
    person = make_user(next_email(), display_name="Pat")
    first = services.check_add_comment(user=person, flag=flag, body="First thread")
    services.check_add_comment(user=person, flag=flag, body="A reply", parent=first)
    for body in ("Second thread", "Third thread"):
        services.check_add_comment(user=person, flag=flag, body=body)
    response = client.get(flag.get_absolute_url())
    content = response.content.decode()
    assert "First thread" in content and "A reply" in content and "Second thread" in content
    assert "Third thread" not in content and "Later comments" in content
    later = client.get(
        flag.get_absolute_url() + response.context["comment_pagination"]["next"]["href"]
    )
    assert "Third thread" in later.content.decode()


def test_the_open_data_is_streamed_in_the_same_shape_and_as_json_lines(client):
    flags = [raise_flag(title=f"Flag {i}") for i in range(3)]
    response = client.get(reverse("gather:flags_json"))
    assert response.streaming and response["Content-Type"].startswith("application/json")
    assert "nhs-citizen-flags.json" in response["Content-Disposition"]
    data = json.loads(b"".join(response.streaming_content))
    assert list(data) == ["licence", "flags"]
    assert data["licence"] == "Open Government Licence v3.0"
    assert [row["id"] for row in data["flags"]] == [flag.pk for flag in flags]
    assert set(data["flags"][0]) >= {"title", "status_line", "supporters", "referrals"}
    lines = client.get(reverse("gather:flags_jsonl"))
    assert lines["Content-Type"].startswith("application/x-ndjson")
    assert "open-government-licence" in lines["Link"]
    rows = [json.loads(line) for line in b"".join(lines.streaming_content).splitlines()]
    assert rows == data["flags"]
