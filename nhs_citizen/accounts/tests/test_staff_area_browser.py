"""The staff area built from the registry, and the public audit log's credits, in a browser with
and without JavaScript: each page passes axe for WCAG 2.2 A and AA."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import Organisation
from nhs_citizen.core.services.organisations import check_request_membership
from nhs_citizen.gather.services import flags as flag_services
from nhs_citizen.gather.tests.factories import next_email, raise_flag
from nhs_citizen.tests.browser import assert_accessible

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


@pytest.mark.parametrize("javascript", [True, False])
def test_the_staff_area_shows_each_tool_with_its_waiting_work(
    request, browser, live_server, javascript
):
    page = request.getfixturevalue("page" if javascript else "page_without_javascript")
    person = make_user(
        next_email("staff"),
        display_name="Kit Staff",
        roles=("review_panel", "administrator"),
    )
    curator = make_user(next_email("curator"), display_name="Colm Curator", roles=("curator",))
    for i in range(2):
        flag = raise_flag(title=f"A flag that needs review {i}")
        flag_services.check_put_forward(curator=curator, flag=flag, reason="Ready")
    check_request_membership(
        user=make_user(next_email("asker")),
        organisation=Organisation.objects.get(type="icb", code="QWO"),
        role="member",
    )
    _sign_in(page, live_server, person)
    page.goto("/")
    page.get_by_role("link", name="Staff area").first.click()
    expect(page.get_by_role("heading", name="Staff area")).to_be_visible()
    main = page.locator("main")
    expect(main.get_by_text("2 flags waiting")).to_be_visible()
    expect(main.get_by_text("1 request waiting")).to_be_visible()
    expect(main.get_by_role("link", name="People and roles")).to_be_visible()
    expect(main.get_by_role("link", name="Curate flags")).to_have_count(0)
    assert_accessible(page, browser)

    page.goto("/audit-log/")
    table = page.get_by_role("table", name="Public entries, newest first")
    expect(table.get_by_text("NHS England, curator").first).to_be_visible()
    expect(table.get_by_text("Colm Curator")).to_have_count(0)
    assert_accessible(page, browser)
