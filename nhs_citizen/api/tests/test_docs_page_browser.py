"""The API's docs page in Debian's chromium with the site's real content security policy (the
other browser tests bypass it to inject axe-core): Swagger UI loads from our own files and
shows the document, and the browser reports no policy violation."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_docs_page_works_under_the_csp(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    context.route(lambda url: not url.startswith(live_server.url), lambda route: route.abort())
    page = context.new_page()
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    outside = []
    page.on(
        "request",
        lambda request: outside.append(request.url)
        if not request.url.startswith(live_server.url)
        else None,
    )
    try:
        response = page.goto("/api/v1/docs")
        assert response.status == 200
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_selector("text=NHS Citizen open API", timeout=15_000)
        page.wait_for_selector('[data-path="/api/v1/flags"]', timeout=15_000)
    finally:
        context.close()
    violations = [m for m in messages if "Content Security Policy" in m]
    assert violations == []
    assert outside == []
