"""The audit log page with entries, checkpoints, pages and a wrong entry number, checked with axe."""

import pytest
from playwright.sync_api import expect

from nhs_citizen.core.services.audit import do_write_audit_checkpoint, record_audit_entry
from nhs_citizen.tests.browser import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_audit_log_pages_are_accessible_and_go_by_entry_number(page):
    for i in range(30):
        record_audit_entry(actor=None, action="test.thing", summary=f"Thing {i + 1}", public=True)
    do_write_audit_checkpoint()
    page.goto("/audit-log/")
    assert_accessible(page)
    page.get_by_text("Checkpoints: the log checked and signed each day").click()
    assert_accessible(page)
    page.get_by_role("link", name="Older entries").click()
    expect(page.get_by_role("cell", name="Thing 5", exact=True)).to_be_visible()
    page.get_by_label("Go to entry number").fill("twelve")
    page.get_by_role("button", name="Go").click()
    expect(page.get_by_text("Enter an entry number using digits only")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Go to entry number").fill("12")
    page.get_by_role("button", name="Go").click()
    entries = page.get_by_role("table", name="Public entries, newest first")
    expect(entries.locator("tbody tr").first.locator("td").first).to_have_text("12")
