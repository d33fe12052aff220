"""The Assembly in the browser, each page checked with axe: a citizen votes and changes their
vote (with JavaScript and without), a newcomer is told why they cannot vote, and the secretariat
runs a cycle from the cut-off to the jury's choices."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from nhs_citizen.assembly.models import Ballot, Cycle, Stage
from nhs_citizen.assembly.services import vote as vote_services
from nhs_citizen.assembly.tests.factories import (
    DAY,
    cut_off,
    jury_panel,
    make_cycle,
    open_vote,
    secretariat,
    shortlisted_flag,
    voter,
)
from nhs_citizen.conftest import make_user
from nhs_citizen.tests.system.conftest import _new_context, assert_accessible
from nhs_citizen.tests.system.test_gather_journeys import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

TITLES = [
    "Talking therapy within six weeks",
    "An NHS dentist for every child",
    "Carers can see care records",
    "End ambulance waits outside A&E",
    "Autism assessments within a year",
    "Listen to women in labour",
    "Free hospital parking for carers",
    "Same-day GP appointments",
    "Hearing aids without a long wait",
    "Interpreters at every appointment",
    "Shorter waits for cancer tests",
    "Home visits for housebound people",
]


def _voting_cycle(flags=6):
    """A cycle whose vote opened yesterday and closes in six days."""
    cycle = make_cycle("Spring 2027", timezone.now() - 2 * DAY)
    for n, title in enumerate(TITLES[:flags]):
        shortlisted_flag(title, cycle.flag_cutoff - (20 - n) * DAY)
    cut_off(cycle)
    return open_vote(cycle)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_an_eligible_citizen_votes_and_changes_their_vote(request, browser, javascript):
    page = request.getfixturevalue("page" if javascript else "page_without_javascript")
    cycle = _voting_cycle()
    citizen = voter(cycle.flag_cutoff - 30 * DAY)
    sign_in(page, citizen)
    page.goto("/assembly/")
    expect(page.get_by_role("heading", name="The current cycle: Spring 2027")).to_be_visible()
    assert_accessible(page, browser)
    page.get_by_role("button", name="Vote in the priority vote").click()
    expect(page.get_by_role("heading", name="Priority vote", exact=True)).to_be_visible()
    assert_accessible(page, browser)

    page.get_by_role("button", name="Send my vote").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_role("link", name="Select at least one flag")).to_be_visible()
    assert_accessible(page, browser)

    page.get_by_label(TITLES[0]).check()
    page.get_by_label(TITLES[3]).check()
    page.get_by_role("button", name="Send my vote").click()
    expect(page.get_by_text("Your vote has been saved.")).to_be_visible()
    choice = page.get_by_role("list").filter(has_text=TITLES[0])
    expect(choice.first).to_contain_text(TITLES[3])
    assert_accessible(page, browser)

    expect(page.get_by_label(TITLES[0])).to_be_checked()
    page.get_by_label(TITLES[0]).uncheck()
    page.get_by_label(TITLES[5]).check()
    page.get_by_role("button", name="Change my vote").click()
    expect(page.get_by_text("Your vote has been changed.")).to_be_visible()
    assert_accessible(page, browser)
    ballot = Ballot.objects.get(voter=citizen)
    assert ballot.version == 2
    assert sorted(e.flag.title for e in ballot.entries.all()) == sorted([TITLES[3], TITLES[5]])

    # The scores stay hidden until the vote closes.
    page.goto(f"/assembly/{cycle.slug}/")
    expect(page.get_by_text("The scores are hidden until the vote closes.").first).to_be_visible()
    expect(page.get_by_role("columnheader", name="Votes")).to_have_count(0)
    assert_accessible(page, browser)


def test_a_newcomer_is_told_why_they_cannot_vote(page):
    cycle = _voting_cycle(flags=2)
    newcomer = make_user("new@example.com", display_name="Nia Newcomer")
    sign_in(page, newcomer)
    page.goto(f"/assembly/{cycle.slug}/vote/")
    expect(
        page.get_by_role("heading", name="You cannot vote in this priority vote")
    ).to_be_visible()
    expect(page.get_by_text("You created your account on")).to_be_visible()
    expect(page.get_by_role("button", name="Send my vote")).to_have_count(0)
    assert_accessible(page)


def _fill_dates(page, start: datetime.datetime):
    def text(moment):
        return f"{moment.day} {moment.month} {moment.year}"

    page.get_by_label("Name of the cycle").fill("Autumn 2027")
    page.get_by_label("Flag cut-off: date").fill(text(start))
    page.get_by_label("Flag cut-off: time").fill("5pm")
    page.get_by_label("The vote opens: date").fill(text(start + DAY))
    page.get_by_label("The vote opens: time").fill("09:00")
    page.get_by_label("The vote closes: date").fill(text(start + 8 * DAY))
    page.get_by_label("The vote closes: time").fill("17:00")
    page.get_by_label("The citizens' jury meets on").fill(text(start + 14 * DAY))
    page.get_by_label("Assembly Meeting").fill(text(start + 30 * DAY))
    page.get_by_label("The Board's written response is due by").fill(text(start + 60 * DAY))
    page.get_by_label("Stock-take").fill(text(start + 180 * DAY))


def test_the_secretariat_runs_a_cycle_from_the_cut_off_to_the_stock_take(browser, live_server):
    now = timezone.now()
    for n, title in enumerate(TITLES):
        shortlisted_flag(title, now - (14 - n) * DAY)
    panel = jury_panel("Citizens' jury for Autumn 2027")
    voters = [voter(now - 60 * DAY) for _ in range(6)]
    person = secretariat("sec@example.com")
    page = _new_context(browser, live_server, javascript=True).new_page()
    sign_in(page, person)

    page.goto("/assembly/")
    assert_accessible(page)
    page.get_by_role("link", name="Set up a new cycle").click()
    expect(page.get_by_role("heading", name="Set up an Assembly cycle")).to_be_visible()
    assert_accessible(page)
    start = timezone.localtime(now + DAY)
    _fill_dates(page, start)
    page.get_by_label("The vote closes: date").fill(f"{start.day} {start.month} {start.year}")
    page.get_by_role("button", name="Set up the cycle").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_role("link", name="The vote must close after it opens")).to_be_visible()
    assert_accessible(page)
    _fill_dates(page, start)
    page.get_by_role("button", name="Set up the cycle").click()
    expect(page.get_by_text("Autumn 2027 has been set up.")).to_be_visible()
    expect(page.get_by_text("This happens by itself at the cut-off")).to_be_visible()
    assert_accessible(page)
    cycle = Cycle.objects.get(name="Autumn 2027")

    # Time passes: the cut-off was an hour ago, and one flag was shortlisted since.
    Cycle.objects.filter(pk=cycle.pk).update(
        flag_cutoff=timezone.now() - datetime.timedelta(hours=1)
    )
    late = shortlisted_flag(
        "Ban junk food adverts near schools", timezone.now() - datetime.timedelta(minutes=30)
    )
    page.reload()
    page.get_by_label("Anything to add? (optional)").fill("The cut-off time passed.")
    page.get_by_role("button", name="Cut off the flags").click()
    expect(page.get_by_text("Done. The flags for this cycle are fixed.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="The public page for Autumn 2027").click()
    after = page.locator("h2", has_text="Shortlisted after the cut-off: these go to the next cycle")
    expect(after).to_be_visible()
    expect(page.get_by_role("link", name=late.title)).to_be_visible()
    expect(
        page.get_by_text("Cut off the flags: 12 shortlisted flags go into this cycle")
    ).to_be_visible()
    assert_accessible(page)

    # The vote opens; six people vote; then its closing time comes.
    Cycle.objects.filter(pk=cycle.pk).update(
        vote_opens=timezone.now() - datetime.timedelta(minutes=1)
    )
    page.goto(f"/assembly/{cycle.slug}/manage/")
    page.get_by_role("button", name="Open the vote").click()
    expect(page.get_by_text("Done. The priority vote is open")).to_be_visible()
    entries = list(cycle.entries.order_by("shortlisted_at"))
    for i, person_voting in enumerate(voters):
        vote_services.check_cast_ballot(
            cycle=cycle, voter=person_voting, entries=[entries[0], entries[1 + i % 3]]
        )
    Cycle.objects.filter(pk=cycle.pk).update(vote_closes=timezone.now())
    page.reload()
    page.get_by_role("button", name="Close the vote and publish the scores").click()
    expect(
        page.get_by_text("Done. The vote has closed and the scores are published.")
    ).to_be_visible()
    assert_accessible(page)
    page.goto(f"/assembly/{cycle.slug}/")
    expect(page.get_by_text("Recounted from the audit log: matches.")).to_be_visible()
    expect(
        page.get_by_text("6 people voted. The top 10 went to the citizens' jury.")
    ).to_be_visible()
    assert_accessible(page)

    # The jury's day comes: name its panel, then record its choices, with reasons for every
    # flag (the timetable opens this at 00:00 on the jury's date).
    Cycle.objects.filter(pk=cycle.pk).update(jury_date=timezone.localdate())
    page.goto(f"/assembly/{cycle.slug}/manage/")
    page.get_by_role("button", name="Record the jury's choices").click()
    expect(page.get_by_role("heading", name="The citizens' jury", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Which panel is this cycle's citizens' jury?").select_option(
        label=panel.title
    )
    page.get_by_role("button", name="Save the jury panel").click()
    expect(page.get_by_text("The jury panel has been saved and published.")).to_be_visible()
    to_jury = list(cycle.entries.filter(to_jury=True).select_related("flag").order_by("place"))
    assert len(to_jury) == 10
    for i, entry in enumerate(to_jury):
        group = page.get_by_role("group", name=f"Number {entry.place}: {entry.flag.title}")
        group.get_by_label("Chosen for the Assembly Meeting" if i < 4 else "Not chosen").check()
        page.get_by_label(f"The jury's reasons on number {entry.place}", exact=True).fill(
            f"The jury's reason for {entry.flag.title}."
        )
    page.get_by_role("button", name="Publish the jury's choices").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(
        page.get_by_text("The jury chooses exactly 5 flags. You marked 4 as chosen").first
    ).to_be_visible()
    assert_accessible(page)
    fifth = to_jury[4]
    page.get_by_role("group", name=f"Number {fifth.place}: {fifth.flag.title}").get_by_label(
        "Chosen for the Assembly Meeting"
    ).check()
    page.get_by_role("button", name="Publish the jury's choices").click()
    expect(page.get_by_text("The jury's choices and reasons have been published.")).to_be_visible()
    expect(page.get_by_role("heading", name="The citizens' jury's choices")).to_be_visible()
    expect(
        page.get_by_text(f"The jury's reasons: The jury's reason for {to_jury[9].flag.title}.")
    ).to_be_visible()
    assert_accessible(page)
    cycle.refresh_from_db()
    assert cycle.stage == Stage.JURY
    assert cycle.jury_panel == panel

    # The meeting day comes; the meeting and its agenda are set up (the meeting journeys show
    # those pages) and the secretariat records that it was held.
    from nhs_citizen.meetings.services import meetings as meeting_services
    from nhs_citizen.tracker.models import StockTakeItem
    from nhs_citizen.tracker.services import board
    from nhs_citizen.tracker.services.commitments import CommitmentDraft

    Cycle.objects.filter(pk=cycle.pk).update(meeting_date=timezone.localdate())
    meeting = meeting_services.check_set_up_meeting(
        secretariat=person,
        cycle=cycle,
        details=meeting_services.MeetingDetails(
            starts_at=timezone.now() - datetime.timedelta(hours=3),
            ends_at=timezone.now() - datetime.timedelta(hours=1),
            place="Civic Hall, Leeds",
        ),
    )
    items = meeting_services.check_set_agenda(secretariat=person, meeting=meeting)
    page.goto(f"/assembly/{cycle.slug}/manage/")
    page.get_by_role("button", name="Record that the Assembly Meeting was held").click()
    expect(page.get_by_text("Done.").first).to_be_visible()
    assert_accessible(page)

    # The Board responds with a commitment (the tracker journeys show that form); the
    # secretariat records that the responses are published.
    board_member = make_user("board@example.com", display_name="Bo Board", roles=("board_member",))
    board.check_record_board_response(
        by=board_member,
        agenda_item=items[0],
        outcome="will_act",
        summary="We will act on this.",
        reasons="Because the Assembly asked.",
        commitments=[
            CommitmentDraft(
                what="Publish a plan",
                owner="Director of Strategy",
                due_date=timezone.localdate() + datetime.timedelta(days=1),
            )
        ],
    )
    cycle.refresh_from_db()
    page.goto(f"/assembly/{cycle.slug}/manage/")
    if cycle.stage == Stage.MEETING:
        page.get_by_role("button", name="Record that the Board's responses are published").click()
        expect(page.get_by_text("Done.").first).to_be_visible()
        assert_accessible(page)

    # The stock-take: the agenda is made from open commitments, then the stock-take is done.
    page.goto(f"/tracker/stock-take/{cycle.slug}/")
    page.get_by_role("button", name="Make the agenda now").click()
    expect(page.get_by_text("Publish a plan").first).to_be_visible()
    assert_accessible(page)
    assert StockTakeItem.objects.filter(cycle=cycle).count() == 1
    Cycle.objects.filter(pk=cycle.pk).update(stocktake_date=timezone.localdate())
    page.goto(f"/assembly/{cycle.slug}/manage/")
    page.get_by_role("button", name="Record that the stock-take is done").click()
    expect(page.get_by_text("Done.").first).to_be_visible()
    assert_accessible(page)
    page.goto(f"/assembly/{cycle.slug}/")
    expect(page.get_by_text("Recorded that the stock-take is done").first).to_be_visible()
    assert_accessible(page)
    cycle.refresh_from_db()
    assert cycle.stage == Stage.STOCK_TAKE
    page.context.close()
