"""Signing up, signing in and managing your account, with and without JavaScript."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from nhs_citizen.accounts.models import User
from nhs_citizen.conftest import PASSWORD, make_user, totp_code
from nhs_citizen.tests.system.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_up(page, browser, email="jo@example.com"):
    page.goto("/accounts/signup/")
    assert_accessible(page, browser)
    page.get_by_label("Your name on NHS Citizen").fill("Jo Bloggs")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Type your password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_a_citizen_signs_up_confirms_their_email_and_reaches_their_account(
    request, browser, javascript
):
    page = request.getfixturevalue("page" if javascript else "page_without_javascript")
    _sign_up(page, browser)
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    assert_accessible(page, browser)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto("/" + link.split("/", 3)[3])
    assert_accessible(page, browser)
    page.get_by_role("button", name="Confirm my email address").click()
    expect(page.get_by_role("heading", name="Your account", exact=True)).to_be_visible()
    assert_accessible(page, browser)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_sign_up_mistakes_are_shown_clearly_and_nothing_is_saved(request, browser, javascript):
    page = request.getfixturevalue("page" if javascript else "page_without_javascript")
    page.goto("/accounts/signup/")
    page.get_by_label("Email address").fill("not-an-email")
    page.get_by_label("Create a password").fill("short")
    page.get_by_label("Type your password again").fill("short")
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_title(re.compile(r"^Error:\ "))
    summary = page.locator(".nhsuk-error-summary")
    assert "Enter the name to show with what you write" in summary.inner_text()
    assert "Enter an email address in the correct format" in summary.inner_text()
    assert "at least 10 characters" in summary.inner_text()
    assert_accessible(page, browser)
    summary.get_by_role(
        "link", name="Enter an email address in the correct format, like name@example.com"
    ).click()
    if javascript:
        expect(page.locator("#id_email")).to_be_focused()  # NHS.UK's script moves focus
    else:
        assert page.url.endswith("#id_email")
    assert not User.objects.exists()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_a_citizen_signs_in_and_a_wrong_password_is_explained(request, browser, javascript):
    page = request.getfixturevalue("page" if javascript else "page_without_javascript")
    make_user("jo@example.com", display_name="Jo Bloggs")
    page.goto("/accounts/login/")
    assert_accessible(page, browser)
    page.get_by_label("Email address").fill("jo@example.com")
    page.get_by_label("Password", exact=True).fill("wrong-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title(re.compile(r"^Error:\ Sign\ in"))
    assert (
        "The email address or password is not right"
        in page.locator(".nhsuk-error-summary").inner_text()
    )
    assert_accessible(page, browser)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your account", exact=True)).to_be_visible()


def test_staff_sign_in_with_a_code_from_their_authenticator_app(page, browser):
    make_user("mod@example.com", display_name="Mo Moderator", roles=("moderator",))
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("mod@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Enter your security code")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Security code").fill("000000")
    page.get_by_role("button", name="Continue").click()
    assert "The code is not right" in page.locator(".nhsuk-error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("Security code").fill(totp_code())
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("link", name="Staff area").first.click()
    expect(page.get_by_role("heading", name="Staff area")).to_be_visible()
    assert_accessible(page)


def test_your_account_pages_are_accessible_and_the_profile_can_be_changed(page):
    make_user("jo@example.com", display_name="Jo Bloggs")
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("jo@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert_accessible(page)
    page.get_by_role("link", name="Change your area").click()
    assert_accessible(page)
    page.get_by_label("Your area (optional)").select_option(label="London: North Central London")
    page.get_by_label("Mental health").check()
    page.get_by_role("button", name="Save profile").click()
    assert "North Central London (London)" in page.locator("main").inner_text()
    assert "Mental health" in page.locator("main").inner_text()
    for path in (
        "/account/your-data/",
        "/account/delete/",
        "/accounts/password/change/",
        "/accounts/email/",
        "/accounts/2fa/",
    ):
        page.goto(path)
        assert_accessible(page)
