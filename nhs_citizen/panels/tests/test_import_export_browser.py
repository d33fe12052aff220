"""The import preview and the export page in a browser, checked with axe."""

import csv
import io

import pytest
from playwright.sync_api import expect

from nhs_citizen.conftest import make_user
from nhs_citizen.panels.models import MemberStatus, PanelMember, Pool
from nhs_citizen.panels.services import draws
from nhs_citizen.panels.tests.test_formats import APP_CATEGORIES, APP_PEOPLE
from nhs_citizen.tests.browser import _new_context, assert_accessible
from nhs_citizen.tests.system.test_gather_journeys import sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_the_secretariat_previews_imports_and_exports_a_pool(browser, live_server, tmp_path):
    secretariat = make_user(
        "sec@example.com", display_name="Sam Secretariat", roles=("secretariat",)
    )
    categories, people = tmp_path / "categories.csv", tmp_path / "people.csv"
    categories.write_text(APP_CATEGORIES)
    people.write_text(APP_PEOPLE)
    page = _new_context(browser, live_server, javascript=True).new_page()
    sign_in(page, secretariat)

    page.goto("/selection-by-lot/pools/import/")
    page.get_by_label("Name of the pool").fill("Stratification app pool")
    page.get_by_label("Categories file (CSV)").set_input_files(str(categories))
    page.get_by_label("People file (CSV)").set_input_files(str(people))
    page.get_by_role("button", name="Check the files").click()
    expect(page.get_by_role("heading", name="Check the import")).to_be_visible()
    expect(page.get_by_text("Rows 2 and 3 are one household")).to_be_visible()
    assert not Pool.objects.filter(name="Stratification app pool").exists()
    assert_accessible(page)
    page.get_by_role("button", name="Import the pool").click()
    expect(page.get_by_text("has been imported with 4 people")).to_be_visible()

    pool = Pool.objects.get(name="Stratification app pool")
    panel = draws.check_create_panel(
        created_by=secretariat, purpose="jury", title="Jury", size=2, reserves=0, pool=pool
    )
    for member in pool.members.filter(external_id__in=["101", "103"]):
        PanelMember.objects.create(panel=panel, pool_member=member, status=MemberStatus.INVITED)
    page.goto(f"/selection-by-lot/panels/{panel.pk}/export/")
    expect(page.get_by_role("heading", name="Export the people")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the people selected").click()
    rows = list(csv.reader(io.StringIO(open(download.value.path()).read())))
    assert rows == [
        ["nationbuilder_id", "gender", "age_bucket"],
        ["101", "Female", "18-24"],
        ["103", "Non-binary or other", "25-44"],
    ]
    # A file that is not the pool's: the problem is shown, and the page is still accessible.
    people.write_text(APP_PEOPLE.replace("103,", "999,"))
    page.get_by_label("The people file this pool was imported from (CSV)").set_input_files(
        str(people)
    )
    page.get_by_role("button", name="Split the file").click()
    expect(page.get_by_text("1 person in the pool is not in the file")).to_be_visible()
    assert_accessible(page)
    page.context.close()
