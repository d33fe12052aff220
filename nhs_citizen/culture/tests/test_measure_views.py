"""The league table, a body's page and the open data."""

import csv
import datetime as dt
import io
import json

import pytest
import time_machine
from django.urls import reverse

from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import OrganisationType
from nhs_citizen.culture.services.figures import do_refresh_culture_measures
from nhs_citizen.culture.tests.factories import Maker, at, body, next_email, published_story
from nhs_citizen.tracker.models import CommitmentStatus

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 10)
NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)
LEAGUE = "/culture-change/"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def bodies(db):
    """Prompt Trust answered 3 of 3 on time; Slow ICB 1 of 2, with one overdue, and one
    commitment kept of two due; New Trust has only a flag still in time."""
    make = Maker()
    prompt = body("Prompt Trust")
    slow = body("Slow ICB", OrganisationType.ICB)
    new = body("New Trust")
    for days in (2, 5, 8):
        make.referral(
            prompt,
            sent=at(TODAY - dt.timedelta(days=30)),
            due=TODAY - dt.timedelta(days=2),
            answered=at(TODAY - dt.timedelta(days=30 - days)),
        )
    make.referral(
        slow,
        sent=at(TODAY - dt.timedelta(days=40)),
        due=TODAY - dt.timedelta(days=12),
        answered=at(TODAY - dt.timedelta(days=20)),
        title="More buses to the hospital",
    )
    make.referral(
        slow,
        sent=at(TODAY - dt.timedelta(days=40)),
        due=TODAY - dt.timedelta(days=12),
        title="Something rude",
        hidden=True,
    )
    make.commitment(
        slow, due=TODAY - dt.timedelta(days=1), status=CommitmentStatus.DONE, what="Run a bus"
    )
    make.commitment(slow, due=TODAY - dt.timedelta(days=1), what="Open a clinic")
    make.referral(new, sent=at(TODAY), due=TODAY + dt.timedelta(days=28))
    return {"prompt": prompt, "slow": slow, "new": new}


def test_the_league_table_ranks_bodies_and_explains_the_figures(client, bodies):
    response = client.get(LEAGUE)
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(row.place, row.measures.body.name) for row in rows] == [
        (1, "Prompt Trust"),
        (2, "Slow ICB"),
        (None, "New Trust"),
    ]
    html = response.content.decode()
    assert "100% (3 of 3)" in html and "50% (1 of 2)" in html
    assert "No answers due yet" in html and "No commitments due yet" in html
    assert "Not ranked yet" in html
    assert "How we rank bodies" in html and "What the figures mean" in html
    assert f'href="{reverse("culture:body_detail", args=["prompt-trust"])}"' in html


def test_the_recognition_panel_names_bodies_that_answered_everything_on_time(client, bodies):
    response = client.get(LEAGUE)
    assert [m.body.name for m in response.context["recognised"]] == ["Prompt Trust"]
    assert "Answered all 3 flags on time" in response.content.decode()


def test_the_league_table_with_nothing_to_show_says_so(client, db):
    response = client.get(LEAGUE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "No flags have been sent to bodies, and no commitments made, in this time." in html
    assert "No body has done this yet in this time." in html


def test_the_league_table_filters_by_kind_of_body(client, bodies):
    response = client.get(LEAGUE, {"kind": "icb", "period": "12m"})
    assert [row.measures.body.name for row in response.context["rows"]] == ["Slow ICB"]
    assert "Integrated care board (ICB): the last 12 months" in response.content.decode()


def test_a_filter_that_is_not_understood_shows_an_error_and_everything(client, bodies):
    response = client.get(LEAGUE, {"kind": "pub"})
    assert response.status_code == 200
    assert response.content.decode().count("Select one of the options") >= 1
    assert "<title>Error:" in response.content.decode()
    assert len(response.context["rows"]) == 3


def test_the_league_table_page_takes_a_fixed_number_of_queries(
    client, bodies, django_assert_max_num_queries
):
    make = Maker()
    for n in range(20):
        make.referral(body(f"Trust {n}"), sent=at(TODAY), due=TODAY, answered=at(TODAY))
    do_refresh_culture_measures()  # the job, as cron runs it: the page only reads its figures
    with django_assert_max_num_queries(3):
        response = client.get(LEAGUE)
    assert len(response.context["rows"]) == 23


def test_a_body_page_shows_its_figures_and_the_lists_behind_them(client, bodies):
    curator = make_user(next_email("curator"), roles=("curator",))
    published_story(curator, title="The ICB asked us first", organisation=bodies["slow"])
    response = client.get(reverse("culture:body_detail", args=["slow-icb"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Slow ICB" in html and "50% (1 of 2)" in html
    assert "More buses to the hospital" in html and "Answered on time" in html
    assert "Something rude" not in html and "A flag hidden by a moderator" in html
    assert "Overdue" in html
    assert "Run a bus" in html and "Open a clinic" in html
    assert "The ICB asked us first" in html
    assert response.context["row"].place == 2 and response.context["ranked_count"] == 2


def test_a_body_page_for_a_body_with_nothing_yet_says_so(client, db):
    body("Quiet Trust")
    response = client.get(reverse("culture:body_detail", args=["quiet-trust"]))
    html = response.content.decode()
    assert "Not ranked yet" in html
    assert "No flags have been sent to Quiet Trust" in html
    assert "Quiet Trust has made no commitments" in html
    assert "No answers due yet" in html


def test_a_body_page_for_an_unknown_body_is_not_found(client, db):
    assert client.get(reverse("culture:body_detail", args=["nobody"])).status_code == 404


def test_a_body_page_takes_a_fixed_number_of_queries(client, bodies, django_assert_max_num_queries):
    make = Maker()
    for n in range(15):
        make.referral(
            bodies["slow"], sent=at(TODAY), due=TODAY, answered=at(TODAY) if n % 2 else None
        )
        make.commitment(bodies["slow"], due=TODAY)
    do_refresh_culture_measures()  # the job, as cron runs it: the page only reads its figures
    with django_assert_max_num_queries(7):
        response = client.get(reverse("culture:body_detail", args=["slow-icb"]))
    assert len(response.context["referral_rows"]) == 17


def _body(response) -> bytes:
    assert response.streaming
    return b"".join(response.streaming_content)


def test_the_csv_has_the_same_figures_as_the_table(client, bodies):
    response = client.get(reverse("culture:measures_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(_body(response).decode())))
    assert [row["organisation"] for row in rows] == ["Prompt Trust", "Slow ICB", "New Trust"]
    slow = rows[1]
    assert slow["place"] == "2" and slow["percent_answered_on_time"] == "50"
    assert slow["answers_due"] == "2" and slow["answers_overdue"] == "1"
    assert slow["commitments_due"] == "2" and slow["percent_commitments_kept"] == "50"
    assert rows[0]["median_days_to_answer"] == "5" and rows[0]["recognised"] == "yes"
    assert rows[2]["place"] == "" and rows[2]["percent_answered_on_time"] == ""


def test_the_json_has_the_same_figures_and_says_how_they_were_chosen(client, bodies):
    response = client.get(reverse("culture:measures_json"), {"kind": "nhs_trust"})
    data = json.loads(_body(response))
    assert data["licence"] == "Open Government Licence v3.0"
    assert data["kind"] == "nhs_trust" and data["period"] == "all"
    assert [b["organisation"] for b in data["bodies"]] == ["Prompt Trust", "New Trust"]
    prompt, new = data["bodies"]
    assert prompt["percent_answered_on_time"] == 100 and prompt["recognised"] is True
    assert new["percent_answered_on_time"] is None and new["median_days_to_answer"] is None
    assert new["page"].endswith("/culture-change/bodies/new-trust/")


def test_the_json_lines_have_the_same_rows_as_the_json(client, bodies):
    lines = _body(client.get(reverse("culture:measures_jsonl"))).decode().splitlines()
    document = json.loads(_body(client.get(reverse("culture:measures_json"))))
    assert [json.loads(line) for line in lines] == document["bodies"]
    assert len(lines) == 3


def test_every_flag_sent_to_a_body_is_on_its_own_list_page_by_page(client, bodies):
    make = Maker()
    for n in range(55):
        make.referral(bodies["slow"], sent=at(TODAY - dt.timedelta(days=n % 9)), due=TODAY)
    do_refresh_culture_measures()
    page = client.get(reverse("culture:body_detail", args=["slow-icb"]))
    assert len(page.context["referral_rows"]) == 20
    assert "See all 57 flags sent to Slow ICB" in page.content.decode()
    url = reverse("culture:body_flags", args=["slow-icb"])
    first = client.get(url)
    second = client.get(url + first.context["pagination"]["next"]["href"])
    shown = [row.referral.pk for row in first.context["referral_rows"]] + [
        row.referral.pk for row in second.context["referral_rows"]
    ]
    assert len(shown) == len(set(shown)) == 57


def test_the_figures_are_worked_out_by_a_job_that_can_run_twice(client, bodies):
    from django.core.management import call_command

    from nhs_citizen.culture.models import BodyFigures

    call_command("refresh_culture_measures", stdout=open("/dev/null", "w"))
    call_command("refresh_culture_measures", stdout=open("/dev/null", "w"))
    assert BodyFigures.objects.filter(period="all").count() == 3
    slow = BodyFigures.objects.get(period="all", slug="slow-icb")
    assert (slow.place, slow.kind_place, slow.answers_overdue) == (2, 1, 1)
