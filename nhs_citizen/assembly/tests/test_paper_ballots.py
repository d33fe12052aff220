"""Paper ballots for the priority vote (ADR 0034): issued, entered once, cancelled; never both
online and on paper; counted in the results and in the recount from the audit log; only the
secretariat sees them."""

from __future__ import annotations

import html
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from nhs_citizen.assembly import paper_numbers
from nhs_citizen.assembly.models import Ballot, Cycle, OfflineVoter, PaperBallot, PaperStatus
from nhs_citizen.assembly.services import paper as services
from nhs_citizen.assembly.services import stages
from nhs_citizen.assembly.services import vote as vote_services
from nhs_citizen.assembly.tests.factories import (
    DAY,
    at,
    close_vote,
    cut_off,
    during_vote,
    make_cycle,
    open_vote,
    secretariat,
    shortlisted_flag,
    voter,
)
from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle():
    """Six flags, the vote open now (so signed-in pages work too)."""
    cycle = make_cycle("Spring 2027", timezone.now() - 2 * DAY)
    for n in range(6):
        shortlisted_flag(f"Flag number {n}", cycle.flag_cutoff - (20 - n) * DAY)
    cut_off(cycle)
    return open_vote(cycle)


@pytest.fixture
def sec():
    return secretariat()


def entries(cycle):
    return list(cycle.entries.order_by("shortlisted_at"))


def early_voter(cycle):
    return voter(cycle.flag_cutoff - 10 * DAY)


def offline_person(cycle, by, name="Doreen Ashworth"):
    with at(cycle.flag_cutoff - 5 * DAY):
        return services.check_add_offline_voter(
            by=by, full_name=name, postal_address="14 Mill Lane\nHebden Bridge", postcode="hx7 8aa"
        )


def messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


# Paper numbers -----------------------------------------------------------------------------------


def test_paper_numbers_carry_a_check_digit_that_catches_a_mistyped_digit():
    number = paper_numbers.make(3, 12)
    assert paper_numbers.parse(number).number == number
    assert paper_numbers.parse(number.replace("-", " ")).number == number
    assert paper_numbers.parse(number.replace("-", "")).number == number
    wrong = number[:-3] + str((int(number[-3]) + 1) % 10) + number[-2:]
    assert paper_numbers.parse(wrong).problem == "check"
    assert paper_numbers.parse("").problem == "empty"
    assert paper_numbers.parse("hello").problem == "shape"


# Issuing and entering ----------------------------------------------------------------------------


def test_an_issued_paper_is_entered_once_and_counts(cycle, sec):
    person = early_voter(cycle)
    paper = services.check_issue_paper(cycle=cycle, by=sec, voter=person)
    assert paper.status == PaperStatus.ISSUED and paper.number == paper_numbers.make(cycle.pk, 1)
    issued = AuditEntry.objects.get(action=services.ISSUED_ACTION)
    assert issued.actor_id == sec.pk and issued.data == {"paper": paper.number}
    assert not issued.is_public and person.email not in issued.summary
    chosen = entries(cycle)[:2]
    services.check_enter_paper(cycle=cycle, number=paper.number, entries=chosen, by=sec)
    paper.refresh_from_db()
    assert paper.status == PaperStatus.RETURNED and paper.entered_by == sec
    ballot = Ballot.objects.get(cycle=cycle, voter=person)
    assert ballot.on_paper and ballot.version == 1
    assert set(ballot.entries.all()) == set(chosen)

    with pytest.raises(ValidationError) as error:
        services.check_enter_paper(cycle=cycle, number=paper.number, entries=chosen[:1], by=sec)
    assert "has already been entered" in messages_of(error.value)
    assert "Each paper counts once" in messages_of(error.value)
    ballot.refresh_from_db()
    assert ballot.version == 1 and set(ballot.entries.all()) == set(chosen)
    assert AuditEntry.objects.filter(action=services.ENTERED_ACTION).count() == 1
    assert (
        AuditEntry.objects.filter(action=vote_services.BALLOT_ACTION, data__paper=True).count() == 1
    )


def test_a_paper_then_an_online_vote_is_refused_and_nothing_changes(cycle, sec):
    person = early_voter(cycle)
    services.check_issue_paper(cycle=cycle, by=sec, voter=person)
    before = AuditEntry.objects.count()
    with during_vote(cycle), pytest.raises(ValidationError) as error:
        vote_services.check_cast_ballot(cycle=cycle, voter=person, entries=entries(cycle)[:1])
    assert "You have been sent a paper ballot for Spring 2027" in messages_of(error.value)
    assert "cannot also vote online" in messages_of(error.value)
    ballot = Ballot.objects.get(cycle=cycle, voter=person)
    assert ballot.on_paper and ballot.version == 0 and not ballot.entries.exists()
    assert AuditEntry.objects.count() == before


def test_an_online_vote_then_a_paper_is_refused_and_nothing_changes(cycle, sec):
    person = early_voter(cycle)
    with during_vote(cycle):
        vote_services.check_cast_ballot(cycle=cycle, voter=person, entries=entries(cycle)[:1])
    with pytest.raises(ValidationError) as error:
        services.check_issue_paper(cycle=cycle, by=sec, voter=person)
    assert "has already voted online in Spring 2027" in messages_of(error.value)
    assert "Nobody can vote both online and on paper" in messages_of(error.value)
    assert not PaperBallot.objects.exists()
    assert Ballot.objects.get(cycle=cycle, voter=person).on_paper is False


def test_a_voter_sent_a_paper_is_told_on_the_vote_page(client, signed_in, cycle, sec):
    person = early_voter(cycle)
    services.check_issue_paper(cycle=cycle, by=sec, voter=person)
    signed_in(person)
    url = f"/assembly/{cycle.slug}/vote/"
    page = client.get(url).content.decode()
    assert "You have been sent a paper ballot" in page and "Send my vote" not in page
    response = client.post(url, {"entries": [entries(cycle)[0].pk]})
    assert response.status_code == 200
    assert "You have been sent a paper ballot" in html.unescape(response.content.decode())
    assert Ballot.objects.get(voter=person).version == 0


def test_the_database_refuses_a_second_ballot_and_a_second_live_paper(cycle, sec):
    person = early_voter(cycle)
    paper = services.check_issue_paper(cycle=cycle, by=sec, voter=person)
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(cycle=cycle, voter=person)
    with pytest.raises(IntegrityError), transaction.atomic():
        PaperBallot.objects.create(
            cycle=cycle, serial=99, number="x", voter=person, ballot=paper.ballot, issued_by=sec
        )
    # Two returned papers for one ballot.
    other = early_voter(cycle)
    second = services.check_issue_paper(cycle=cycle, by=sec, voter=other)
    services.check_enter_paper(cycle=cycle, number=paper.number, entries=entries(cycle)[:1], by=sec)
    with pytest.raises(IntegrityError), transaction.atomic():
        PaperBallot.objects.filter(pk=second.pk).update(
            ballot=paper.ballot, status=PaperStatus.RETURNED, entered_at=timezone.now()
        )


def test_a_number_never_issued_or_mistyped_is_refused(cycle, sec):
    with pytest.raises(ValidationError) as error:
        services.check_enter_paper(
            cycle=cycle, number=paper_numbers.make(cycle.pk, 7), entries=entries(cycle)[:1], by=sec
        )
    assert "was never issued" in messages_of(error.value)
    with pytest.raises(ValidationError) as error:
        services.check_enter_paper(
            cycle=cycle, number=f"{cycle.pk}-00007-0", entries=entries(cycle)[:1], by=sec
        )
    text = messages_of(error.value)
    assert "not a real ballot paper number" in text or "was never issued" in text
    assert not Ballot.objects.exists()


def test_too_many_choices_on_a_paper_are_refused(cycle, sec):
    paper = services.check_issue_paper(cycle=cycle, by=sec, voter=early_voter(cycle))
    with pytest.raises(ValidationError) as error:
        services.check_enter_paper(cycle=cycle, number=paper.number, entries=entries(cycle), by=sec)
    assert "up to 5 flags" in messages_of(error.value)
    paper.refresh_from_db()
    assert paper.status == PaperStatus.ISSUED


def test_an_ineligible_person_or_a_late_paper_voter_cannot_be_sent_a_paper(cycle, sec):
    late = voter(cycle.flag_cutoff + DAY)
    with pytest.raises(ValidationError) as error:
        services.check_issue_paper(cycle=cycle, by=sec, voter=late)
    assert "They created their account" in messages_of(error.value)
    latecomer = services.check_add_offline_voter(
        by=sec, full_name="Late Person", postal_address="1 High St", postcode="LS1 4AP"
    )
    with pytest.raises(ValidationError) as error:
        services.check_issue_paper(cycle=cycle, by=sec, offline_voter=latecomer)
    assert "Only people on the list by the flag cut-off" in messages_of(error.value)
    assert not PaperBallot.objects.exists() and not Ballot.objects.exists()


def test_a_person_can_be_sent_only_one_paper(cycle, sec):
    person = offline_person(cycle, sec)
    first = services.check_issue_paper(cycle=cycle, by=sec, offline_voter=person)
    with pytest.raises(ValidationError) as error:
        services.check_issue_paper(cycle=cycle, by=sec, offline_voter=person)
    assert f"has already been sent a ballot paper for Spring 2027 (number {first.number})" in (
        messages_of(error.value)
    )
    assert PaperBallot.objects.count() == 1


# Cancelling ---------------------------------------------------------------------------------------


def test_a_lost_paper_is_cancelled_and_reissued_and_the_old_one_cannot_count(cycle, sec):
    person = offline_person(cycle, sec)
    lost = services.check_issue_paper(cycle=cycle, by=sec, offline_voter=person)
    with pytest.raises(ValidationError):
        services.check_cancel_paper(paper=lost, by=sec, reason="  ", reissue=True)
    new = services.check_cancel_paper(paper=lost, by=sec, reason="Lost in the post", reissue=True)
    lost.refresh_from_db()
    assert lost.status == PaperStatus.CANCELLED and new.replaces == lost
    assert new.number != lost.number and new.ballot_id is not None
    with pytest.raises(ValidationError) as error:
        services.check_enter_paper(
            cycle=cycle, number=lost.number, entries=entries(cycle)[:1], by=sec
        )
    assert "was cancelled" in messages_of(error.value)
    assert f"It was replaced by paper {new.number}" in messages_of(error.value)
    services.check_enter_paper(cycle=cycle, number=new.number, entries=entries(cycle)[:1], by=sec)
    with pytest.raises(ValidationError) as error:
        services.check_cancel_paper(paper=new, by=sec, reason="Oops", reissue=False)
    assert "cannot be cancelled" in messages_of(error.value)
    audit = AuditEntry.objects.get(action=services.CANCELLED_ACTION)
    assert audit.reason == "Lost in the post" and audit.data["new_paper"] == new.number


def test_cancelling_without_a_new_paper_lets_the_person_vote_online(cycle, sec):
    person = early_voter(cycle)
    paper = services.check_issue_paper(cycle=cycle, by=sec, voter=person)
    assert (
        services.check_cancel_paper(
            paper=paper, by=sec, reason="They will vote online", reissue=False
        )
        is None
    )
    with during_vote(cycle):
        vote_services.check_cast_ballot(cycle=cycle, voter=person, entries=entries(cycle)[:1])
    ballot = Ballot.objects.get(cycle=cycle, voter=person)
    assert not ballot.on_paper and ballot.version == 1


# Counting -------------------------------------------------------------------------------------------


def test_paper_votes_count_in_the_results_and_in_the_recount_from_the_audit_log(cycle, sec):
    flags = entries(cycle)
    online = [early_voter(cycle) for _ in range(2)]
    for person in online:
        with during_vote(cycle):
            vote_services.check_cast_ballot(cycle=cycle, voter=person, entries=[flags[0]])
    on_paper = [
        services.check_issue_paper(cycle=cycle, by=sec, voter=early_voter(cycle)),
        services.check_issue_paper(cycle=cycle, by=sec, offline_voter=offline_person(cycle, sec)),
    ]
    not_back = services.check_issue_paper(
        cycle=cycle, by=sec, offline_voter=offline_person(cycle, sec, "Ray Ostrowski")
    )
    for paper in on_paper:
        services.check_enter_paper(
            cycle=cycle, number=paper.number, entries=[flags[1], flags[2]], by=sec
        )
    tally = vote_services.count_from_ballots(cycle)
    recount = vote_services.recount_from_audit(cycle)
    assert tally == recount
    assert tally.ballots == 4 and tally.paper == 2
    assert tally.votes[flags[0].pk] == 2 and tally.votes[flags[1].pk] == 2
    assert not_back.status == PaperStatus.ISSUED

    cycle = close_vote(cycle)
    assert cycle.voters == 4 and cycle.paper_voters == 2 and cycle.recount_matches
    assert stages.do_recheck_count(cycle)
    decision = cycle.decisions.get(kind="vote_closed")
    assert "4 people voted (2 on paper)" in decision.summary

    # A paper that came back after the close is refused.
    with pytest.raises(ValidationError) as error:
        services.check_enter_paper(cycle=cycle, number=not_back.number, entries=[flags[0]], by=sec)
    assert "cannot be counted" in messages_of(error.value)


def test_a_paper_ballot_missing_from_the_audit_log_is_caught_by_the_recount(cycle, sec):
    paper = services.check_issue_paper(cycle=cycle, by=sec, voter=early_voter(cycle))
    services.check_enter_paper(cycle=cycle, number=paper.number, entries=entries(cycle)[:1], by=sec)
    # A paper ballot slipped into the count without being typed in through the service.
    sneaky = Ballot.objects.create(
        cycle=cycle, offline_voter=offline_person(cycle, sec), on_paper=True, version=1
    )
    sneaky.entries.set(entries(cycle)[:1])
    assert vote_services.count_from_ballots(cycle) != vote_services.recount_from_audit(cycle)
    with pytest.raises(ValidationError):
        close_vote(cycle)
    assert Cycle.objects.get(pk=cycle.pk).scores_published_at is None


# Pages and permissions --------------------------------------------------------------------------


def _paper_urls(cycle, paper):
    return [
        f"/assembly/{cycle.slug}/paper-ballots/",
        f"/assembly/{cycle.slug}/paper-ballots/enter/",
        f"/assembly/{cycle.slug}/paper-ballots/{paper.pk}/",
        f"/assembly/{cycle.slug}/paper-ballots/{paper.pk}/cancel/",
        "/assembly/paper-voters/",
    ]


def test_only_the_secretariat_can_use_the_paper_ballot_pages(client, signed_in, cycle, sec):
    paper = services.check_issue_paper(
        cycle=cycle, by=sec, offline_voter=offline_person(cycle, sec)
    )
    for url in _paper_urls(cycle, paper):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"reason": "x", "reissue": "yes"}).status_code == 403, url
    signed_in(make_user("citizen@example.com"))
    for url in _paper_urls(cycle, paper):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"reason": "x", "reissue": "yes"}).status_code == 403, url
    paper.refresh_from_db()
    assert paper.status == PaperStatus.ISSUED and OfflineVoter.objects.count() == 1
    signed_in(sec)
    for url in _paper_urls(cycle, paper):
        assert client.get(url).status_code == 200, url
    printed = client.get(_paper_urls(cycle, paper)[2]).content.decode()
    assert paper.number in printed and "Flag number 0" in printed
    assert "paper_ballot.css" in printed and "Doreen Ashworth" in printed


def test_the_secretariat_issues_enters_and_sees_a_second_entry_refused(
    client, signed_in, cycle, sec
):
    person = early_voter(cycle)
    signed_in(sec)
    url = f"/assembly/{cycle.slug}/paper-ballots/"
    response = client.post(url, {"email": person.email.upper(), "issue_account": "1"}, follow=True)
    paper = PaperBallot.objects.get()
    assert f"Ballot paper {paper.number} has been issued" in response.content.decode()
    response = client.post(url, {"email": "nobody@example.com", "issue_account": "1"})
    assert "There is no NHS Citizen account with this email address" in response.content.decode()
    enter = f"/assembly/{cycle.slug}/paper-ballots/enter/"
    chosen = [e.pk for e in entries(cycle)[:2]]
    response = client.post(enter, {"number": paper.number, "entries": chosen}, follow=True)
    assert "has been entered and counted" in response.content.decode()
    response = client.post(enter, {"number": paper.number, "entries": chosen})
    page = response.content.decode()
    assert response.status_code == 200 and "has already been entered" in page
    assert Ballot.objects.get(voter=person).version == 1


def test_no_paper_voter_is_named_on_public_pages_or_in_open_data(client, cycle, sec):
    person = offline_person(cycle, sec)
    account = voter(cycle.flag_cutoff - 10 * DAY)
    account.display_name = "Bartholomew Quince"
    account.save()
    papers = [
        services.check_issue_paper(cycle=cycle, by=sec, offline_voter=person),
        services.check_issue_paper(cycle=cycle, by=sec, voter=account),
    ]
    for paper in papers:
        services.check_enter_paper(
            cycle=cycle, number=paper.number, entries=entries(cycle)[:1], by=sec
        )
    cycle = close_vote(cycle)
    secrets = [
        "Doreen Ashworth",
        "Mill Lane",
        "HX7 8AA",
        person.reference,
        "Bartholomew Quince",
        account.email,
        *(p.number for p in papers),
    ]
    pages = []
    for url in [
        f"/assembly/{cycle.slug}/",
        f"/assembly/{cycle.slug}/results.json",
        "/assembly/",
        "/audit-log/",
        "/open-data/audit-log.json",
        f"/api/v1/cycles/{cycle.slug}",
        "/api/v1/cycles",
        "/api/v1/audit-log",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        pages.append(body.decode())
    for text in pages:
        for secret in secrets:
            assert secret not in text
    detail = pages[0]
    assert "2 people voted: 0 online and 2 on a paper ballot" in detail
    assert json.loads(pages[1])["paper_voters"] == 2
    # The audit log's paper entries are not public.
    assert not AuditEntry.objects.filter(
        action__startswith="assembly.paper", is_public=True
    ).exists()


def test_the_secretariat_adds_a_paper_voter_and_cancels_and_reissues_a_paper(
    client, signed_in, cycle, sec
):
    signed_in(sec)
    response = client.post("/assembly/paper-voters/", {"full_name": "", "postcode": "LS1 4AP"})
    assert "Enter the person's full name" in html.unescape(response.content.decode())
    assert not OfflineVoter.objects.exists()
    response = client.post(
        "/assembly/paper-voters/",
        {
            "full_name": "Ray Ostrowski",
            "postal_address": "2 Canal St\nLeeds",
            "postcode": "ls1 4ap",
        },
        follow=True,
    )
    person = OfflineVoter.objects.get()
    assert person.postcode == "LS1 4AP" and person.reference in response.content.decode()
    # Added after the cut-off: refused for this cycle, with the reason, on the page.
    response = client.post(
        f"/assembly/{cycle.slug}/paper-ballots/",
        {"offline_voter": person.pk, "issue_offline": "1"},
    )
    assert "Only people on the list by the flag cut-off" in response.content.decode()
    OfflineVoter.objects.filter(pk=person.pk).update(added_at=cycle.flag_cutoff - DAY)
    client.post(
        f"/assembly/{cycle.slug}/paper-ballots/", {"offline_voter": person.pk, "issue_offline": "1"}
    )
    paper = PaperBallot.objects.get()
    cancel = f"/assembly/{cycle.slug}/paper-ballots/{paper.pk}/cancel/"
    response = client.post(cancel, {"reason": "", "reissue": "yes"})
    assert "Enter why the paper is being cancelled" in response.content.decode()
    response = client.post(cancel, {"reason": "Lost in the post", "reissue": "yes"})
    new = PaperBallot.objects.get(replaces=paper)
    assert response.status_code == 302
    assert response["Location"] == f"/assembly/{cycle.slug}/paper-ballots/{new.pk}/"
    response = client.post(cancel, {"reason": "Again", "reissue": "no"})
    assert "has already been cancelled" in response.content.decode()
    assert PaperBallot.objects.count() == 2
