"""Paper ballots in a browser, checked with axe on every page (ADR 0034): a secretariat member
sends papers to two people (one with an account, one on the list of paper voters), prints one,
types both in when they come back (typing one in twice shows the error and counts nothing),
and after the vote closes the published results and recount include them."""

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from nhs_citizen.assembly.models import Ballot, PaperBallot, PaperStatus
from nhs_citizen.assembly.services import paper as paper_services
from nhs_citizen.assembly.services import vote as vote_services
from nhs_citizen.assembly.tests.factories import (
    DAY,
    close_vote,
    cut_off,
    make_cycle,
    open_vote,
    shortlisted_flag,
)
from nhs_citizen.conftest import make_user
from nhs_citizen.tests.browser import _new_context, assert_accessible
from nhs_citizen.tests.every_page import LONG_WORD
from nhs_citizen.tests.reflow import NARROW, sideways_scroll
from nhs_citizen.tests.system.test_gather_journeys import sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

FLAGS = [
    "Hospital parking charges for carers",
    "Letters in large print from GP surgeries",
    "Waiting times for hearing aids",
]


def _voting_cycle(titles=FLAGS):
    now = timezone.now()
    cycle = make_cycle("Spring 2027", now - 2 * DAY, vote_opens=now - DAY, vote_closes=now + DAY)
    for n, title in enumerate(titles):
        shortlisted_flag(title, cycle.flag_cutoff - (10 - n) * DAY)
    cut_off(cycle)
    return open_vote(cycle)


def test_the_secretariat_issues_prints_and_enters_paper_ballots(browser, live_server):
    cycle = _voting_cycle()
    sec = make_user("sec@example.com", display_name="Sam Secretariat", roles=("secretariat",))
    with time_machine.travel(cycle.flag_cutoff - 20 * DAY, tick=False):
        account = make_user("margaret@example.com", display_name="Margaret Holt")
        online = make_user("olu@example.com", display_name="Olu Adeyemi")
        doreen = paper_services.check_add_offline_voter(
            by=sec,
            full_name="Doreen Ashworth",
            postal_address="14 Mill Lane\nHebden Bridge",
            postcode="HX7 8AA",
        )
    entries = list(cycle.entries.order_by("shortlisted_at"))
    vote_services.check_cast_ballot(cycle=cycle, voter=online, entries=[entries[2]])

    page = _new_context(browser, live_server, javascript=True).new_page()
    sign_in(page, sec)
    page.goto(f"/assembly/{cycle.slug}/manage/")
    page.get_by_role("link", name="Send, print, enter and cancel paper ballots").click()
    expect(page.get_by_role("heading", name="Paper ballots", exact=True)).to_be_visible()
    assert_accessible(page)

    # Someone who voted online cannot be sent a paper.
    page.get_by_label("Email address of their NHS Citizen account").fill("olu@example.com")
    page.get_by_role("button", name="Issue a paper to this account").click()
    expect(page.get_by_text("has already voted online in Spring 2027").first).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Email address of their NHS Citizen account").fill("margaret@example.com")
    page.get_by_role("button", name="Issue a paper to this account").click()
    expect(page.get_by_text("has been issued to Margaret Holt")).to_be_visible()
    page.get_by_label("Person on the list of paper voters").select_option(
        label=f"Doreen Ashworth, HX7 8AA ({doreen.reference})"
    )
    page.get_by_role("button", name="Issue a paper to this person").click()
    expect(page.get_by_text("has been issued to Doreen Ashworth")).to_be_visible()
    assert_accessible(page)
    margaret_paper = PaperBallot.objects.get(voter=account)
    doreen_paper = PaperBallot.objects.get(offline_voter=doreen)

    # The printable paper: its number, the flags, and in print only the paper itself.
    page.get_by_role("link", name=f"Print paper {doreen_paper.number}").click()
    expect(
        page.get_by_role("heading", name="NHS Citizen Assembly: priority vote for Spring 2027")
    ).to_be_visible()
    for title in FLAGS:
        expect(page.get_by_text(title, exact=False).first).to_be_visible()
    expect(page.get_by_text(doreen_paper.number).first).to_be_visible()
    assert_accessible(page)
    page.emulate_media(media="print")
    expect(page.locator("header.nhsuk-header")).to_be_hidden()
    expect(page.locator(".app-paper-screen-only")).to_be_hidden()
    expect(page.get_by_role("heading", name="How to vote")).to_be_visible()
    page.emulate_media(media="screen")

    # The papers come back and are typed in.
    page.goto(f"/assembly/{cycle.slug}/paper-ballots/enter/")
    assert_accessible(page)
    for paper, chosen in ((margaret_paper, [0, 1]), (doreen_paper, [1])):
        page.get_by_label("Ballot paper number").fill(paper.number)
        for i in chosen:
            page.get_by_label(FLAGS[i]).check()
        page.get_by_role("button", name="Count this paper").click()
        expect(
            page.get_by_text(f"Ballot paper {paper.number} has been entered and counted")
        ).to_be_visible()
    assert_accessible(page)

    # Typed in twice: refused with the error, nothing counted again.
    page.get_by_label("Ballot paper number").fill(doreen_paper.number)
    page.get_by_label(FLAGS[0]).check()
    page.get_by_role("button", name="Count this paper").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(
        page.get_by_text(f"Ballot paper {doreen_paper.number} has already been entered").first
    ).to_be_visible()
    assert_accessible(page)
    assert PaperBallot.objects.filter(status=PaperStatus.RETURNED).count() == 2
    assert sorted(
        e.flag.title for e in Ballot.objects.get(pk=doreen_paper.ballot_id).entries.all()
    ) == [FLAGS[1]]

    # The vote closes; the published results and recount include the paper votes.
    close_vote(cycle)
    visitor = _new_context(browser, live_server, javascript=True).new_page()
    visitor.goto(f"/assembly/{cycle.slug}/")
    expect(visitor.get_by_text("3 people voted: 1 online and 2 on a paper ballot")).to_be_visible()
    expect(visitor.get_by_text("Recounted from the audit log: matches.")).to_be_visible()
    row = visitor.get_by_role("row").filter(has_text=FLAGS[1])
    expect(row.get_by_role("cell").nth(2)).to_have_text("2")
    for secret in ("Doreen Ashworth", "Margaret Holt", doreen_paper.number):
        expect(visitor.get_by_text(secret)).to_have_count(0)
    assert_accessible(visitor)
    visitor.context.close()
    page.context.close()


def test_the_paper_ballot_pages_fit_a_narrow_window_with_long_words(browser, live_server):
    cycle = _voting_cycle(titles=[f"Parking {LONG_WORD}"[:120], *FLAGS[1:]])
    sec = make_user("sec@example.com", display_name="Sam Secretariat", roles=("secretariat",))
    with time_machine.travel(cycle.flag_cutoff - 20 * DAY, tick=False):
        person = paper_services.check_add_offline_voter(
            by=sec,
            full_name=f"Doreen {LONG_WORD}"[:200],
            postal_address=LONG_WORD,
            postcode="HX7 8AA",
        )
    paper = paper_services.check_issue_paper(cycle=cycle, by=sec, offline_voter=person)
    context = _new_context(browser, live_server, javascript=True)
    page = context.new_page()
    sign_in(page, sec)
    page.set_viewport_size(NARROW)
    for url in (
        f"/assembly/{cycle.slug}/paper-ballots/",
        f"/assembly/{cycle.slug}/paper-ballots/enter/",
        f"/assembly/{cycle.slug}/paper-ballots/{paper.pk}/",
        f"/assembly/{cycle.slug}/paper-ballots/{paper.pk}/cancel/",
        "/assembly/paper-voters/",
    ):
        page.goto(url)
        assert sideways_scroll(page) == [], url
        assert_accessible(page)
    context.close()


def test_a_paper_follows_the_persons_needs_in_print(browser, live_server):
    """Large print prints at 16 point or more; Easy Read and a language line are on the paper;
    the standard paper keeps its 14 point."""
    from nhs_citizen.accounts.needs_services import check_save_needs

    cycle = _voting_cycle()
    sec = make_user("sec@example.com", display_name="Sam Secretariat", roles=("secretariat",))
    with time_machine.travel(cycle.flag_cutoff - 20 * DAY, tick=False):
        margaret = make_user("margaret@example.com", display_name="Margaret Holt")
        olu = make_user("olu@example.com", display_name="Olu Adeyemi")
    check_save_needs(user=margaret, needs=["large_print", "easy_read"], language="pl")
    needs_paper = paper_services.check_issue_paper(cycle=cycle, by=sec, voter=margaret)
    plain_paper = paper_services.check_issue_paper(cycle=cycle, by=sec, voter=olu)

    page = _new_context(browser, live_server, javascript=True).new_page()
    sign_in(page, sec)
    page.goto(f"/assembly/{cycle.slug}/paper-ballots/")
    expect(page.get_by_text("1 paper in large print")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=needs_paper.number)
    expect(row.get_by_role("cell").nth(2)).to_have_text("Large print, Easy Read, Polish")
    assert_accessible(page)

    def body_points(selector: str) -> float:
        pixels = page.locator(selector).first.evaluate(
            "e => parseFloat(getComputedStyle(e).fontSize)"
        )
        return pixels * 72 / 96

    row.get_by_role("link", name=f"Print paper {needs_paper.number}").click()
    expect(page.get_by_role("heading", name="Easy Read: how to fill in this paper")).to_be_visible()
    expect(page.get_by_text("Polski", exact=True)).to_be_visible()
    assert_accessible(page)
    page.emulate_media(media="print")
    expect(page.get_by_role("heading", name="Easy Read: how to fill in this paper")).to_be_visible()
    body = ("h1 ~ p", "ol li", ".app-paper__choices td", ".app-easy-read__text p")
    assert min(body_points(s) for s in body) >= 16
    page.emulate_media(media="screen")

    page.goto(f"/assembly/{cycle.slug}/paper-ballots/{plain_paper.pk}/")
    page.emulate_media(media="print")
    assert max(body_points(s) for s in body[:3]) < 16
    expect(page.get_by_text("Easy Read: how to fill in this paper")).to_have_count(0)
    page.context.close()
