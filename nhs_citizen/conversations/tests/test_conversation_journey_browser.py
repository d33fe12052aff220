"""A citizen votes on statements and adds one, with and without JavaScript; the report page
shows the groups and where people agree; a curator hides a statement. Every page passes axe
for WCAG 2.2 A and AA and has one h1 (issue 17)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from nhs_citizen.conversations.models import Statement, Vote
from nhs_citizen.conversations.services import results
from nhs_citizen.conversations.services.bulk import load_votes
from nhs_citizen.conversations.tests.factories import curator, open_conversation, person
from nhs_citizen.moderation.tests.test_moderation_journeys import _check, _sign_in, _submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _queue_jobs(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def _vote(page, choice: str, javascript: bool) -> None:
    form = page.locator("form[data-vote-form]")
    if javascript:
        heading = page.locator("#next-heading").inner_text()
        form.get_by_role("button", name=choice, exact=True).click()
        expect(page.locator("#next-heading")).not_to_have_text(heading)
    else:
        with page.expect_navigation():
            form.get_by_role("button", name=choice, exact=True).click()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_a_citizen_votes_and_adds_a_statement(request, browser, live_server, javascript):
    page = request.getfixturevalue("page" if javascript else "page_without_javascript")
    conversation = open_conversation()
    citizen = person()
    _sign_in(page, live_server, citizen)
    page.goto(conversation.get_absolute_url())
    _check(page, browser)
    expect(page.locator("#next-heading")).to_have_text("Statement 1")
    _vote(page, "Agree", javascript)
    expect(page.locator("#next-heading")).to_have_text("Statement 2")
    expect(page.get_by_text("Your vote on statement 1 is saved: agree.")).to_be_visible()
    _vote(page, "Disagree", javascript)
    _vote(page, "Pass or unsure", javascript)
    expect(page.locator("#next-heading")).to_have_text("Statement 4")
    _check(page, browser)
    assert dict(
        Vote.objects.filter(participant__user=citizen).values_list("statement__number", "choice")
    ) == {1: 1, 2: -1, 3: 0}

    # A statement that is too long, then a good one.
    page.get_by_label("Add your own statement").fill("Parking " * 20)
    _submit(page, "Add your statement")
    assert "140 characters or fewer" in page.locator(".nhsuk-error-summary").inner_text()
    _check(page, browser)
    page.get_by_label("Add your own statement").fill("Surgeries should open on Saturday mornings")
    _submit(page, "Add your statement")
    expect(page.get_by_text("Your statement is added as statement 9")).to_be_visible()
    _check(page, browser)
    assert Statement.objects.filter(conversation=conversation, number=9, author=citizen).exists()

    # Changing a vote, from the list of one's own votes (a plain form either way).
    page.goto(conversation.get_absolute_url() + "#your-votes")
    with page.expect_navigation():
        page.get_by_role("button", name="Change to disagree on statement 1").click()
    expect(page.get_by_text("You changed your vote on statement 1 to disagree.")).to_be_visible()
    assert Vote.objects.get(participant__user=citizen, statement__number=1).choice == -1


def test_the_report_shows_groups_and_consensus_and_a_curator_hides_a_statement(
    page, browser, live_server
):
    conversation = open_conversation()
    you = person()
    # Thirty people in two camps who all agree with statements 1 and 2.
    votes = []
    for p in range(30):
        for number in range(1, 9):
            choice = 1 if number <= 2 else (1 if (p % 2) == (number % 2) else -1)
            votes.append((f"p{p}", number, choice))
    load_votes(conversation, votes)
    conversation.participants.filter(external_id="p0").update(user=you)
    results.do_recompute(conversation.pk)

    _sign_in(page, live_server, you)
    page.goto(conversation.get_absolute_url())
    page.get_by_role("link", name="See what people think so far").first.click()
    _check(page, browser)
    expect(page.get_by_role("heading", name="Where people agree")).to_be_visible()
    expect(page.get_by_role("heading", name="Group A: 15 people")).to_be_visible()
    expect(page.get_by_role("heading", name="Group B: 15 people")).to_be_visible()
    expect(page.get_by_text("You are in group")).to_be_visible()
    agree_table = page.locator("#agree ~ table").first
    expect(agree_table).to_contain_text(
        Statement.objects.get(conversation=conversation, number=1).text
    )
    expect(page.locator(".app-conversation-map svg[role=img]")).to_have_count(1)

    page.context.clear_cookies()
    _sign_in(page, live_server, curator())
    statement = Statement.objects.get(conversation=conversation, number=5)
    page.goto(statement.get_absolute_url())
    _check(page, browser)
    page.get_by_role("link", name="Hide this statement").click()
    _check(page, browser)
    _submit(page, "Hide the statement")
    assert "Enter why you are hiding it" in page.locator(".nhsuk-error-summary").inner_text()
    page.get_by_label("Why are you hiding it?").fill("It is about one named member of staff.")
    _submit(page, "Hide the statement")
    expect(page.get_by_text("Statement 5 is hidden.")).to_be_visible()
    _check(page, browser)
    page.context.clear_cookies()
    page.goto(statement.get_absolute_url())
    expect(page.get_by_role("heading", name="This statement has been hidden")).to_be_visible()
    expect(page.get_by_text("It is about one named member of staff.")).to_be_visible()
    _check(page, browser)


def test_you_on_the_map_and_the_opener_changes_then_closes_the_conversation(
    page, browser, live_server
):
    opener = curator()
    conversation = open_conversation(opener=opener)
    you = person()
    votes = [
        (f"p{p}", number, 1 if number <= 2 or (p % 2) == (number % 2) else -1)
        for p in range(30)
        for number in range(1, 9)
    ]
    load_votes(conversation, votes)
    conversation.participants.filter(external_id="p0").update(user=you)
    results.do_recompute(conversation.pk)

    _sign_in(page, live_server, you)
    page.goto(conversation.get_absolute_url() + "report/")
    expect(page.locator(".app-conversation-map svg .app-map-you")).to_have_count(1)
    expect(page.locator(".app-conversation-map svg desc")).to_contain_text(
        "A black ring marked You shows where you are."
    )
    _check(page, browser)

    page.context.clear_cookies()
    _sign_in(page, live_server, opener)
    page.goto(conversation.get_absolute_url())
    page.get_by_role("link", name="Change the question or closing date").click()
    _check(page, browser)
    page.get_by_label("The question").fill("What would make GP booking easier?")
    _submit(page, "Save the change")
    assert "Enter why you are changing it" in page.locator(".nhsuk-error-summary").inner_text()
    _check(page, browser)
    page.get_by_label("Why are you changing it?").fill("Clearer words")
    _submit(page, "Save the change")
    expect(page.get_by_role("heading", name="What would make GP booking easier?")).to_be_visible()
    page.get_by_role("link", name="Close it now").click()
    _check(page, browser)
    page.get_by_label("Why are you closing it now?").fill("The Board has decided")
    _submit(page, "Close it now")
    expect(page.get_by_text("The reason given: The Board has decided")).to_be_visible()
    _check(page, browser)
