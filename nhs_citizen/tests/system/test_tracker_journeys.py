"""The tracker in the browser, each page checked with axe: the Board records a response with
commitments, a body updates one, and a visitor finds a body's overdue commitments in two
clicks, with and without JavaScript."""

import datetime
import time

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from nhs_citizen.core.models import Organisation
from nhs_citizen.tests.system.conftest import assert_accessible
from nhs_citizen.tests.system.test_gather_journeys import sign_in as sign_in_now
from nhs_citizen.tracker.models import BoardResponse, CommitmentStatus
from nhs_citizen.tracker.services import commitments as services
from nhs_citizen.tracker.tests.factories import (
    answered_referral,
    board_member,
    draft,
    make_agenda_item,
)

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, user):
    # A two-step code read in the last seconds of its 30-second window can be out of date by
    # the time the server checks it: wait for a fresh window first.
    if user.needs_second_factor and time.time() % 30 > 24:
        time.sleep(30.5 - time.time() % 30)
    sign_in_now(page, user)


def _in(days: int) -> str:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return f"{day.day} {day.month} {day.year}"


def test_a_board_member_records_a_response_with_commitments(page):
    item = make_agenda_item(title="Shorter waits for talking therapies")
    member = board_member()
    sign_in(page, member)
    page.goto("/tracker/")
    page.get_by_role("link", name="Board responses to record").click()
    assert_accessible(page)
    page.get_by_role("link", name="Shorter waits for talking therapies").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Record the Board's response")
    assert_accessible(page)

    page.get_by_label("The Board will act", exact=True).check()
    page.get_by_label("The response in one sentence").fill(
        "The Board will publish waiting times and fund more therapists."
    )
    page.get_by_label("The Board's reasons").fill(
        "Members told us that waits are long and nobody can see how long."
    )
    first = page.get_by_role("group", name="Commitment 1")
    first.get_by_label("What will be done").fill("Publish waiting times for every area")
    first.get_by_label("Who owns it").fill("Director of Mental Health")
    first.get_by_label("Due date").fill(_in(90))
    page.get_by_role("button", name="Add another commitment").click()
    second = page.get_by_role("group", name="Commitment 2")
    expect(second).to_be_visible()
    expect(first.get_by_label("What will be done")).to_have_value(
        "Publish waiting times for every area"
    )
    assert_accessible(page)
    second.get_by_label("What will be done").fill("Fund 50 more therapists")
    second.get_by_label("Who owns it").fill("Workforce team")
    second.get_by_label("Due date").fill("31 2 2027")
    page.get_by_role("button", name="Publish the Board's response").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "The due date of commitment 2 must be a real date"
    )
    assert_accessible(page)
    page.get_by_role("group", name="Commitment 2").get_by_label("Due date").fill(_in(200))
    page.get_by_role("button", name="Publish the Board's response").click()

    expect(page.get_by_text("The Board's response is published")).to_be_visible()
    expect(page.get_by_role("heading", name="Shorter waits for talking therapies")).to_be_visible()
    expect(page.get_by_role("link", name="Publish waiting times for every area")).to_be_visible()
    expect(page.get_by_role("link", name="Fund 50 more therapists")).to_be_visible()
    assert_accessible(page)
    response = BoardResponse.objects.get()
    assert response.agenda_item == item and response.recorded_by == member
    assert response.commitments.count() == 2
    page.get_by_role("link", name="Tracker", exact=True).first.click()
    expect(page.get_by_role("link", name="Fund 50 more therapists")).to_be_visible()


def test_a_responder_updates_a_commitment(page):
    answer, responder = answered_referral()
    commitment = services.check_add_commitment(
        by=responder, to=answer, draft=draft("Run a shuttle bus to the hospital")
    )
    sign_in(page, responder)
    page.goto("/tracker/")
    page.get_by_role("link", name="Commitments to keep up to date").click()
    assert_accessible(page)
    page.get_by_role("link", name="Run a shuttle bus to the hospital").click()
    page.get_by_role("button", name="Post an update").click()
    assert_accessible(page)
    page.get_by_label("Not done").check()
    page.get_by_label("What has happened").fill("The bus company pulled out.")
    page.get_by_role("button", name="Publish the update").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter why it was not done")
    assert_accessible(page)
    page.get_by_label("In progress").check()
    page.get_by_label("What has happened").fill("The first buses run next week.")
    page.get_by_label("Evidence: what it is (optional)").fill("The new timetable")
    page.get_by_label("Evidence: web address (optional)").fill("https://example.org/timetable")
    page.get_by_label("New due date (optional)").fill(_in(150))
    page.get_by_role("button", name="Publish the update").click()
    expect(page.get_by_text("Your update is published")).to_be_visible()
    expect(page.get_by_text("The first buses run next week.")).to_be_visible()
    expect(page.get_by_role("link", name="The new timetable")).to_be_visible()
    expect(page.get_by_text("The due date moved")).to_be_visible()
    assert_accessible(page)
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.IN_PROGRESS


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_a_visitor_finds_every_overdue_commitment_of_a_body_in_two_clicks(
    request, browser, javascript
):
    page = request.getfixturevalue("page" if javascript else "page_without_javascript")
    icb = Organisation.objects.get(type="icb", code="QWO")
    with time_machine.travel(timezone.now() - datetime.timedelta(days=60), tick=False):
        answer, responder = answered_referral(icb)
        for what, days in [
            ("Run a shuttle bus", 10),
            ("Publish bus times", 30),
            ("Build a bus shelter", 365),
        ]:
            services.check_add_commitment(
                by=responder, to=answer, draft=draft(what, due_in_days=days)
            )
        # Another body with an overdue commitment, which is not on the first body's page.
        other, other_responder = answered_referral(Organisation.objects.get(type="icb", code="QOQ"))
        services.check_add_commitment(
            by=other_responder, to=other, draft=draft("Somewhere else", due_in_days=5)
        )
    page.goto("/")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Tracker").click()
    expect(page.get_by_role("heading", name="Tracker", exact=True)).to_be_visible()
    assert_accessible(page, browser)
    overdue_by_body = page.locator(".app-overdue-bodies")
    overdue_by_body.get_by_role("link", name=icb.name).click()
    expect(page.get_by_role("heading", name=icb.name, level=1)).to_be_visible()
    overdue = page.locator("#overdue + p + ul")
    expect(page.get_by_role("heading", name="Overdue commitments (2)")).to_be_visible()
    expect(overdue.get_by_role("link", name="Run a shuttle bus")).to_be_visible()
    expect(overdue.get_by_role("link", name="Publish bus times")).to_be_visible()
    expect(overdue.get_by_text("Overdue", exact=True)).to_have_count(2)
    expect(overdue.get_by_role("link", name="Build a bus shelter")).to_have_count(0)
    expect(page.get_by_role("link", name="Somewhere else")).to_have_count(0)
    assert_accessible(page, browser)
