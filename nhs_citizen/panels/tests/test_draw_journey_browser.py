"""The whole draw in a browser, checked with axe on every page: the secretariat fixes the
inputs, makes and publishes the lottery (with its progress page), commits a seed naming a public
random value, types the value in on its date and draws; then a visitor checks the draw."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from nhs_citizen.conftest import make_user
from nhs_citizen.panels.models import Panel, PanelStatus
from nhs_citizen.panels.tests import factories
from nhs_citizen.tests.browser import _new_context, assert_accessible
from nhs_citizen.tests.system.test_gather_journeys import sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

NAME = "UK National Lottery Lotto draw on Saturday: the six main balls in the order drawn"


def test_the_secretariat_draws_in_the_safe_order_and_a_visitor_checks_it(browser, live_server):
    secretariat = make_user(
        "sec@example.com", display_name="Sam Secretariat", roles=("secretariat",)
    )
    panel = factories.make_panel(secretariat, factories.make_pool(40), title="Spring jury")
    Panel.objects.filter(pk=panel.pk).update(lottery_size=300)
    page = _new_context(browser, live_server, javascript=True).new_page()
    sign_in(page, secretariat)

    page.goto(f"/selection-by-lot/panels/{panel.pk}/quotas/")
    page.get_by_role("button", name="Fix the inputs").click()
    expect(page.get_by_text("The inputs are fixed and their code is published.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Make the lottery").click()
    expect(page.get_by_role("heading", name="The lottery is published")).to_be_visible()
    expect(page.get_by_text("Proving", exact=False)).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("button", name="Commit the seed").click()
    expect(page.get_by_role("heading", name="Commit the seed")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Which public random value").fill(NAME)
    page.get_by_label("On what date will it be known?").fill("1 1 2020")
    page.get_by_role("button", name="Commit the seed").click()
    expect(page.get_by_text("The date must be after today").first).to_be_visible()
    assert_accessible(page)
    tomorrow = timezone.localdate() + timedelta(days=1)
    page.get_by_label("On what date will it be known?").fill(tomorrow.strftime("%d %m %Y"))
    page.get_by_role("button", name="Commit the seed").click()
    expect(page.get_by_text("Come back on or after that date")).to_be_visible()
    assert_accessible(page)

    with time_machine.travel(timezone.now() + timedelta(days=1)):
        page.reload()
        page.get_by_role("button", name="Type in the public value").click()
        assert_accessible(page)
        page.get_by_label("The public value").fill("07, 12, 23, 31, 40, 52")
        page.get_by_role("button", name="Draw the panel").click()
        expect(page.get_by_role("heading", name="The draw has finished")).to_be_visible()
        assert_accessible(page)
    panel.refresh_from_db()
    assert panel.status == PanelStatus.SEED_REVEALED
    page.context.close()

    visitor = _new_context(browser, live_server, javascript=True).new_page()
    visitor.goto(f"/selection-by-lot/panels/{panel.pk}/")
    expect(visitor.get_by_text(panel.lottery_sha256)).to_be_visible()
    assert_accessible(visitor)
    visitor.get_by_role("button", name="Check this draw").click()
    expect(visitor.get_by_text("This draw checks out")).to_be_visible()
    expect(visitor.get_by_text("07, 12, 23, 31, 40, 52")).to_be_visible()
    assert_accessible(visitor)
    visitor.context.close()
