"""Browser test fixtures (a pytest plugin loaded by the root conftest): Playwright driving
Debian's chromium, with axe-core checking each page."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

# Playwright's sync API keeps an event loop in the test thread; the Django ORM calls made by
# the tests themselves are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Debian's chromium is needed at {CHROMIUM}: run `make test`, which installs it."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


def _new_context(browser, live_server, javascript: bool):
    # bypass_csp lets the test inject axe-core; the site's own policy is tested elsewhere.
    context = browser.new_context(
        java_script_enabled=javascript, base_url=live_server.url, bypass_csp=True
    )
    # Only this site is reachable: fonts and anything else from outside fail fast.
    context.route(lambda url: not url.startswith(live_server.url), lambda route: route.abort())
    context.set_default_timeout(15_000)
    context.javascript = javascript
    return context


@pytest.fixture
def page(browser, live_server):
    context = _new_context(browser, live_server, javascript=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def page_without_javascript(browser, live_server):
    context = _new_context(browser, live_server, javascript=False)
    page = context.new_page()
    yield page
    context.close()


def _run_axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]


def axe_violations(page, browser=None) -> list[dict]:
    """axe-core's WCAG 2.2 A and AA violations on the page as the visitor has it.

    axe needs JavaScript, so for a page seen with JavaScript off, the same HTML (without its
    scripts) is loaded into a second page where axe can run."""
    # A click that submits a form returns once the next page has started loading: wait until
    # it has loaded, or axe would check a page with nothing in it yet.
    page.wait_for_load_state("load")
    if getattr(page.context, "javascript", True):
        return _run_axe(page)
    assert browser is not None, "pass the browser to check a page seen without JavaScript"
    html = re.sub(r"<script\b.*?</script>", "", page.content(), flags=re.S | re.I)
    checker = browser.new_context(bypass_csp=True)
    checker.route("**/*.js", lambda route: route.abort())
    origin = page.url.split("/", 3)
    checker.route(
        lambda url: not url.startswith("/".join(origin[:3])),
        lambda route: route.abort(),
    )
    check_page = checker.new_page()
    check_page.route(
        page.url, lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8")
    )
    check_page.goto(page.url)
    try:
        return _run_axe(check_page)
    finally:
        checker.close()


def assert_accessible(page, browser=None) -> None:
    violations = axe_violations(page, browser)
    assert violations == [], (
        f"axe found problems on {page.url}:\n{json.dumps(violations, indent=2)}"
    )
