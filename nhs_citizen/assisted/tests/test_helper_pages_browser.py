"""Every helpers' page, with its forms' errors showing, passes axe and fits a window 320 CSS
pixels wide, for a helper and for a moderator."""

import pytest
from playwright.sync_api import expect

from nhs_citizen.assisted import services
from nhs_citizen.assisted.tests.factories import consent, healthwatch, helper_for, offline_person
from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import Organisation
from nhs_citizen.gather.tests.factories import next_email, raise_flag, responder_for
from nhs_citizen.gather.tests.test_calls import open_a_call
from nhs_citizen.tests.browser import assert_accessible
from nhs_citizen.tests.reflow import NARROW, sideways_scroll
from nhs_citizen.tests.system.test_gather_journeys import sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def _check(page, browser, url, submit=None):
    page.goto(url)
    expect(page.locator("h1")).to_be_visible()
    if submit:
        page.get_by_role("button", name=submit).click()
        expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert_accessible(page, browser)
    page.set_viewport_size(NARROW)
    page.wait_for_timeout(300)  # the header's menu settles after the window narrows
    assert not sideways_scroll(page), url
    page.set_viewport_size({"width": 1280, "height": 800})


def test_the_helpers_pages_are_accessible_and_reflow(page, browser, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    organisation = healthwatch()
    helper = helper_for(organisation, display_name="Priya Shah")
    person = offline_person(helper, organisation)
    flag = raise_flag()
    services.check_record_support(helper=helper, person=person, flag=flag, consent=consent())
    england = Organisation.objects.get(slug="nhs-england")
    call = open_a_call(responder_for(england), england)
    base = f"/helpers/{organisation.slug}/people/{person.reference}"

    _check(page, browser, "/helpers/about/")
    sign_in(page, helper)
    _check(page, browser, f"{base}/flag/", submit="Record the flag")
    _check(page, browser, f"{base}/answers/")
    _check(page, browser, f"{base}/answers/?call={call.pk}", submit="Type in their answers")
    _check(page, browser, f"{base}/story/", submit="Send the story to a curator")
    _check(page, browser, f"{base}/pool/", submit="Add them to the pool")
    _check(page, browser, f"{base}/", None)
    _check(page, browser, f"/helpers/{organisation.slug}/activity/")

    moderator = make_user(next_email("moderator"), roles=("moderator",))
    page.context.clear_cookies()
    sign_in(page, moderator)
    _check(page, browser, "/helpers/")
    _check(page, browser, "/helpers/activity/")


def test_the_secretariat_types_in_a_paper_form_in_a_browser(page, browser, settings):
    """From the staff area to a flag that says "sent in on paper"; the paper form's reference
    is asked for, and a second entry of the same form is refused with the error shown."""
    from django.utils import timezone

    from nhs_citizen.gather.models import Flag

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    sec = make_user(next_email("sec"), display_name="Sam Secretariat", roles=("secretariat",))
    sign_in(page, sec)
    page.goto("/staff/")
    page.get_by_role("link", name="Paper forms sent to NHS England").click()
    expect(page.get_by_role("heading", name="Type in paper forms")).to_be_visible()
    assert_accessible(page, browser)
    page.get_by_role("link", name="Add a person").click()
    page.get_by_label("Their name").fill("Doreen Ashworth")
    page.get_by_label("By letter", exact=True).check()
    page.get_by_label("Address (if by letter)").fill("14 Mill Lane\nHebden Bridge\nHX7 8AA")
    page.get_by_role("button", name="Add this person").click()
    reference = page.get_by_role("heading", level=1).inner_text()
    page.get_by_role("link", name=f"Record a flag for {reference}").click()
    form_page = page.url

    def fill(title, paper):
        page.get_by_label("What is the flag about?").fill(title)
        page.get_by_label("What should change?").fill("Post batteries to people who cannot travel.")
        page.get_by_label("Why does this matter?").fill("The clinic is two buses away.")
        page.get_by_label("Topic").select_option("gp-and-primary-care")
        page.get_by_label("All of England").check()
        page.get_by_label("Who agreed to this being recorded?").fill("Doreen, signed on the form")
        page.get_by_label("By letter", exact=True).check()
        page.get_by_label("When did they agree?").fill(timezone.localdate().strftime("%d %m %Y"))
        page.get_by_label("Paper form reference (if it came on paper)").fill(paper)
        page.get_by_role("button", name="Record the flag").click()

    fill("Hearing aid batteries by post", "")
    expect(page.get_by_text("Enter the reference written on the paper form").first).to_be_visible()
    assert_accessible(page, browser)
    page.get_by_label("Paper form reference (if it came on paper)").fill("PF-0042")
    page.get_by_role("button", name="Record the flag").click()
    expect(page.get_by_text("Sent in on paper by a member of the public")).to_be_visible()
    assert_accessible(page, browser)
    page.goto(form_page)
    fill("The same form again", "pf 0042")
    expect(page.get_by_text("Paper form PF0042 was typed in on").first).to_be_visible()
    assert Flag.objects.count() == 1
