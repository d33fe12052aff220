"""Gather journeys in the browser, each page checked with axe; citizen journeys also without
JavaScript."""

import re
import time

import pytest
from playwright.sync_api import expect

from nhs_citizen.conftest import PASSWORD, make_user, totp_code
from nhs_citizen.core.models import Organisation
from nhs_citizen.gather.models import Comment, Flag, FlagStatus, Referral
from nhs_citizen.gather.services import flags as services
from nhs_citizen.gather.tests.factories import next_email, raise_flag, responder_for
from nhs_citizen.tests.system.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, user, browser=None):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if user.needs_second_factor:
        expect(page.get_by_label("Security code")).to_be_visible()
        # A code read in the last seconds of its 30-second window can be out of date by the
        # time the server checks it: wait for a fresh window first.
        if time.time() % 30 > 25:
            time.sleep(30.5 - time.time() % 30)
        page.get_by_label("Security code").fill(totp_code())
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Your account", exact=True)).to_be_visible()


def _page(request, javascript):
    return request.getfixturevalue("page" if javascript else "page_without_javascript")


JS = pytest.mark.parametrize(
    "javascript", [True, False], ids=["with-javascript", "without-javascript"]
)


@JS
def test_a_visitor_browses_and_searches_flags(request, browser, javascript):
    page = _page(request, javascript)
    raise_flag(
        title="Free parking at hospitals",
        what="Parking should be free for carers.",
        topic="hospital-care",
    )
    raise_flag(
        title="More NHS dentists for children",
        what="Every child should see a dentist.",
        topic="dentistry",
    )
    page.goto("/")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Gather").click()
    expect(page.get_by_role("heading", name="Gather: flags")).to_be_visible()
    assert_accessible(page, browser)
    page.get_by_label("Search flags").fill("dentist")
    page.get_by_role("button", name="Show flags").click()
    expect(page.get_by_role("link", name="More NHS dentists for children")).to_be_visible()
    expect(page.get_by_role("link", name="Free parking at hospitals")).to_have_count(0)
    assert_accessible(page, browser)
    page.get_by_role("link", name="More NHS dentists for children").click()
    expect(page.get_by_text("Gathering support: 1 of 100 supporters")).to_be_visible()
    assert_accessible(page, browser)


@JS
def test_a_citizen_raises_a_flag_after_seeing_similar_ones_then_supports_and_comments(
    request, browser, javascript
):
    page = _page(request, javascript)
    existing = raise_flag(
        title="GP appointments are impossible to get", what="Make it easier to see a GP."
    )
    citizen = make_user(next_email("citizen"), display_name="Cat Citizen")
    sign_in(page, citizen)
    page.goto("/gather/raise/")
    assert_accessible(page, browser)
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title(re.compile(r"^Error:\ "))
    assert_accessible(page, browser)
    page.get_by_label("What is your flag about?").fill("I can never see my family doctor")
    page.get_by_label("What should change?").fill("Let people book a GP a week ahead.")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Flags like yours")).to_be_visible()
    expect(page.get_by_role("link", name="GP appointments are impossible to get")).to_be_visible()
    assert_accessible(page, browser)
    page.get_by_role("button", name="Continue with my flag").click()
    assert_accessible(page, browser)
    page.get_by_label("Why does this matter?").fill("I work shifts and cannot ring at 8am.")
    page.get_by_label("Topic").select_option(label="GP and primary care")
    page.get_by_label("All of England").check()
    page.get_by_role("button", name="Raise my flag").click()
    expect(page.get_by_role("heading", name="I can never see my family doctor")).to_be_visible()
    assert_accessible(page, browser)
    # Support the existing flag too, and join its discussion.
    page.goto(f"/gather/flags/{existing.pk}/")
    page.get_by_role("button", name="Support this flag").click()
    expect(page.get_by_text("You support this flag.", exact=True)).to_be_visible()
    page.get_by_label("A point for").check()
    page.get_by_label("Your comment").fill("**Yes.** I have the same problem.")
    page.get_by_role("button", name="Add comment").click()
    expect(page.locator(".app-comment").first).to_contain_text("I have the same problem")
    assert_accessible(page, browser)
    existing.refresh_from_db()
    assert existing.support_count == 2
    assert Flag.objects.filter(title="I can never see my family doctor", raised_by=citizen).exists()


def test_a_curator_merges_two_flags_and_writes_a_roundup(page):
    keep = raise_flag(title="Hospital parking costs too much")
    duplicate = raise_flag(title="Free parking at hospitals")
    curator = make_user(next_email("curator"), display_name="Cara Curator", roles=("curator",))
    sign_in(page, curator)
    page.goto(f"/gather/flags/{duplicate.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Merge into another flag").click()
    assert_accessible(page)
    page.get_by_label("Number of the flag to merge this one into").fill(str(keep.pk))
    page.get_by_label("Why are these the same?").fill("Both ask for free parking at hospitals.")
    page.get_by_role("button", name="Merge flags").click()
    expect(page.get_by_role("heading", name="Hospital parking costs too much")).to_be_visible()
    page.get_by_role("link", name="Write the roundup").click()
    assert_accessible(page)
    page.get_by_label("The change needed").fill("Free parking for patients and carers.")
    page.get_by_label("The action").fill("Stop charging carers to park.")
    page.get_by_label("Who should act").fill("Each hospital trust")
    page.get_by_role("button", name="Save roundup").click()
    expect(page.get_by_role("heading", name="Roundup")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/gather/flags/{duplicate.pk}/")
    assert page.url.endswith(f"/gather/flags/{keep.pk}/")


def test_the_review_panel_refers_a_flag_the_responder_answers_and_a_supporter_sees_it(
    browser, live_server
):
    from nhs_citizen.tests.system.conftest import _new_context

    flag = raise_flag(title="A bus to Airedale Hospital")
    services.check_put_forward(
        curator=make_user(next_email(), roles=("curator",)), flag=flag, reason="Needs an answer"
    )
    supporter = make_user(next_email("supporter"), display_name="Sal Supporter")
    services.do_support_flag(user=supporter, flag=flag)
    icb = Organisation.objects.get(type="icb", code="QWO")
    reviewer = make_user(
        next_email("reviewer"), display_name="Rev Reviewer", roles=("review_panel",)
    )
    responder = responder_for(icb, next_email("responder"))

    def new_page():
        return _new_context(browser, live_server, javascript=True).new_page()

    page = new_page()
    sign_in(page, reviewer)
    page.goto("/gather/review/")
    assert_accessible(page)
    page.get_by_role("link", name="A bus to Airedale Hospital").click()
    page.get_by_role("link", name="Record the review decision").click()
    assert_accessible(page)
    page.get_by_role("group", name="Is it national?").get_by_label("No").check()
    page.get_by_role("group", name="Is it within NHS England's remit?").get_by_label("No").check()
    page.get_by_label("Refer it to the body responsible").check()
    page.get_by_role("button", name="Publish decision").click()
    assert "Select the body that must answer" in page.locator(".nhsuk-error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("If you refer it: the body that must answer").select_option(label=icb.name)
    page.get_by_label("Your reasons").fill("Transport to this hospital is arranged locally.")
    page.get_by_role("button", name="Publish decision").click()
    expect(page.get_by_text(f"Waiting for {icb.name} to answer")).to_be_visible()
    page.context.close()

    page = new_page()
    sign_in(page, responder)
    page.goto("/gather/responses/")
    assert_accessible(page)
    page.get_by_role("link", name="A bus to Airedale Hospital").click()
    assert_accessible(page)
    page.get_by_label("We will act", exact=True).check()
    page.get_by_label("Your reasons").fill("We will trial a shuttle bus from next month.")
    page.get_by_role("button", name="Publish answer").click()
    # "We will act" goes straight on to adding the commitment; the flag shows the answer.
    expect(page.get_by_role("heading", name="Add a commitment to this answer")).to_be_visible()
    page.get_by_role("link", name="Add commitments later: go to the flag").click()
    expect(page.get_by_text(f"{icb.name} has answered: we will act")).to_be_visible()
    page.context.close()

    page = new_page()
    sign_in(page, supporter)
    expect(page.locator("main")).to_contain_text(f"{icb.name} has answered")
    assert_accessible(page)
    page.locator("main").get_by_role("link", name=f"{icb.name} has answered").click()
    expect(
        page.get_by_text("We will trial a shuttle bus from next month.", exact=True)
    ).to_be_visible()
    assert Referral.objects.get(flag=flag).status == "answered"
    flag.refresh_from_db()
    assert flag.status == FlagStatus.ANSWERED


def test_a_moderator_hides_a_comment_and_a_placeholder_gives_the_reason(page):
    flag = raise_flag(title="Safe hospital food")
    author = make_user(next_email("author"), display_name="Rude Person")
    comment = services.check_add_comment(user=author, flag=flag, body="You are all idiots")
    moderator = make_user(
        next_email("moderator"), display_name="Mo Moderator", roles=("moderator",)
    )
    sign_in(page, moderator)
    page.goto(f"/gather/flags/{flag.pk}/")
    page.get_by_role("link", name="Report this comment").click()
    assert_accessible(page)
    page.get_by_label("It is rude, or it attacks someone").check()
    page.get_by_role("button", name="Send report").click()
    assert_accessible(page)
    page.goto("/staff/moderation/")
    assert_accessible(page)
    page.goto(f"/staff/moderation/comment/{comment.pk}/")
    assert_accessible(page)
    page.get_by_label("Hide it").check()
    page.get_by_label("Reason").fill(
        "It is a personal attack. The house rules ask everyone to be respectful."
    )
    page.get_by_role("button", name="Save decision").click()
    comment.refresh_from_db()
    assert comment.is_hidden
    page.context.clear_cookies()
    page.goto(f"/gather/flags/{flag.pk}/")
    expect(
        page.get_by_text("This comment was hidden by a moderator because: It is a personal attack.")
    ).to_be_visible()
    expect(page.get_by_text("You are all idiots")).to_have_count(0)
    assert_accessible(page)
    assert Comment.objects.get(pk=comment.pk).hidden_reason.startswith("It is a personal attack")
