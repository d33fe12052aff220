"""While the background job looks for flags like the one being written, the page waits: with
JavaScript it looks again by itself, without it the person presses "Check again"."""

import pytest
from playwright.sync_api import expect

from nhs_citizen.conftest import PASSWORD, make_user
from nhs_citizen.gather.models import DraftSearch
from nhs_citizen.gather.tests.factories import next_email, raise_flag
from nhs_citizen.tests.browser import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_the_waiting_page_shows_the_flags_once_the_job_has_found_them(
    request, browser, settings, javascript
):
    page = request.getfixturevalue("page" if javascript else "page_without_javascript")
    existing = raise_flag(title="GP appointments are impossible to get")
    # No worker: the job waits in the queue until the test plays the worker's part.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    citizen = make_user(next_email("citizen"), display_name="Cat Citizen")
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(citizen.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/gather/raise/")
    page.get_by_label("What is your flag about?").fill("I can never see my family doctor")
    page.get_by_label("What should change?").fill("Let people book a GP a week ahead.")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Looking for flags like yours")).to_be_visible()
    expect(page.get_by_role("link", name="Skip this and continue with my flag")).to_be_visible()
    if not javascript:
        assert_accessible(page, browser)
    DraftSearch.objects.update(flag_ids=[existing.pk], found_at=existing.created_at)
    if not javascript:
        page.get_by_role("button", name="Check again").click()
    expect(page.get_by_role("heading", name="Flags like yours", exact=True)).to_be_visible(
        timeout=10_000
    )
    expect(page.get_by_role("link", name="GP appointments are impossible to get")).to_be_visible()
    assert_accessible(page, browser)
