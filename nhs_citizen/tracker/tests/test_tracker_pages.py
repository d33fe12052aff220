"""The public tracker pages: the tracker, bodies, commitments, responses, open data."""

import csv
import datetime
import io
import json

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import Organisation, Topic
from nhs_citizen.gather.tests.factories import next_email
from nhs_citizen.tracker.models import CommitmentStatus
from nhs_citizen.tracker.services import board as board_services
from nhs_citizen.tracker.services import commitments as services
from nhs_citizen.tracker.services.summaries import do_refresh_tracker_summaries
from nhs_citizen.tracker.tests.factories import (
    answered_referral,
    draft,
    icb,
    make_agenda_item,
    make_cycle,
    make_meeting,
    make_panel,
    published_call,
    record_board_response,
)
from nhs_citizen.tracker.views.open_data_views import COMMITMENT_COLUMNS

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 3, 1)


@pytest.fixture
def world():
    """Three commitments of an ICB (one will be overdue, one done) and two of NHS England."""
    with time_machine.travel(datetime.datetime(2027, 1, 4, 12, tzinfo=datetime.UTC), tick=False):
        answer, responder = answered_referral()
        late = services.check_add_commitment(
            by=responder, to=answer, draft=draft("Run a shuttle bus", due_in_days=30)
        )
        later = services.check_add_commitment(
            by=responder, to=answer, draft=draft("Build a bus shelter", due_in_days=200)
        )
        done = services.check_add_commitment(
            by=responder, to=answer, draft=draft("Print a timetable", due_in_days=20)
        )
        services.check_update_commitment(
            by=responder, commitment=done, status=CommitmentStatus.DONE, note="Printed."
        )
        cycle = make_cycle()
        item = make_agenda_item(cycle=cycle, title="Mental health waits")
        response = record_board_response(
            item,
            commitments=[
                draft("Publish waiting times", due_in_days=40),
                draft("Hire more therapists", due_in_days=400),
            ],
        )
    return {
        "answer": answer,
        "responder": responder,
        "late": late,
        "later": later,
        "done": done,
        "response": response,
        "cycle": cycle,
        "item": item,
    }


@pytest.fixture
def on_1_march_2027():
    with time_machine.travel(datetime.datetime(2027, 3, 1, 12, tzinfo=datetime.UTC), tick=False):
        yield


def _whats(response):
    return [row.commitment.what for row in response.context["rows"]]


def test_overdue_commitments_come_first_in_red_with_days_overdue(client, world, on_1_march_2027):
    response = client.get(reverse("tracker:index"))
    assert response.status_code == 200
    whats = _whats(response)
    # Overdue first, the longest overdue at the top; finished ones last.
    assert whats[:2] == ["Run a shuttle bus", "Publish waiting times"]
    assert whats[-1] == "Print a timetable"
    first = response.context["rows"][0].status
    assert first.overdue and first.days_overdue == (TODAY - world["late"].due_date).days
    html = response.content.decode()
    assert '<strong class="nhsuk-tag nhsuk-tag--red">Overdue</strong>' in html
    assert f"<strong>by {first.days_overdue} days</strong>" in html
    assert response.context["totals"].overdue == 2


def test_a_commitment_is_not_overdue_on_its_due_date(world):
    late = world["late"]
    with time_machine.travel(late.due_date, tick=False):
        assert not late.is_overdue()
    with time_machine.travel(late.due_date + datetime.timedelta(days=1), tick=False):
        assert late.is_overdue()
        world["done"].refresh_from_db()
        assert not world["done"].is_overdue()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "overdue"}, ["Run a shuttle bus", "Publish waiting times"]),
        ({"status": "done"}, ["Print a timetable"]),
        (
            {"status": "open"},
            [
                "Run a shuttle bus",
                "Publish waiting times",
                "Build a bus shelter",
                "Hire more therapists",
            ],
        ),
        ({"body": "nhs-england"}, ["Publish waiting times", "Hire more therapists"]),
        ({"topic": "mental-health"}, ["Publish waiting times", "Hire more therapists"]),
        ({"body": "nhs-england", "status": "overdue"}, ["Publish waiting times"]),
    ],
)
def test_the_filters(client, world, on_1_march_2027, query, expected):
    response = client.get(reverse("tracker:index"), query)
    assert _whats(response) == expected
    assert response.context["count"] == len(expected)
    assert f"{len(expected)} commitment" in response.content.decode()


def test_the_cycle_filter(client, world, on_1_march_2027):
    response = client.get(reverse("tracker:index"), {"cycle": world["cycle"].slug})
    assert _whats(response) == ["Publish waiting times", "Hire more therapists"]


def test_a_filter_that_is_not_valid_is_ignored(client, world, on_1_march_2027):
    response = client.get(reverse("tracker:index"), {"body": "no-such-body", "status": "lost"})
    assert response.status_code == 200
    assert len(_whats(response)) == 5


def test_the_tracker_is_paginated_and_its_queries_do_not_grow(client, world, on_1_march_2027):
    answer, responder = world["answer"], world["responder"]
    do_refresh_tracker_summaries()  # the daily job, as cron runs it
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("tracker:index"))
    for n in range(25):
        services.check_add_commitment(
            by=responder, to=answer, draft=draft(f"Commitment number {n}", due_in_days=10 + n)
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("tracker:index"))
    assert len(many) == len(few)
    assert len(response.context["rows"]) == 20
    assert response.context["pagination"] is not None
    second = client.get(reverse("tracker:index") + response.context["pagination"]["next"]["href"])
    assert len(second.context["rows"]) == 10
    shown = _whats(response) + _whats(second)
    assert len(set(shown)) == 30 and second.context["pagination"]["previous"]


def test_every_overdue_commitment_of_a_body_from_the_tracker(client, world, on_1_march_2027):
    tracker = client.get(reverse("tracker:index"))
    body_link = reverse("tracker:body_detail", args=[icb().slug]) + "#overdue"
    # One overdue each: then by name.
    assert [b.slug for b in tracker.context["overdue_bodies"]] == ["nhs-england", icb().slug]
    assert f'href="{body_link}"' in tracker.content.decode()
    page = client.get(reverse("tracker:body_detail", args=[icb().slug]))
    assert [row.commitment.what for row in page.context["overdue"]] == ["Run a shuttle bus"]
    assert [row.commitment.what for row in page.context["rows"]] == [
        "Build a bus shelter",
        "Print a timetable",
    ]
    assert 'id="overdue"' in page.content.decode()


def test_a_body_page_lists_its_overdue_commitments_first_page_by_page(client, world):
    answer, responder = world["answer"], world["responder"]
    with time_machine.travel(datetime.datetime(2027, 1, 4, 12, tzinfo=datetime.UTC), tick=False):
        for n in range(25):
            services.check_add_commitment(
                by=responder, to=answer, draft=draft(f"Late one {n}", due_in_days=5)
            )
    with time_machine.travel(datetime.datetime(2027, 3, 1, 12, tzinfo=datetime.UTC), tick=False):
        url = reverse("tracker:body_detail", args=[icb().slug])
        page = client.get(url)
        assert len(page.context["overdue"]) == 20 and page.context["rows"] == []
        assert "Overdue commitments (26)" in page.content.decode()
        second = client.get(url + page.context["pagination"]["next"]["href"])
    assert len(second.context["overdue"]) == 6
    assert [row.commitment.what for row in second.context["rows"]] == [
        "Build a bus shelter",
        "Print a timetable",
    ]


def test_a_body_without_commitments_has_a_page(client, db):
    page = client.get(reverse("tracker:body_detail", args=["nhs-england"]))
    assert page.status_code == 200
    assert "has not made any commitments yet" in page.content.decode()
    assert client.get(reverse("tracker:body_detail", args=["nobody"])).status_code == 404


def test_the_commitment_page_shows_a_moved_due_date_openly(client, world, on_1_march_2027):
    late, responder = world["late"], world["responder"]
    first_due = late.due_date
    services.check_update_commitment(
        by=responder,
        commitment=late,
        status=CommitmentStatus.IN_PROGRESS,
        note="The bus company asked for more time.",
        due_date=datetime.date(2027, 6, 1),
    )
    page = client.get(reverse("tracker:commitment_detail", args=[late.pk]))
    html = page.content.decode()
    assert page.context["original_due_date"] == first_due
    assert "1 June 2027" in html
    assert f'<span class="app-moved-date">{first_due.day} {first_due:%B %Y}</span>' in html
    assert "The bus company asked for more time." in html
    # The list shows it too.
    tracker = client.get(reverse("tracker:index"), {"body": icb().slug})
    row = next(r for r in tracker.context["rows"] if r.commitment.pk == late.pk)
    assert row.original_due_date == first_due
    assert f"(moved from {first_due.day} {first_due:%B %Y})" in tracker.content.decode()


def test_every_response_in_one_list(client, world):
    with time_machine.travel(datetime.datetime(2027, 2, 1, 12, tzinfo=datetime.UTC), tick=False):
        call = published_call()
    response = client.get(reverse("tracker:response_list"))
    kinds = [row.kind for row in response.context["rows"]]
    assert sorted(kinds) == ["board_item", "call", "referral"]
    assert response.context["rows"][0].title == call.title  # newest first
    only_board = client.get(reverse("tracker:response_list"), {"kind": "board_item"})
    assert [row.title for row in only_board.context["rows"]] == ["Mental health waits"]
    icb_only = client.get(reverse("tracker:response_list"), {"body": icb().slug})
    assert sorted(row.kind for row in icb_only.context["rows"]) == ["call", "referral"]
    nhse = client.get(reverse("tracker:response_list"), {"body": "nhs-england"})
    assert [row.kind for row in nhse.context["rows"]] == ["board_item"]


def test_a_board_response_to_a_citizen_panel_is_listed(client, db):
    meeting = make_meeting(make_cycle())
    from nhs_citizen.tracker.tests.factories import make_commission

    commission = make_commission(meeting)
    record_board_response(commission=commission)
    page = client.get(reverse("tracker:response_list"), {"kind": "board_panel"})
    assert [row.title for row in page.context["rows"]] == [commission.question]


def test_the_answer_and_call_pages_show_their_commitments(client, world):
    answer = world["answer"]
    page = client.get(reverse("tracker:answer_detail", args=[answer.pk]))
    assert page.status_code == 200
    assert len(page.context["rows"]) == 3
    assert not page.context["can_add"]
    client.force_login(world["responder"])
    page = client.get(reverse("tracker:answer_detail", args=[answer.pk]))
    assert page.context["can_add"]
    assert "Add a commitment to this answer" in page.content.decode()
    call = published_call()
    assert client.get(reverse("tracker:call_outcome", args=[call.pk])).status_code == 200
    unpublished = published_call(published=False)
    assert client.get(reverse("tracker:call_outcome", args=[unpublished.pk])).status_code == 404


def test_the_board_response_page_shows_answers_in_aggregate_without_names(client, db):
    member = make_user(next_email("member"), display_name="Morgan Member")
    other = make_user(next_email("other"), display_name="Olive Other")
    meeting = make_meeting(make_cycle(), members_panel=make_panel([member, other]))
    item = make_agenda_item(meeting=meeting)
    response = record_board_response(item)
    board_services.check_reflect(
        user=member, response=response, verdict="partly", comment="Call me on 07700 900123"
    )
    board_services.check_reflect(user=other, response=response, verdict="yes")
    page = client.get(reverse("tracker:board_response", args=[response.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "2 people who took part answered" in html
    assert "50%" in html
    assert "Morgan Member" not in html and "Olive Other" not in html
    assert "[phone number]" in html and "07700" not in html
    assert page.context["form"] is None


def test_a_member_answers_and_changes_their_answer_on_the_page(client, db):
    member = make_user(next_email("member"))
    meeting = make_meeting(make_cycle(), members_panel=make_panel([member]))
    response = record_board_response(make_agenda_item(meeting=meeting))
    client.force_login(member)
    url = reverse("tracker:board_response", args=[response.pk])
    page = client.get(url)
    assert "Send my answer" in page.content.decode()
    errors = client.post(url, {"verdict": ""})
    assert errors.status_code == 200
    assert "Select whether the response reflects what you said" in errors.content.decode()
    assert client.post(url, {"verdict": "no", "comment": "It ignored us"}).status_code == 302
    assert client.post(url, {"verdict": "yes"}).status_code == 302
    assert response.reflections.get().verdict == "yes"
    page = client.get(url)
    assert "You answered “yes”" in page.content.decode()


def test_someone_who_did_not_take_part_cannot_post_an_answer(client, db):
    response = record_board_response()
    client.force_login(make_user(next_email()))
    url = reverse("tracker:board_response", args=[response.pk])
    assert client.post(url, {"verdict": "no"}).status_code == 200
    assert response.reflections.count() == 0


# Open data -----------------------------------------------------------------------------------


def _body(response) -> bytes:
    assert response.streaming
    return b"".join(response.streaming_content)


def test_commitments_and_updates_as_json(client, world, on_1_march_2027):
    data = json.loads(_body(client.get(reverse("tracker:commitments_json"))))
    assert data["licence"] == "Open Government Licence v3.0"
    by_what = {c["what"]: c for c in data["commitments"]}
    late = by_what["Run a shuttle bus"]
    assert late["overdue"] is True and late["days_overdue"] > 0
    assert late["body"] == icb().name
    assert late["source"]["type"] == "referral_response"
    done = by_what["Print a timetable"]
    assert done["status"] == "done" and len(done["updates"]) == 1
    assert done["updates"][0]["posted_by"] == icb().name
    assert data["board_responses"][0]["reflects_what_people_said"] == {
        "yes": 0,
        "partly": 0,
        "no": 0,
    }
    text = _body(client.get(reverse("tracker:commitments_json"))).decode()
    assert world["responder"].email not in text
    assert list(data) == ["licence", "made_at", "commitments", "board_responses"]


def test_commitments_as_json_lines_one_per_line(client, world, on_1_march_2027):
    response = client.get(reverse("tracker:commitments_jsonl"))
    assert response["Content-Type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in _body(response).decode().splitlines()]
    as_json = json.loads(_body(client.get(reverse("tracker:commitments_json"))))
    assert lines == as_json["commitments"]
    assert [c["id"] for c in lines] == sorted(c["id"] for c in lines)


def test_commitments_and_updates_as_csv(client, world, on_1_march_2027):
    services.check_add_commitment(
        by=world["responder"], to=world["answer"], draft=draft("=HYPERLINK(1)")
    )
    response = client.get(reverse("tracker:commitments_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(_body(response).decode("utf-8-sig"))))
    assert len(rows) == 6
    assert list(rows[0]) == COMMITMENT_COLUMNS
    assert {r["what"] for r in rows} >= {"Run a shuttle bus", "'=HYPERLINK(1)"}
    late = next(r for r in rows if r["what"] == "Run a shuttle bus")
    assert late["overdue"] == "yes"
    updates = client.get(reverse("tracker:updates_csv"))
    rows = list(csv.DictReader(io.StringIO(_body(updates).decode("utf-8-sig"))))
    assert [r["status"] for r in rows] == ["done"]


# Every page renders ----------------------------------------------------------------------------


def test_every_page_renders_for_a_visitor(client, world):
    cycle = world["cycle"]
    pages = [
        reverse("tracker:index"),
        reverse("tracker:body_list"),
        reverse("tracker:body_detail", args=[icb().slug]),
        reverse("tracker:response_list"),
        reverse("tracker:commitment_detail", args=[world["late"].pk]),
        reverse("tracker:commitment_detail", args=[world["done"].pk]),
        reverse("tracker:answer_detail", args=[world["answer"].pk]),
        reverse("tracker:board_response", args=[world["response"].pk]),
        reverse("tracker:stocktake", args=[cycle.slug]),
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url


def test_staff_pages_need_the_right_person(client, world):
    responder = world["responder"]
    staff_only = [
        reverse("tracker:board_queue"),
        reverse("tracker:respond_to_item", args=[world["item"].pk]),
        reverse("tracker:add_board_commitment", args=[world["response"].pk]),
        reverse("tracker:your_commitments"),
    ]
    citizen = make_user(next_email())
    client.force_login(citizen)
    for url in staff_only:
        assert client.get(url).status_code == 403, url
    assert (
        client.get(reverse("tracker:update_commitment", args=[world["late"].pk])).status_code == 403
    )
    assert (
        client.get(reverse("tracker:add_answer_commitment", args=[world["answer"].pk])).status_code
        == 403
    )
    client.force_login(responder)
    assert client.get(reverse("tracker:your_commitments")).status_code == 200
    assert (
        client.get(reverse("tracker:update_commitment", args=[world["late"].pk])).status_code == 200
    )
    assert client.get(reverse("tracker:board_queue")).status_code == 403


def test_visitors_are_asked_to_sign_in_to_change_things(client, world):
    url = reverse("tracker:update_commitment", args=[world["late"].pk])
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_filter_choices_only_list_what_finds_something(client, world):
    page = client.get(reverse("tracker:index"))
    form = page.context["filter_form"]
    assert set(form.fields["body"].queryset) == {
        icb(),
        Organisation.objects.get(slug="nhs-england"),
    }
    assert list(form.fields["topic"].queryset) == list(
        Topic.objects.filter(slug__in=["mental-health", "gp-and-primary-care"]).order_by("name")
    )
    assert timezone.localdate()  # the page works whatever the date


def test_body_and_response_lists_do_not_grow_in_queries(client, world, on_1_march_2027):
    urls = [
        reverse("tracker:body_detail", args=[icb().slug]),
        reverse("tracker:response_list"),
        reverse("tracker:body_list"),
    ]
    published_call()  # every kind of response is there from the start
    do_refresh_tracker_summaries()  # the daily job, as cron runs it
    counts = []
    for url in urls:
        cache.clear()  # counts cached for a few minutes are counted again
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        counts.append(len(queries))
    for n in range(6):
        answer, responder = answered_referral()
        services.check_add_commitment(
            by=responder, to=answer, draft=draft(f"More {n}", due_in_days=10)
        )
    published_call()
    for url, before in zip(urls, counts, strict=True):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        assert len(queries) == before, url
