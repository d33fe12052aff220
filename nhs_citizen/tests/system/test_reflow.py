"""Every page, for a visitor and for each role, fits a window 320 CSS pixels wide without
scrolling sideways (WCAG 1.4.10 Reflow). The pages come from the URL conf, so new pages are
checked too; the data is one small world (nhs_citizen/tests/every_page.py), not the demo."""

from __future__ import annotations

import re
import time

import pytest
from django.conf import settings
from django.test import Client

from nhs_citizen.tests.browser import axe_violations
from nhs_citizen.tests.every_page import ROLES, addresses, build_world
from nhs_citizen.tests.reflow import NARROW, sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    return client


MAIN = re.compile(r"<main\b.*</main>", re.S)
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def _pages_seen(client: Client, pages) -> dict[str, str]:
    """The addresses that show this person a page (not a redirect, a file or data), each with
    what its main part says, to tell which pages look different to someone else."""
    seen = {}
    for _name, url in pages:
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            main = MAIN.search(response.content.decode())
            seen[url] = TOKEN.sub("", main.group(0) if main else response.content.decode())
    return seen


def _narrow_context(browser, live_server, client: Client):
    context = browser.new_context(
        viewport=NARROW, base_url=live_server.url, java_script_enabled=True, bypass_csp=True
    )
    context.route(lambda url: not url.startswith(live_server.url), lambda route: route.abort())
    context.set_default_timeout(15_000)
    if settings.SESSION_COOKIE_NAME in client.cookies:
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
    return context


def test_no_page_scrolls_sideways_at_320_pixels_for_anyone(browser, live_server):
    world = build_world()
    pages = addresses(world)
    problems: dict[str, list[str]] = {}
    loaded = 0
    started = time.monotonic()
    as_a_visitor: dict[str, str] = {}
    for role in ROLES:
        client = _client_for(world.people.get(role))
        seen = _pages_seen(client, pages)
        if role == "visitor":
            as_a_visitor = seen
        # Each page as a visitor sees it, then as each role sees it where its main part is
        # different (their own pages, and the public pages with their buttons and forms).
        urls = [
            url for url, main in seen.items() if as_a_visitor.get(url) != main or role == "visitor"
        ]
        if role == "visitor":
            urls += ["/no-such-page/"]
        elif role == "citizen":
            urls += ["/staff/"]  # the page saying they cannot see it
        context = _narrow_context(browser, live_server, client)
        page = context.new_page()
        try:
            for url in urls:
                page.goto(url)
                loaded += 1
                found = sideways_scroll(page)
                if found:
                    problems[f"{role} {url}"] = found
        finally:
            context.close()
    print(f"{loaded} page-and-role pairs in {time.monotonic() - started:.0f}s")
    assert loaded > 100
    assert problems == {}, "\n".join(
        f"{where}:\n    " + "\n    ".join(found) for where, found in problems.items()
    )


def test_the_check_finds_what_scrolls_sideways_and_allows_a_labelled_scrolling_table(
    browser, live_server
):
    """Guard against a check that passes everything."""
    context = _narrow_context(browser, live_server, Client())
    page = context.new_page()
    try:
        page.goto("/about/")
        assert sideways_scroll(page) == []
        page.evaluate(
            """() => {
              const main = document.querySelector('main');
              const wide = '<table><tr>' + '<td>Column</td>'.repeat(12) + '</tr></table>';
              main.insertAdjacentHTML('beforeend',
                '<div class="app-table-scroll" role="region" aria-label="Fine" tabindex="0">'
                + wide + '</div>');
            }"""
        )
        assert sideways_scroll(page) == []
        page.evaluate(
            """() => {
              const main = document.querySelector('main');
              const wide = '<table><tr>' + '<td>Column</td>'.repeat(12) + '</tr></table>';
              main.insertAdjacentHTML('beforeend',
                '<div id="unlabelled" style="overflow-x: auto">' + wide + '</div>');
            }"""
        )
        found = sideways_scroll(page)
        assert len(found) == 1 and found[0].startswith("div#unlabelled"), found
        assert "scrolls sideways but is not a labelled region" in found[0]
        page.evaluate(
            """() => document.querySelector('main').insertAdjacentHTML('beforeend',
                 '<p id="long" style="overflow-wrap: normal">' + 'x'.repeat(80) + '</p>')"""
        )
        found = sideways_scroll(page)
        assert any(problem.startswith("the page is") for problem in found), found
        assert any(problem.startswith("p#long") for problem in found), found
    finally:
        context.close()


# The pages whose layout changed for reflow, as the person who sees them.
CHANGED = [
    ("visitor", "/audit-log/"),
    ("visitor", "/tracker/"),
    ("visitor", "/tracker/bodies/"),
    ("visitor", "/tracker/stock-take/{cycle}/"),
    ("visitor", "/tracker/board-responses/{board_response}/"),
    ("visitor", "/assembly/panels-commissioned/"),
    ("visitor", "/gather/flags/{flag}/"),
    ("visitor", "/discover/network/"),
    ("citizen", "/culture-change/stories/"),
    ("responder", "/gather/responses/"),
    ("secretariat", "/assembly/{cycle}/meeting/agenda/"),
    ("curator", "/discover/upload/{upload}/columns/"),
    ("administrator", "/staff/people/"),
    ("administrator", "/staff/organisation-requests/"),
    ("administrator", "/staff/audit-log/"),
]


def test_the_pages_changed_for_reflow_pass_axe_at_320_pixels(browser, live_server):
    world = build_world()
    o = world.objects
    parts = {
        "cycle": o["cycle"].slug,
        "board_response": o["board_response"].pk,
        "flag": o["flag"].pk,
        "upload": o["upload"].pk,
    }
    failures = {}
    for role, url in CHANGED:
        url = url.format(**parts)
        context = _narrow_context(browser, live_server, _client_for(world.people.get(role)))
        page = context.new_page()
        try:
            response = page.goto(url)
            assert response.status == 200 and page.url.endswith(url), (role, url, page.url)
            assert sideways_scroll(page) == [], (role, url)
            violations = axe_violations(page)
            if violations:
                failures[f"{role} {url}"] = violations
        finally:
            context.close()
    assert failures == {}
