"""The accountability loop in a browser, checked with axe on every page:

- a citizen follows her flag from its referral to the body's answer, to the commitment and
  its update, and back to the flag, with and without JavaScript;
- a responder answers "We will act" and adds the commitment in one flow (a person's name as
  owner is refused with a clear error), then withdraws it with a public reason."""

import re

import pytest
from playwright.sync_api import expect

from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import Organisation
from nhs_citizen.gather.models import Decision
from nhs_citizen.gather.services import flags as flag_services
from nhs_citizen.gather.services import responses as response_services
from nhs_citizen.gather.services import review
from nhs_citizen.gather.tests.factories import next_email, raise_flag, responder_for
from nhs_citizen.tests.browser import assert_accessible
from nhs_citizen.tests.system.test_gather_journeys import sign_in
from nhs_citizen.tracker.models import CommitmentStatus
from nhs_citizen.tracker.owner_names import MESSAGE
from nhs_citizen.tracker.services import commitments as tracker_services
from nhs_citizen.tracker.tests.factories import draft

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

TITLE = "A bus to Airedale Hospital"


def _referred(citizen):
    """Her flag, referred to the ICB; and the ICB's responder."""
    icb = Organisation.objects.get(type="icb", code="QWO")
    flag = raise_flag(user=citizen, title=TITLE)
    flag_services.check_put_forward(
        curator=make_user(next_email("curator"), roles=("curator",)), flag=flag, reason="Now"
    )
    flag.refresh_from_db()
    review.check_record_decision(
        reviewer=make_user(next_email("reviewer"), roles=("review_panel",)),
        flag=flag,
        decision=Decision.REFER,
        is_national=False,
        within_remit=False,
        reasons="Transport to this hospital is arranged locally.",
        organisation=icb,
    )
    return flag, icb, responder_for(icb)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_a_citizen_follows_her_flag_to_the_commitment_and_back(request, browser, javascript):
    page = request.getfixturevalue("page" if javascript else "page_without_javascript")
    citizen = make_user(next_email("citizen"), display_name="Cat Citizen")
    flag, icb, responder = _referred(citizen)
    answer = response_services.check_respond(
        responder=responder,
        referral=flag.referrals.get(),
        outcome="will_act",
        reasons="We will trial a shuttle bus.",
    )
    commitment = tracker_services.check_add_commitment(
        by=responder,
        to=answer,
        draft=draft("Run a shuttle bus for a year", owner="Patient Transport Team"),
    )
    tracker_services.check_update_commitment(
        by=responder,
        commitment=commitment,
        status=CommitmentStatus.IN_PROGRESS,
        note="Two buses are ordered and the timetable is agreed.",
    )
    sign_in(page, citizen)

    page.goto(flag.get_absolute_url())
    main = page.locator("main")
    expect(main.get_by_text(f"Sent to {icb.name}")).to_be_visible()
    expect(main.get_by_text("We will trial a shuttle bus.", exact=True)).to_be_visible()
    expect(main.locator(f"#commitment-{commitment.pk}")).to_contain_text("In progress")
    expect(main.locator(f"#commitment-{commitment.pk}")).to_contain_text(
        "owned by Patient Transport Team"
    )
    assert_accessible(page, browser)

    # From the referral to the answer on the tracker...
    main.get_by_role("link", name=f"See {icb.name}'s answer on the tracker").click()
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(page.get_by_text("We will act", exact=True)).to_be_visible()
    assert_accessible(page, browser)

    # ...to the commitment and its update...
    page.locator("main").get_by_role("link", name="Run a shuttle bus for a year").click()
    expect(page.get_by_role("heading", name="Run a shuttle bus for a year")).to_be_visible()
    expect(page.get_by_text("Two buses are ordered and the timetable is agreed.")).to_be_visible()
    assert_accessible(page, browser)

    # ...and back to the flag.
    page.locator("main").get_by_role("link", name=TITLE, exact=True).click()
    expect(page).to_have_url(re.compile(f"{flag.get_absolute_url()}$"))
    # The flag's history links each step to the tracker too.
    history = page.locator("main ol.app-timeline")
    history.get_by_role("link", name="See the commitment on the tracker").last.click()
    expect(page.get_by_role("heading", name="Run a shuttle bus for a year")).to_be_visible()
    page.go_back()
    page.locator("main ol.app-timeline").get_by_role(
        "link", name="See the answer on the tracker"
    ).click()
    expect(page.get_by_text("We will trial a shuttle bus.", exact=True)).to_be_visible()


def test_a_responder_answers_we_will_act_and_adds_the_commitment_in_one_flow(browser, page):
    citizen = make_user(next_email("citizen"), display_name="Cat Citizen")
    flag, icb, responder = _referred(citizen)
    sign_in(page, responder)
    page.goto("/gather/responses/")
    page.get_by_role("link", name=TITLE, exact=True).click()
    page.get_by_label("We will act", exact=True).check()
    page.get_by_label("Your reasons").fill("We will trial a shuttle bus from next month.")
    page.get_by_role("button", name="Publish answer").click()

    expect(page.get_by_role("heading", name="Add a commitment to this answer")).to_be_visible()
    expect(page.get_by_text("Your answer has been published")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("What will be done").fill("Run a shuttle bus for a year")
    page.get_by_label("Who owns it").fill("Sarah Jones")
    page.get_by_label("Due date").fill("1 1 2030")
    page.get_by_role("button", name="Add the commitment", exact=True).click()
    expect(page.locator(".nhsuk-error-summary, .nhsuk-error-message").first).to_contain_text(
        MESSAGE
    )
    assert_accessible(page)
    page.get_by_label("Who owns it").fill("Patient Transport Team")
    page.get_by_role("button", name="Add the commitment", exact=True).click()

    expect(page.get_by_role("heading", name="Run a shuttle bus for a year")).to_be_visible()
    expect(page.get_by_text("The commitment is on the tracker")).to_be_visible()
    assert_accessible(page)

    # A wrong commitment is withdrawn with a public reason, and stays to be seen.
    page.get_by_role("button", name="Withdraw this commitment").click()
    assert_accessible(page)
    page.get_by_role("button", name="Withdraw the commitment").click()
    expect(page.locator(".nhsuk-error-message").first).to_contain_text(
        "Enter why the commitment is withdrawn"
    )
    page.get_by_label("Why is it withdrawn?").fill("The Trust now runs the bus, not the ICB.")
    page.get_by_role("button", name="Withdraw the commitment").click()
    expect(page.locator("#withdrawn-reason")).to_have_text(
        "Withdrawn: The Trust now runs the bus, not the ICB."
    )
    assert_accessible(page)
    page.locator("main").get_by_role("link", name=TITLE, exact=True).click()
    expect(page.locator("main")).to_contain_text(
        "Withdrawn: The Trust now runs the bus, not the ICB."
    )
    assert_accessible(page)
