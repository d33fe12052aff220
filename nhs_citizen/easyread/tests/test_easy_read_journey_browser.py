"""A visitor reaches the Easy Read version of each page from the standard page, and back, with
axe checking every Easy Read page; the paper form and the print stylesheet on paper."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from nhs_citizen.assembly.tests.factories import (
    DAY,
    cut_off,
    make_cycle,
    open_vote,
    shortlisted_flag,
)
from nhs_citizen.tests.system.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

# The standard page, and the Easy Read page's heading.
JOURNEYS = [
    ("/", "NHS Citizen"),
    ("/discover/how-it-works/", "Discover"),
    ("/gather/how-it-works/", "Gather"),
    ("/assembly/how-it-works/", "The Assembly"),
    ("/tracker/how-it-works/", "The tracker"),
    ("/culture-change/", "How NHS bodies respond"),
    ("/privacy-notice/", "Your information"),
    ("/selection-by-lot/", "Join the pool"),
]


def _reach_easy_read_and_back(page, standard: str, heading: str) -> None:
    page.goto(standard)
    page.get_by_role("link", name="Easy Read version of this page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert "/easy-read/" in page.url
    page.wait_for_load_state("load")  # the pictures have arrived (or failed) by then
    pictures = page.locator("main img.app-easy-read__picture")
    assert pictures.count() >= 5
    for n in range(pictures.count()):
        assert pictures.nth(n).get_attribute("alt"), f"picture {n} on {page.url} has no alt text"
        assert pictures.nth(n).evaluate("img => img.complete && img.naturalWidth > 0")
    assert_accessible(page)
    page.get_by_role("link", name="Standard version of this page").click()
    assert page.url.endswith(standard), (standard, page.url)


def test_a_visitor_reaches_the_easy_read_version_of_each_page_and_back(page):
    for standard, heading in JOURNEYS:
        _reach_easy_read_and_back(page, standard, heading)


def test_a_visitor_reaches_the_easy_read_priority_vote_from_the_vote(page):
    cycle = make_cycle("Spring 2027", timezone.now() - 2 * DAY)
    shortlisted_flag("Hearing aids without a long wait", cycle.flag_cutoff - 20 * DAY)
    cut_off(cycle)
    open_vote(cycle)
    _reach_easy_read_and_back(page, f"/assembly/{cycle.slug}/vote/", "The priority vote")


def test_easy_read_pages_work_at_320_pixels_wide(page):
    from nhs_citizen.tests.reflow import NARROW, sideways_scroll

    page.set_viewport_size(NARROW)
    for path in ("/easy-read/", "/easy-read/privacy-notice/", "/paper/raise-a-flag/"):
        page.goto(path)
        assert sideways_scroll(page) == [], path


def test_a_helper_prints_the_paper_form_from_the_raise_a_flag_help(page):
    page.goto("/gather/how-it-works/")
    page.get_by_role("link", name="print a paper form to raise a flag").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Raise a flag on paper")
    assert_accessible(page)
    page.emulate_media(media="print")
    hidden = "el => getComputedStyle(el).display === 'none'"
    assert page.locator("header.nhsuk-header").evaluate(hidden)
    assert page.locator("footer").first.evaluate(hidden)
    assert page.locator("main .app-no-print").evaluate(hidden)
    expect(page.get_by_role("heading", name="Reference (office use)")).to_be_visible()
    expect(page.get_by_text("Printed from NHS Citizen:")).to_be_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


def test_a_flag_prints_without_buttons_and_shows_where_outside_links_go(page):
    from nhs_citizen.gather.tests.factories import raise_flag

    flag = raise_flag(title="Hearing aids without a long wait")
    page.goto(f"/gather/flags/{flag.pk}/")
    page.emulate_media(media="print")
    for button in page.locator("main .nhsuk-button").all():
        assert button.evaluate("el => getComputedStyle(el).display === 'none'")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    # An outside link prints with its address after it.
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', "
        "'<a id=out href=\"https://www.nhs.uk/\">NHS website</a>')"
    )
    after = page.locator("#out").evaluate("el => getComputedStyle(el, '::after').content")
    assert "https://www.nhs.uk/" in after
