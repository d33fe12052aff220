"""In a browser, every page checked with axe: a visitor's "Tell us" message waits for a curator,
who publishes it; a curator puts back a word that redaction took out by mistake, with a reason."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import AuditEntry
from nhs_citizen.discover.models import Item, Review
from nhs_citizen.discover.services import pipeline
from nhs_citizen.discover.services.ingest import tell_us_source
from nhs_citizen.tests.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

MESSAGE = "The night staff on the childrens ward were kind but the wait for a bed was far too long"


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


def _check(page, browser):
    page.wait_for_load_state()
    assert page.locator("h1").count() == 1
    assert_accessible(page, browser)


def test_a_visitors_message_waits_until_a_curator_publishes_it(
    browser, live_server, page, settings
):
    pipeline.reset_caches()
    # No worker: the processing job waits until the test plays the worker's part.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    # A visitor, not signed in, tells us something.
    page.goto("/discover/tell-us/")
    _check(page, browser)
    page.get_by_label("What do you want the NHS to know?").fill(MESSAGE)
    page.get_by_label("I understand that what I write will be public", exact=False).check()
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("a person will check what you wrote")).to_be_visible()
    _check(page, browser)

    pipeline.do_process_waiting()  # the background job
    item = Item.objects.get()
    assert item.processed_at and item.review == Review.WAITING
    # Not public yet: not in the list, and its page is not found.
    page.goto("/discover/statements/")
    expect(page.get_by_text("far too long")).to_have_count(0)
    assert page.goto(f"/discover/statements/{item.pk}/").status == 404

    curator = make_user("curator@example.com", display_name="Cora Curator", roles=("curator",))
    _sign_in(page, live_server, curator)
    page.goto("/discover/pipeline/")
    page.get_by_role("link", name="Messages to check").click()
    _check(page, browser)
    page.get_by_role("link", name="Check this message").click()
    _check(page, browser)
    page.get_by_role("button", name="Publish this message").click()
    expect(page.get_by_text("Published the message.")).to_be_visible()
    expect(page.get_by_text("There are no messages waiting to be checked.")).to_be_visible()
    _check(page, browser)
    item.refresh_from_db()
    assert item.review == Review.PUBLISHED

    page.context.clear_cookies()
    page.goto(f"/discover/statements/{item.pk}/")
    expect(page.get_by_text("wait for a bed was far too long")).to_be_visible()


def test_a_curator_puts_back_a_word_taken_out_by_mistake(browser, live_server, page):
    raw = "I was looked after at Airedale and Nurse Okonkwo was kind"
    # As the pipeline leaves it when redaction takes a hospital's name for a person's.
    item = Item.objects.create(
        source=tell_us_source(),
        original_id="tell-us-browser",
        said_at=timezone.now(),
        raw_text=raw,
        text="I was looked after at [name] and Nurse [name] was kind",
        redactions={"name": 2},
        redacted_spans=[[22, 30, "name"], [41, 48, "name"]],
        processed_at=timezone.now(),
    )
    curator = make_user("curator@example.com", display_name="Cora Curator", roles=("curator",))
    _sign_in(page, live_server, curator)
    page.goto(f"/discover/statements/{item.pk}/")
    expect(page.get_by_role("heading", name="Words taken out")).to_be_visible()
    _check(page, browser)
    page.get_by_role("link", name="Put back “Airedale”").click()
    _check(page, browser)
    # No reason: a clear error, and nothing changes.
    page.get_by_role("button", name="Put the words back").click()
    expect(page.get_by_text("Enter a reason").first).to_be_visible()
    _check(page, browser)
    item.refresh_from_db()
    assert item.restored_spans == []
    page.get_by_label("Reason (this will be public)").fill("Airedale is a hospital, not a person")
    page.get_by_role("button", name="Put the words back").click()
    expect(page.get_by_text("Put the words back. The statement now shows them.")).to_be_visible()
    expect(
        page.get_by_text("I was looked after at Airedale and Nurse [name] was kind")
    ).to_be_visible()
    _check(page, browser)

    entry = AuditEntry.objects.get(action="discover.words_restored")
    assert "Okonkwo" not in f"{entry.summary} {entry.data}"
    page.context.clear_cookies()
    page.goto(f"/discover/statements/{item.pk}/")
    expect(
        page.get_by_text("I was looked after at Airedale and Nurse [name] was kind")
    ).to_be_visible()
    expect(page.get_by_text("Okonkwo")).to_have_count(0)
