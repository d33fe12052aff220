"""A community helper at Healthwatch Leeds records a flag and three supports for people who are
offline, in a browser, with axe on every page; the flag page then says who recorded it and the
share of its supporters recorded on behalf. Nobody's name reaches the public page."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from nhs_citizen.assisted.tests.factories import healthwatch, helper_for
from nhs_citizen.conftest import make_user
from nhs_citizen.gather.services.flags import do_support_flag
from nhs_citizen.gather.tests.factories import next_email
from nhs_citizen.tests.browser import assert_accessible
from nhs_citizen.tests.system.test_gather_journeys import sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

PEOPLE = [
    ("Edna Quigley", "phone", "0113 496 0123"),
    ("Fred Akinola", "phone", "0113 496 0456"),
    ("Gwen Hartley", "letter", "4 Roundhay Road\nLeeds LS7 1AB"),
    ("Harold Birch", "helper", ""),
]


def _add_person(page, browser, name, contact_by, detail, check=False):
    page.get_by_role("link", name="Add a person").click()
    if check:
        assert_accessible(page, browser)
    page.get_by_label("Their name").fill(name)
    page.get_by_label(
        {
            "phone": "By phone",
            "letter": "By letter",
            "helper": "Through us only (we will tell them)",
        }[contact_by],
        exact=True,
    ).check()
    if contact_by == "phone":
        page.get_by_label("Phone number (if by phone)").fill(detail)
    elif contact_by == "letter":
        page.get_by_label("Address (if by letter)").fill(detail)
    page.get_by_role("button", name="Add this person").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(r"^HWL-[0-9A-Z]{4}$"))
    return heading.inner_text()


def _consent(page, how="In person", paper=""):
    page.get_by_label("Who agreed to this being recorded?").fill("The person themselves")
    page.get_by_label(how, exact=True).check()
    page.get_by_label("When did they agree?").fill(timezone.localdate().strftime("%d %m %Y"))
    if paper:
        page.get_by_label("Paper form reference (if it came on paper)").fill(paper)


def test_a_helper_records_a_flag_and_three_supports_for_people_who_are_offline(
    page, browser, settings
):
    # No worker: "similar flags" waits in the queue (the sentence model is not needed here).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    organisation = healthwatch()
    helper = helper_for(organisation, display_name="Priya Shah")
    sign_in(page, helper)
    page.goto("/helpers/")
    expect(page.get_by_role("heading", name="Record for people who are offline")).to_be_visible()
    assert_accessible(page, browser)

    # Edna told Priya about the hospital bus at a drop-in session.
    edna = _add_person(page, browser, *PEOPLE[0], check=True)
    assert_accessible(page, browser)
    page.get_by_role("link", name=f"Record a flag for {edna}").click()
    page.get_by_label("What is the flag about?").fill("Bring back the bus to St James's")
    page.get_by_label("What should change?").fill(
        "Run the hospital bus from Seacroft to St James's again."
    )
    page.get_by_label("Why does this matter?").fill(
        "Older people without a car cannot get to their appointments since the bus stopped."
    )
    page.get_by_label("Topic").select_option("gp-and-primary-care")
    page.get_by_label("All of England").check()
    _consent(page)
    page.get_by_role("button", name="Record the flag").click()
    expect(
        page.get_by_text("Recorded by Healthwatch Leeds for a local resident", exact=True)
    ).to_be_visible()
    flag_url = page.url
    flag_number = re.search(r"/flags/(\d+)/", flag_url).group(1)
    assert_accessible(page, browser)

    # Three more people support it: two told Priya, one sent the paper form back.
    for number, person in enumerate(PEOPLE[1:], 1):
        page.goto(f"/helpers/{organisation.slug}/")
        reference = _add_person(page, browser, *person)
        page.get_by_role("link", name=f"Record {reference}'s support for a flag").click()
        page.get_by_label("Which flag do they support?").fill(flag_number)
        if number == 3:
            _consent(page, how="By letter", paper="PF-0031")
        else:
            _consent(page, how="By phone")
        if number == 1:
            assert_accessible(page, browser)
        page.get_by_role("button", name="Record their support").click()
        expect(page.get_by_text(f"You recorded {reference}'s support")).to_be_visible()

    # The same person again is refused with a clear error, and nothing changes.
    page.get_by_role("link", name=f"Record {reference}'s support for a flag").click()
    page.get_by_label("Which flag do they support?").fill(flag_number)
    _consent(page, how="By letter", paper="PF-0031")
    page.get_by_role("button", name="Record their support").click()
    expect(page.get_by_role("alert")).to_contain_text(f"{reference} already supports this flag")
    assert_accessible(page, browser)

    # Two people support it online as well.
    from nhs_citizen.gather.models import Flag

    flag = Flag.objects.get(pk=flag_number)
    for name in ("Olu Online", "Nia Net"):
        do_support_flag(user=make_user(next_email("online"), display_name=name), flag=flag)

    page.goto(flag_url)
    expect(
        page.get_by_text("Recorded by Healthwatch Leeds for a local resident", exact=True)
    ).to_be_visible()
    expect(page.locator("#on-behalf-share")).to_contain_text(
        "4 of 6 supporters were recorded by community helpers."
    )
    body = page.locator("body").inner_text()
    for name, _, detail in PEOPLE:
        assert name not in body
        assert not detail or detail.splitlines()[0] not in body
    assert_accessible(page, browser)

    # The organisation's activity page: who recorded what, when, and the consent.
    page.goto(f"/helpers/{organisation.slug}/activity/")
    expect(page.get_by_role("heading", name="Helpers' activity")).to_be_visible()
    expect(page.get_by_text("paper form PF0031")).to_be_visible()
    assert_accessible(page, browser)
