"""Culture change in the browser, each page checked with axe: a visitor reads the league table
and a body's page (with and without JavaScript); a citizen tells a story and a curator
publishes it."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import OrganisationType
from nhs_citizen.culture.models import Story, StoryStatus
from nhs_citizen.culture.tests.factories import Maker, at, body, next_email
from nhs_citizen.tests.system.conftest import assert_accessible
from nhs_citizen.tests.system.test_gather_journeys import sign_in
from nhs_citizen.tracker.models import CommitmentStatus

pytestmark = pytest.mark.django_db(transaction=True)

JS = pytest.mark.parametrize(
    "javascript", [True, False], ids=["with-javascript", "without-javascript"]
)


@JS
def test_a_visitor_reads_the_league_table_and_a_body_s_page(request, browser, javascript):
    page = request.getfixturevalue("page" if javascript else "page_without_javascript")
    today = timezone.localdate()
    make = Maker()
    prompt = body("Prompt Trust")
    slow = body("Slow ICB", OrganisationType.ICB)
    for _ in range(3):
        make.referral(
            prompt,
            sent=at(today - dt.timedelta(days=20)),
            due=today - dt.timedelta(days=1),
            answered=at(today - dt.timedelta(days=15)),
        )
    make.referral(
        slow,
        sent=at(today - dt.timedelta(days=40)),
        due=today - dt.timedelta(days=10),
        title="More buses to the hospital",
    )
    make.commitment(slow, due=today - dt.timedelta(days=3), what="Run a bus")
    make.commitment(
        slow, due=today - dt.timedelta(days=3), what="Open a clinic", status=CommitmentStatus.DONE
    )

    page.goto("/culture-change/")
    expect(
        page.get_by_role("heading", name="How well NHS bodies answer and keep their word")
    ).to_be_visible()
    table = page.get_by_role("table")
    expect(table.get_by_role("row")).to_have_count(3)
    expect(page.get_by_text("Answered all 3 flags on time")).to_be_visible()
    assert_accessible(page, browser)

    page.get_by_label("Kind of body").select_option("icb")
    page.get_by_role("button", name="Show bodies").click()
    expect(page).to_have_url(re.compile(r"kind=icb"))
    expect(page.get_by_role("table").get_by_role("row")).to_have_count(2)

    page.get_by_role("table").get_by_role("link", name="Slow ICB").click()
    expect(page.get_by_role("heading", name="Slow ICB", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="More buses to the hospital")).to_be_visible()
    expect(page.get_by_text("Run a bus")).to_be_visible()
    expect(page.get_by_text("50% (1 of 2)")).to_be_visible()
    assert_accessible(page, browser)


def test_a_citizen_tells_a_story_and_a_curator_publishes_it(page, browser):
    citizen = make_user(next_email("citizen"), display_name="Cat Citizen")
    curator = make_user(next_email("curator"), display_name="Cora Curator", roles=("curator",))

    sign_in(page, citizen)
    page.goto("/culture-change/stories/")
    assert_accessible(page, browser)
    page.get_by_role("link", name="Tell your story").first.click()
    page.get_by_role("button", name="Send your story").click()
    expect(page).to_have_title(re.compile(r"^Error:\ "))
    assert_accessible(page, browser)
    page.get_by_label("Give your story a title").fill("The ward asked us first")
    page.get_by_label("Your story", exact=True).fill(
        "Before, nobody asked. Now we meet every month."
    )
    page.get_by_label("NHS staff").check()
    page.get_by_label("Which NHS body is your story about? (optional)").select_option(
        label="NHS England"
    )
    page.get_by_role("button", name="Send your story").click()
    expect(page.get_by_text("Waiting for a curator to check it")).to_be_visible()
    assert_accessible(page, browser)
    page.context.clear_cookies()

    sign_in(page, curator)
    page.goto("/culture-change/stories/waiting/")
    assert_accessible(page, browser)
    page.get_by_role("link", name="The ward asked us first").click()
    page.get_by_label("Publish the story").check()
    assert_accessible(page, browser)
    page.get_by_role("button", name="Save your decision").click()
    expect(page.get_by_text("“The ward asked us first” is published.")).to_be_visible()
    assert Story.objects.get().status == StoryStatus.PUBLISHED

    page.goto("/culture-change/stories/")
    page.get_by_role("link", name="The ward asked us first").click()
    expect(page.get_by_text("Told by Cat Citizen, a member of NHS staff.")).to_be_visible()
    assert_accessible(page, browser)
