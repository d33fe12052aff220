"""Paper ballots follow the person's recorded communication needs (ADR 0034, ADR 0036): large
print prints bigger, Easy Read adds an Easy Read explanation of how to vote on the paper,
another language adds a line in that language's own name; the secretariat sees on the
paper-ballots page which papers need what, and each look is audited without the needs."""

from __future__ import annotations

import html

import pytest
from django.utils import timezone

from nhs_citizen.accounts.needs_services import check_save_needs
from nhs_citizen.assembly.services import paper as services
from nhs_citizen.assembly.tests.factories import (
    DAY,
    at,
    cut_off,
    make_cycle,
    open_vote,
    secretariat,
    shortlisted_flag,
    voter,
)
from nhs_citizen.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle():
    cycle = make_cycle("Spring 2027", timezone.now() - 2 * DAY)
    for n in range(4):
        shortlisted_flag(f"Flag number {n}", cycle.flag_cutoff - (20 - n) * DAY)
    cut_off(cycle)
    return open_vote(cycle)


@pytest.fixture
def sec():
    return secretariat()


def _paper_for(cycle, sec, **needs):
    person = voter(cycle.flag_cutoff - 10 * DAY)
    if needs:
        check_save_needs(user=person, **needs)
    return services.check_issue_paper(cycle=cycle, by=sec, voter=person)


def _printed(client, cycle, paper) -> str:
    response = client.get(f"/assembly/{cycle.slug}/paper-ballots/{paper.pk}/")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_large_print_prints_the_paper_bigger(client, signed_in, cycle, sec):
    paper = _paper_for(cycle, sec, needs=["large_print"])
    signed_in(sec)
    page = _printed(client, cycle, paper)
    assert 'class="app-paper app-paper--large-print"' in page
    assert "Large print: the paper prints with bigger text (18 point)." in page
    assert "Easy Read: how to fill in this paper" not in page
    assert "you can have this paper in" not in page


def test_easy_read_adds_an_easy_read_explanation_of_how_to_vote_on_paper(
    client, signed_in, cycle, sec
):
    paper = _paper_for(cycle, sec, needs=["easy_read"])
    signed_in(sec)
    page = _printed(client, cycle, paper)
    assert "Easy Read: how to fill in this paper" in page
    assert "easyread/easyread.css" in page
    assert f"You can choose up to {cycle.max_choices} flags." in page
    assert "Put a cross (X) in the box next to a flag you want." in page
    assert 'alt="A pen on paper"' in page
    assert "app-paper--large-print" not in page


def test_another_language_adds_a_line_in_its_own_name(client, signed_in, cycle, sec):
    paper = _paper_for(cycle, sec, needs=[], language="pl")
    signed_in(sec)
    page = _printed(client, cycle, paper)
    assert (
        '<strong lang="pl" dir="ltr">Polski</strong>: you can have this paper in Polish. '
        "To ask for it in Polish, write to: NHS Citizen secretariat, NHS England, "
        f"Wellington House, 133-155 Waterloo Road, London SE1 8UG. Say your ballot paper "
        f"number, {paper.number}."
    ) in page
    urdu = _paper_for(cycle, sec, needs=[], language="ur")
    assert '<strong lang="ur" dir="rtl">اردو</strong>' in _printed(client, cycle, urdu)


def test_a_paper_for_someone_without_needs_or_without_an_account_is_standard(
    client, signed_in, cycle, sec
):
    plain = _paper_for(cycle, sec)
    # Needs that do not change a letter (a hearing loop) leave the paper as it is.
    loop = _paper_for(cycle, sec, needs=["hearing_loop"])
    with at(cycle.flag_cutoff - 5 * DAY):
        person = services.check_add_offline_voter(
            by=sec, full_name="Doreen Ashworth", postal_address="14 Mill Lane", postcode="HX7 8AA"
        )
    offline = services.check_issue_paper(cycle=cycle, by=sec, offline_voter=person)
    signed_in(sec)
    for paper in (plain, loop, offline):
        page = _printed(client, cycle, paper)
        assert 'class="app-paper"' in page
        assert "asked for their letters in another way" not in page
        assert "Easy Read: how to fill in this paper" not in page
    assert not AuditEntry.objects.filter(action="accounts.letter_needs_used").exists()


def test_the_secretariat_sees_which_papers_need_what_and_each_look_is_audited(
    client, signed_in, cycle, sec
):
    large = _paper_for(cycle, sec, needs=["large_print", "easy_read"], language="ur")
    second = _paper_for(cycle, sec, needs=["large_print"])
    plain = _paper_for(cycle, sec)
    signed_in(sec)
    response = client.get(f"/assembly/{cycle.slug}/paper-ballots/")
    page = html.unescape(response.content.decode())
    assert "Some people asked for their letters in another way." in page
    assert "<li>2 papers in large print</li>" in page
    assert "<li>1 paper with an Easy Read explanation</li>" in page
    assert "<li>1 paper with a line in Urdu</li>" in page
    assert '<td class="nhsuk-table__cell">Large print, Easy Read, Urdu</td>' in page
    assert page.count('<td class="nhsuk-table__cell">Standard</td>') == 1
    entry = AuditEntry.objects.filter(action="accounts.letter_needs_used").get()
    assert entry.actor == sec and not entry.is_public
    assert entry.data == {
        "people": sorted([large.voter_id, second.voter_id]),
        "where": "paper ballots for Spring 2027",
    }
    assert "large" not in str(entry.data).lower() and "large" not in entry.summary.lower()
    assert plain.voter_id not in entry.data["people"]
    _printed(client, cycle, large)
    assert AuditEntry.objects.filter(action="accounts.letter_needs_used").count() == 2


def test_papers_already_counted_are_not_in_the_list_to_print(client, signed_in, cycle, sec):
    paper = _paper_for(cycle, sec, needs=["large_print"])
    services.check_enter_paper(
        cycle=cycle, number=paper.number, entries=list(cycle.entries.all()[:1]), by=sec
    )
    signed_in(sec)
    page = client.get(f"/assembly/{cycle.slug}/paper-ballots/").content.decode()
    assert "asked for their letters in another way" not in page
    assert '<td class="nhsuk-table__cell">Large print</td>' in page


# Taking a paper voter off the list (privacy notice) -------------------------------------------


def _offline(cycle, sec, name="Doreen Ashworth"):
    with at(cycle.flag_cutoff - 5 * DAY):
        return services.check_add_offline_voter(
            by=sec, full_name=name, postal_address="14 Mill Lane\nHebden Bridge", postcode="HX7 8AA"
        )


def test_a_paper_voters_name_and_address_are_removed_and_their_counted_paper_stays(
    client, signed_in, cycle, sec
):
    from django.core.exceptions import ValidationError

    from nhs_citizen.assembly.models import Ballot, PaperStatus

    person = _offline(cycle, sec)
    paper = services.check_issue_paper(cycle=cycle, by=sec, offline_voter=person)
    signed_in(sec)
    remove = f"/assembly/paper-voters/{person.pk}/remove/"
    assert client.get(remove).status_code == 405
    response = client.post(remove, follow=True)
    assert f"Ballot paper {paper.number} is out to {person.reference}" in response.content.decode()
    person.refresh_from_db()
    assert person.full_name == "Doreen Ashworth"
    services.check_enter_paper(
        cycle=cycle, number=paper.number, entries=list(cycle.entries.all()[:1]), by=sec
    )
    response = client.post(remove, follow=True)
    page = response.content.decode()
    assert f"We removed the name and address of {person.reference}" in page
    assert f"{person.reference}: name and address removed." in page
    assert "Doreen" not in page and "Mill Lane" not in page
    person.refresh_from_db()
    assert (person.full_name, person.postal_address, person.postcode) == ("", "", "")
    paper.refresh_from_db()
    assert paper.status == PaperStatus.RETURNED
    assert Ballot.objects.get(pk=paper.ballot_id).version == 1
    entry = AuditEntry.objects.get(action=services.OFFLINE_VOTER_REMOVED_ACTION)
    assert not entry.is_public and "Doreen" not in entry.summary + str(entry.data)
    # Nobody can send them a paper now, on the page or through the service.
    listing = client.get(f"/assembly/{cycle.slug}/paper-ballots/").content.decode()
    assert f"({person.reference})</option>" not in listing
    assert f"{person.reference} (removed)" in listing
    with pytest.raises(ValidationError, match="were removed from the list"):
        services.check_issue_paper(cycle=cycle, by=sec, offline_voter=person)


def test_only_the_secretariat_removes_a_paper_voter(client, signed_in, cycle, sec):
    from nhs_citizen.conftest import make_user

    person = _offline(cycle, sec)
    remove = f"/assembly/paper-voters/{person.pk}/remove/"
    signed_in(make_user("citizen@example.com"))
    assert client.post(remove).status_code == 403
    person.refresh_from_db()
    assert person.full_name == "Doreen Ashworth"
