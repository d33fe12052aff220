"""A moderator hides a story and a remote meeting post; each author appeals; a second moderator
decides, and the moderator who hid them is not offered the decision. Every page passes axe for
WCAG 2.2 A and AA and has one h1."""

import pytest
from playwright.sync_api import expect

from nhs_citizen.moderation.models import Appeal, AppealStatus
from nhs_citizen.moderation.tests.kinds import make_remote_post, make_story
from nhs_citizen.moderation.tests.test_moderation_journeys import _check, _sign_in, _submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hidden_story_and_post_are_appealed_and_a_second_moderator_decides(
    page, browser, live_server, moderator, second_moderator, author
):
    story = make_story(author)
    post = make_remote_post(author, body="Buy cheap parking permits at my website")
    post_page = post.item.get_absolute_url()

    # A visitor reports the post from the thread.
    page.goto(post_page)
    page.get_by_role("link", name="Report the post by Ann Author").click()
    _check(page, browser)
    page.get_by_label("It is an advert, or the same thing posted again and again").check()
    _submit(page, "Send report")
    expect(page.get_by_role("heading", name="Thank you for your report")).to_be_visible()

    # The first moderator hides the story from its page, and the post from the queue.
    _sign_in(page, live_server, moderator)
    page.goto(story.get_absolute_url())
    page.get_by_role("link", name="Hide this story").click()
    _check(page, browser)
    page.get_by_label("Hide it").check()
    page.get_by_label("Reason").fill("It names a member of staff.")
    _submit(page, "Save decision")
    page.goto("/staff/moderation/")
    _check(page, browser)
    page.get_by_role("link", name="Check this post").click()
    _check(page, browser)
    page.get_by_label("Hide it").check()
    page.get_by_label("Reason").fill("It is an advert.")
    _submit(page, "Save decision")
    expect(page.get_by_text("You hid the post.")).to_be_visible()

    # The author sees each placeholder and appeals both.
    page.context.clear_cookies()
    _sign_in(page, live_server, author)
    page.goto(story.get_absolute_url())
    expect(page.get_by_text("It names a member of staff.")).to_be_visible()
    page.get_by_role("link", name="ask for it to be looked at again").click()
    _check(page, browser)
    page.get_by_label("Why do you think it should be put back?").fill("I did not name anyone.")
    _submit(page, "Send appeal")
    page.goto(post_page)
    expect(
        page.get_by_text("This post was hidden by a moderator because: It is an advert.")
    ).to_be_visible()
    page.get_by_role("link", name="Ask for this to be looked at again").click()
    _check(page, browser)
    page.get_by_label("Why do you think it should be put back?").fill("It is about parking.")
    _submit(page, "Send appeal")
    assert set(Appeal.objects.values_list("assigned_to", flat=True)) == {second_moderator.pk}

    # The moderator who hid them is not offered the appeals.
    page.context.clear_cookies()
    _sign_in(page, live_server, moderator)
    page.goto("/staff/moderation/")
    expect(page.get_by_text("There is nothing waiting to be checked.")).to_be_visible()
    page.goto(f"/staff/moderation/story/{story.pk}/")
    expect(page.get_by_text("so someone else must decide the appeal")).to_be_visible()
    expect(page.get_by_role("button", name="Save decision")).to_have_count(0)
    _check(page, browser)

    # The second moderator decides: the story stays hidden, the post is put back.
    page.context.clear_cookies()
    _sign_in(page, live_server, second_moderator)
    page.goto("/staff/moderation/")
    expect(page.get_by_text("Sent to you")).to_have_count(2)
    _check(page, browser)
    page.get_by_role("link", name="Check this story").click()
    _check(page, browser)
    expect(page.get_by_text("I did not name anyone.")).to_be_visible()
    _submit(page, "Save decision")
    _check(page, browser)  # the error page
    page.get_by_label("Keep it hidden").check()
    page.get_by_label("Reason").fill("A nurse is named in the second line.")
    _submit(page, "Save decision")
    page.get_by_role("link", name="Check this post").click()
    page.get_by_label("Put it back").check()
    page.get_by_label("Reason").fill("It is about parking, not an advert.")
    _submit(page, "Save decision")
    expect(page.get_by_text("There is nothing waiting to be checked.")).to_be_visible()
    statuses = dict(Appeal.objects.values_list("kind", "status"))
    assert statuses == {"story": AppealStatus.REFUSED, "remote_post": AppealStatus.UPHELD}

    # Everyone sees the outcome.
    page.context.clear_cookies()
    page.goto(post_page)
    expect(page.get_by_text("Buy cheap parking permits at my website")).to_be_visible()
    page.goto("/moderation-log/")
    expect(page.get_by_text("A nurse is named in the second line.")).to_be_visible()
    _check(page, browser)
