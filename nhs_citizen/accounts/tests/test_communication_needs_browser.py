"""Communication needs in a browser (ADR 0036), with and without JavaScript, each page checked
by axe for WCAG 2.2 A and AA: a person records their needs, the secretariat sees them on the
panel's member list, the person asks for a document in large print and the secretariat marks
it sent."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from nhs_citizen.accounts.models import FormatRequest
from nhs_citizen.accounts.tests.needs_factories import panel_with_members
from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import AuditEntry
from nhs_citizen.gather.tests.factories import next_email
from nhs_citizen.tests.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, user):
    page.context.clear_cookies()
    client = Client()
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


@pytest.mark.parametrize("javascript", [True, False])
def test_needs_recorded_seen_by_the_secretariat_and_a_large_print_request_sent(
    request, browser, live_server, javascript
):
    page = request.getfixturevalue("page" if javascript else "page_without_javascript")
    person = make_user(next_email("needs"), display_name="Bea Signer")
    secretariat = make_user(
        next_email("secretariat"), display_name="Sol Secretariat", roles=("secretariat",)
    )
    panel = panel_with_members(secretariat, [(person, "confirmed")], title="Leeds Citizen Panel")

    # The person records their needs from their account page.
    _sign_in(page, live_server, person)
    page.goto("/account/")
    page.get_by_role("link", name="Tell us about your communication needs").click()
    expect(page.get_by_role("heading", name="Your communication needs", level=1)).to_be_visible()
    assert_accessible(page, browser)
    page.get_by_label("A British Sign Language (BSL) interpreter").check()
    page.get_by_label("Step-free access (no stairs or steps)").check()
    page.get_by_label("Do you need information in another language?").select_option("pl")
    page.get_by_role("button", name="Save your needs").click()
    expect(page.get_by_text("Your communication needs have been saved.")).to_be_visible()
    section = page.locator("main")
    expect(section.get_by_text("Information in Polish")).to_be_visible()
    assert_accessible(page, browser)

    # A secretariat member sees them on the panel's member list; the look is audited.
    _sign_in(page, live_server, secretariat)
    page.goto(f"/selection-by-lot/panels/{panel.pk}/manage/")
    expect(
        page.get_by_role("heading", name="Communication needs of confirmed members")
    ).to_be_visible()
    main = page.locator("main")
    expect(main.get_by_text("1 needs a BSL interpreter")).to_be_visible()
    expect(main.get_by_text("1 needs step-free access")).to_be_visible()
    expect(main.get_by_text("1 needs information in Polish")).to_be_visible()
    assert_accessible(page, browser)
    assert AuditEntry.objects.filter(
        action="accounts.member_needs_viewed", actor=secretariat
    ).exists()

    # The person asks for a document in large print; first forgetting the address.
    _sign_in(page, live_server, person)
    page.goto("/account/")
    page.get_by_role("link", name="Ask for a document in another format or language").click()
    page.get_by_label("Which document or page do you want?").fill(
        "The information pack for the Leeds Citizen Panel"
    )
    page.get_by_label("Large print").check()
    page.get_by_label("Post it to me").check()
    page.get_by_role("button", name="Send your request").click()
    expect(page.get_by_role("link", name="Enter the address to post it to")).to_be_visible()
    assert not FormatRequest.objects.exists()
    assert_accessible(page, browser)
    page.get_by_label("Address to post it to").fill("12 Park Road\nLeeds\nLS1 4AB")
    page.get_by_role("button", name="Send your request").click()
    expect(page.get_by_text("We have your request.")).to_be_visible()
    expect(page.locator("main").get_by_text("Waiting We will send it by")).to_be_visible()

    # The secretariat finds it in the staff area and marks it sent.
    _sign_in(page, live_server, secretariat)
    page.goto("/staff/")
    page.get_by_role("link", name="Requests for other formats").click()
    assert_accessible(page, browser)
    page.get_by_role("link", name="The information pack for the Leeds Citizen Panel").click()
    expect(page.get_by_text("12 Park Road")).to_be_visible()
    assert_accessible(page, browser)
    page.get_by_label("Note (optional)").fill("Posted first class")
    page.get_by_role("button", name="Mark as sent").click()
    expect(page.get_by_text("The request is marked as sent.")).to_be_visible()
    expect(page.get_by_text("No requests are waiting.")).to_be_visible()

    # The person sees it has been sent.
    _sign_in(page, live_server, person)
    page.goto("/account/")
    expect(page.locator("main").get_by_text("We sent it on")).to_be_visible()
    assert_accessible(page, browser)
