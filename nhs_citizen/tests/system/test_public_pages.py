"""A visitor reads the public pages: each one passes axe for WCAG 2.2 A and AA."""

import pytest
from playwright.sync_api import expect

from nhs_citizen.tests.system.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

PUBLIC_PAGES = [
    "/",
    "/about/",
    "/accessibility-statement/",
    "/privacy-notice/",
    "/house-rules/",
    "/cookies/",
    "/open-data/",
    "/discover/",
    "/gather/",
    "/assembly/",
    "/tracker/",
    "/audit-log/",
    "/organisations/",
    "/organisations/nhs-england/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/no-such-page/",
    "/gather/",
    "/gather/how-it-works/",
    "/gather/calls/",
    "/moderation-log/",
    "/selection-by-lot/",
    "/selection-by-lot/panels/",
]


def test_every_public_page_is_accessible(page):
    for path in PUBLIC_PAGES:
        page.goto(path)
        assert page.locator("h1").count() == 1, path
        assert_accessible(page)


def test_the_home_page_explains_the_loop_and_links_to_each_space(page):
    page.goto("/")
    assert "NHS Citizen" in page.title()
    for space in ("Discover", "Gather", "Assembly", "Tracker"):
        expect(
            page.get_by_role("navigation", name="Menu").get_by_role("link", name=space)
        ).to_be_visible()
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Gather").click()
    assert page.url.endswith("/gather/")


def test_the_public_pages_work_without_javascript(page_without_javascript, browser):
    page = page_without_javascript
    for path in ("/", "/accessibility-statement/", "/organisations/"):
        page.goto(path)
        assert page.locator("h1").count() == 1
        assert_accessible(page, browser)


def test_a_visitor_searches_the_organisations(page):
    page.goto("/organisations/")
    page.get_by_label("Search by name").fill("north central")
    page.get_by_role("button", name="Search").click()
    expect(
        page.get_by_role("link", name="NHS North Central London Integrated Care Board")
    ).to_be_visible()
    assert_accessible(page)


def test_the_accessibility_check_can_fail(page, browser):
    """Guard against a checker that passes everything: a page with known problems fails."""
    from nhs_citizen.tests.system.conftest import axe_violations

    page.goto("/")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/x.png\"><a href=\"/\"></a>')"
    )
    ids = {violation["id"] for violation in axe_violations(page)}
    assert {"image-alt", "link-name"} <= ids
