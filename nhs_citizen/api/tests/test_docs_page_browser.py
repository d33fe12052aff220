"""The API's docs page in Debian's chromium: with the site's real content security policy (the
other browser tests bypass it to inject axe-core) it shows the document and the browser reports
no policy violation; and axe-core finds nothing against WCAG 2.2 AA."""

from __future__ import annotations

import pytest

from nhs_citizen.tests.browser import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def test_docs_page_works_under_the_csp(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    context.route(lambda url: not url.startswith(live_server.url), lambda route: route.abort())
    page = context.new_page()
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    scripts = []
    page.on(
        "request",
        lambda request: scripts.append(request.url) if request.resource_type == "script" else None,
    )
    try:
        response = page.goto("/api/v1/docs")
        assert response.status == 200
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert page.locator("h1").inner_text() == "NHS Citizen open API"
        page.get_by_role("link", name="Flags").first.click()
        assert page.locator("#nhs_citizen_api_resources_flags_flag_list").is_visible()
    finally:
        context.close()
    violations = [m for m in messages if "Content Security Policy" in m]
    assert violations == []
    # The page itself needs no script (the layout's own, from this site, may load).
    assert all(url.startswith(live_server.url) for url in scripts), scripts


def test_docs_page_is_accessible(page):
    page.goto("/api/v1/docs")
    assert_accessible(page)
