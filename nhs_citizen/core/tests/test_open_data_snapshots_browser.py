"""The open data page with daily files listed, checked with axe, and a file downloaded."""

import datetime

import pytest
from playwright.sync_api import expect

from nhs_citizen.core.services import open_data_snapshot as snapshots
from nhs_citizen.core.services.audit import record_audit_entry
from nhs_citizen.tests.browser import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_open_data_page_lists_the_daily_files_accessibly(page, settings, tmp_path):
    settings.OPEN_DATA_SNAPSHOT_DIR = tmp_path / "open-data"
    record_audit_entry(actor=None, action="test.thing", summary="A public thing", public=True)
    snapshots.write_snapshot(datetime.date(2027, 1, 3))
    snapshots.write_snapshot(datetime.date(2027, 1, 4))
    page.goto("/open-data/")
    expect(
        page.get_by_role("heading", name="Files saved on 2027-01-04 (the newest)")
    ).to_be_visible()
    assert_accessible(page)
    page.locator(".nhsuk-details__summary-text", has_text="Files saved on 2027-01-03").click()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="audit-log.jsonl").first.click()
    path = download.value.path()
    assert "A public thing" in open(path, encoding="utf-8").read()
