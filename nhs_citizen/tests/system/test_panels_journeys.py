"""Selection by lot in the browser, each page checked with axe."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from nhs_citizen.conftest import make_user
from nhs_citizen.panels.models import MemberStatus, Panel, PanelStatus, PoolMember
from nhs_citizen.panels.services.pool import volunteer_pool
from nhs_citizen.tests.system.conftest import assert_accessible
from nhs_citizen.tests.system.test_gather_journeys import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _pool(n=120):
    """A pool whose answers follow England's population, so Census quotas can be met."""
    import random

    from nhs_citizen.panels import categories

    rng = random.Random(7)
    pool = volunteer_pool()
    PoolMember.objects.bulk_create(
        [
            PoolMember(
                pool=pool,
                external_id=f"x{i}",
                features={
                    c: rng.choices(
                        [v.value for v in categories.values_for(c)],
                        [v.share for v in categories.values_for(c)],
                    )[0]
                    for c in categories.CATEGORY_LABELS
                },
                household_hash=f"h{i}",
            )
            for i in range(n)
        ]
    )
    return pool


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_a_citizen_volunteers_for_the_pool(request, browser, javascript):
    page = request.getfixturevalue("page" if javascript else "page_without_javascript")
    citizen = make_user("vol@example.com", display_name="Val Volunteer")
    sign_in(page, citizen)
    page.goto("/selection-by-lot/")
    assert_accessible(page, browser)
    page.get_by_role("button", name="Join the pool").click()
    expect(page.get_by_role("heading", name="Join the pool")).to_be_visible()
    assert_accessible(page, browser)
    page.get_by_role("button", name="Join the pool").click()
    expect(page).to_have_title(re.compile("^Error: "))
    assert_accessible(page, browser)
    page.get_by_label("25 to 34").check()
    page.get_by_label("Female").check()
    page.get_by_label("White").check()
    page.get_by_role("group", name="Are you disabled?").get_by_label("No").check()
    page.get_by_label("Which NHS region do you live in?").select_option(label="London")
    page.get_by_label("I do not know").check()
    page.get_by_label("First line of your address").fill("1 Test Street")
    page.get_by_label("Postcode").fill("SE1 7PB")
    page.get_by_label("I agree that NHS Citizen can keep these answers", exact=False).check()
    page.get_by_role("button", name="Join the pool").click()
    expect(page.get_by_role("heading", name="Your answers for selection by lot")).to_be_visible()
    assert_accessible(page, browser)
    assert PoolMember.objects.get(user=citizen).features["age_band"] == "25-34"


def test_the_secretariat_runs_a_draw_and_a_visitor_checks_it(browser, live_server):
    from nhs_citizen.tests.system.conftest import _new_context

    pool = _pool()
    secretariat = make_user(
        "sec@example.com", display_name="Sam Secretariat", roles=("secretariat",)
    )
    page = _new_context(browser, live_server, javascript=True).new_page()
    sign_in(page, secretariat)
    page.goto("/selection-by-lot/panels/")
    assert_accessible(page)
    page.get_by_role("button", name="Set up a panel").click()
    assert_accessible(page)
    page.get_by_label("Citizens' jury for an Assembly cycle").check()
    page.get_by_label("Title").fill("Spring jury")
    page.get_by_label("How many people?").fill("10")
    page.get_by_label("How many reserves?").fill("4")
    page.get_by_label("Choose people from").select_option(label=pool.name)
    page.get_by_role("button", name="Continue to quotas").click()
    expect(page.get_by_role("heading", name="Quotas", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("How far can each group be from its share").fill("50")
    page.get_by_role("button", name="Work out quotas from the Census").click()
    expect(page.get_by_text("The quotas have been saved.")).to_be_visible()
    assert_accessible(page)
    panel = Panel.objects.get(title="Spring jury")
    expect(page.get_by_text("The quotas can be met from this pool.")).to_be_visible()
    # The order of ADR 0021: inputs, lottery, seed with a named public value, value, draw.
    page.get_by_role("button", name="Fix the inputs").click()
    page.get_by_role("button", name="Make the lottery").click()
    expect(page.get_by_role("heading", name="The lottery is published")).to_be_visible()
    page.get_by_role("button", name="Commit the seed").click()
    page.get_by_label("Which public random value").fill("Lotto on Saturday: the six main balls")
    tomorrow = timezone.localdate() + timedelta(days=1)
    page.get_by_label("On what date will it be known?").fill(tomorrow.strftime("%d %m %Y"))
    page.get_by_role("button", name="Commit the seed").click()
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        page.goto(f"/selection-by-lot/panels/{panel.pk}/public-value/")
        page.get_by_label("The public value").fill("7 12 23 31 40 52")
        page.get_by_role("button", name="Draw the panel").click()
        expect(page.get_by_text("The panel has been drawn.")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/selection-by-lot/panels/{panel.pk}/manage/")
    # One member declines; the next reserve who keeps the quotas met replaces them. The seed is
    # random, so pick a member who has such a reserve (with 4 reserves and wide quotas, most do).
    from nhs_citizen.panels.services.draws import first_fitting_reserve

    panel.refresh_from_db()
    invited = panel.members.filter(status=MemberStatus.INVITED).select_related("pool_member")
    member = next(m for m in invited if first_fitting_reserve(m) is not None)
    name = f"Imported person {member.pool_member.external_id}"
    page.get_by_role("button", name=f"Declined {name}", exact=True).click()
    page.get_by_role("button", name=f"Replace from the reserves {name}", exact=True).click()
    expect(
        page.get_by_text("The next reserve who keeps the quotas met has been invited.")
    ).to_be_visible()
    assert_accessible(page)
    panel.refresh_from_db()
    assert panel.status == PanelStatus.SEED_REVEALED
    assert panel.members.filter(status=MemberStatus.REPLACED).count() == 1
    page.context.close()

    visitor = _new_context(browser, live_server, javascript=True).new_page()
    visitor.goto(f"/selection-by-lot/panels/{panel.pk}/")
    assert_accessible(visitor)
    visitor.get_by_role("button", name="Check this draw").click()
    expect(visitor.get_by_text("This draw checks out")).to_be_visible()
    assert_accessible(visitor)
