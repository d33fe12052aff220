"""Reporting and moderating in a browser, with and without JavaScript: every page passes axe
for WCAG 2.2 A and AA and has one h1."""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from nhs_citizen.moderation.services import check_hide
from nhs_citizen.tests.system.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, user):
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


def _submit(page, button):
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def _check(page, browser):
    page.wait_for_load_state()
    assert page.locator("h1").count() == 1, (page.url, page.content()[-3000:])
    assert_accessible(page, browser)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_a_visitor_reports_a_comment(request, browser, comment, javascript):
    page = request.getfixturevalue("page" if javascript else "page_without_javascript")
    page.goto(f"/report/comment/{comment.pk}/")
    _check(page, browser)
    _submit(page, "Send report")
    expect(page).to_have_title(re.compile(r"^Error:\ "))
    assert "Select why you are reporting this" in page.locator(".nhsuk-error-summary").inner_text()
    _check(page, browser)
    page.get_by_label("Something else").check()
    _submit(page, "Send report")
    assert "Enter what is wrong with it" in page.locator(".nhsuk-error-summary").inner_text()
    page.get_by_label("Tell us what is wrong with it").fill("It has a phone number in it.")
    _submit(page, "Send report")
    expect(page.get_by_role("heading", name="Thank you for your report")).to_be_visible()
    _check(page, browser)


def test_a_moderator_hides_a_comment_and_the_author_appeals(
    page,
    browser,
    live_server,
    moderator,
    second_moderator,
    author,
    comment,
    evidence,
    flag,
):
    from nhs_citizen.moderation.services import check_report

    check_report(reporter=None, kind="comment", object_id=comment.pk, reason="hate", ip="1.1.1.1")
    check_report(reporter=None, kind="flag", object_id=flag.pk, reason="off_topic", ip="1.1.1.1")
    check_hide(moderator=second_moderator, kind="evidence", object_id=evidence.pk, reason="Advert")
    _sign_in(page, live_server, moderator)
    page.goto("/staff/moderation/")
    _check(page, browser)
    page.goto(f"/staff/moderation/flag/{flag.pk}/")
    _check(page, browser)
    page.goto(f"/staff/moderation/evidence/{evidence.pk}/")
    _check(page, browser)
    page.goto(f"/staff/moderation/comment/{comment.pk}/")
    _check(page, browser)
    _submit(page, "Save decision")
    expect(page).to_have_title(re.compile(r"^Error:\ "))
    _check(page, browser)
    page.get_by_label("Hide it").check()
    page.get_by_label("Reason").fill("It attacks people who disagree.")
    _submit(page, "Save decision")
    expect(page.get_by_role("heading", name="Reports to check")).to_be_visible()
    _check(page, browser)
    page.goto("/moderation-log/")
    expect(page.get_by_text("It attacks people who disagree.")).to_be_visible()
    _check(page, browser)

    page.context.clear_cookies()
    page.goto(f"/report/comment/{comment.pk}/")
    _check(page, browser)
    _sign_in(page, live_server, author)
    page.goto(f"/appeal/comment/{comment.pk}/")
    _check(page, browser)
    _submit(page, "Send appeal")
    _check(page, browser)
    page.get_by_label("Why do you think it should be put back?").fill("I did not attack anyone.")
    _submit(page, "Send appeal")
    page.goto(f"/appeal/comment/{comment.pk}/")
    expect(page.get_by_text("You have already appealed")).to_be_visible()
    _check(page, browser)
