"""A citizen chooses a weekly summary, gets it, and unsubscribes from the link in it without
signing in (issue 15). Every page passes axe for WCAG 2.2 A and AA, with and without
JavaScript."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from playwright.sync_api import expect

from nhs_citizen.conftest import make_user
from nhs_citizen.gather.models import Support
from nhs_citizen.gather.services.notify import notify_flag_audience
from nhs_citizen.gather.tests.factories import raise_flag
from nhs_citizen.notifications.kinds import Delivery, Kind
from nhs_citizen.notifications.services import do_send_digests, preferences_for
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
    assert page.locator("h1").count() == 1, page.url
    assert_accessible(page, browser)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_weekly_summary_then_unsubscribe_from_its_link(request, browser, live_server, javascript):
    page = request.getfixturevalue("page" if javascript else "page_without_javascript")
    citizen = make_user("citizen@example.com", display_name="Chris Citizen")
    flag = raise_flag()
    Support.objects.create(flag=flag, user=citizen)

    _sign_in(page, live_server, citizen)
    page.goto("/account/")
    _check(page, browser)
    page.get_by_role("link", name="Change how often we email you").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How often we email you")
    _check(page, browser)
    group = page.get_by_role("group", name=re.compile("^Flags you support or follow"))
    group.get_by_label("Once a week, in a weekly summary").check()
    _submit(page, "Save email choices")
    expect(page.get_by_text("Your email choices have been saved.")).to_be_visible()
    _check(page, browser)
    assert preferences_for(citizen)[Kind.BACKED_FLAGS] == Delivery.WEEKLY

    # Something happens to the flag; nothing is e-mailed until the weekly summary.
    mail.outbox.clear()
    notify_flag_audience(flag, "A flag you support is being reviewed", "It has 100 supporters.")
    assert [m.to[0] for m in mail.outbox] == [flag.raised_by.email]  # the author, at once
    assert do_send_digests(Delivery.DAILY) == 0
    assert do_send_digests(Delivery.WEEKLY) == 1
    summary = mail.outbox[-1]
    assert summary.to == ["citizen@example.com"]
    assert summary.subject == "Your weekly summary from NHS Citizen: 1 update"
    assert "It has 100 supporters." in summary.body
    link = re.search(r"<(https?://[^>]+)>", summary.extra_headers["List-Unsubscribe"]).group(1)
    assert link in summary.body
    path = link.split("://", 1)[1].split("/", 1)[1]

    # Signed out, the link in the e-mail still works.
    page.context.clear_cookies()
    page.goto(f"/{path}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Stop these emails")
    _check(page, browser)
    _submit(page, "Stop these emails")
    expect(page.get_by_role("heading", level=1)).to_have_text("You have unsubscribed")
    _check(page, browser)
    assert preferences_for(citizen)[Kind.BACKED_FLAGS] == Delivery.OFF

    # A link someone changed: a clear page, nothing changed.
    page.goto(f"/{path[:-3]}zz/")
    expect(page.get_by_role("heading", level=1)).to_have_text("This link does not work")
    _check(page, browser)
