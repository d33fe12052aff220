import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from nhs_citizen.assembly.models import Ballot, Cycle, Stage
from nhs_citizen.assembly.services import stages
from nhs_citizen.assembly.services import vote as services
from nhs_citizen.assembly.tests.factories import (
    DAY,
    at,
    close_vote,
    cut_off,
    during_vote,
    make_cycle,
    open_vote,
    shortlisted_flag,
    voter,
)
from nhs_citizen.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle():
    """A cycle with 12 flags, its vote open."""
    cycle = make_cycle("Spring 2027", timezone.now() + 20 * DAY)
    for n in range(12):
        # Flag 0 was shortlisted first, flag 11 last: the tie rule favours lower numbers.
        shortlisted_flag(f"Flag number {n}", cycle.flag_cutoff - (20 - n) * DAY)
    cut_off(cycle)
    return open_vote(cycle)


def entries(cycle):
    return list(cycle.entries.order_by("shortlisted_at"))


def early_voter(cycle):
    return voter(cycle.flag_cutoff - 10 * DAY)


def cast(cycle, person, chosen):
    with during_vote(cycle):
        return services.check_cast_ballot(cycle=cycle, voter=person, entries=chosen)


# Who may vote ------------------------------------------------------------------------------------


def test_people_with_an_account_and_a_confirmed_address_by_the_cut_off_can_vote(cycle):
    on_the_dot = voter(cycle.flag_cutoff, verified_at=cycle.flag_cutoff)
    assert services.voter_eligibility(on_the_dot, cycle).can_vote


def test_a_new_account_is_told_exactly_why_it_cannot_vote(cycle):
    late = voter(cycle.flag_cutoff + datetime.timedelta(seconds=1))
    result = services.voter_eligibility(late, cycle)
    assert not result.can_vote
    (reason,) = result.reasons
    assert reason.startswith("You created your account on ")
    assert "Only people who had an account by the flag cut-off" in reason
    assert "new accounts just to add votes" in reason


def test_an_address_confirmed_after_the_cut_off_or_never_cannot_vote(cycle):
    late = voter(cycle.flag_cutoff - DAY, verified_at=cycle.flag_cutoff + DAY)
    (reason,) = services.voter_eligibility(late, cycle).reasons
    assert reason.startswith("You confirmed your email address on ")
    never = voter(cycle.flag_cutoff - DAY, verified_at=False)
    (reason,) = services.voter_eligibility(never, cycle).reasons
    assert reason.startswith("You have not confirmed your email address.")


def test_closed_and_deleted_accounts_cannot_vote(cycle):
    person = early_voter(cycle)
    person.is_active = False
    assert services.voter_eligibility(person, cycle).reasons == [
        "This account has been closed, so it cannot vote."
    ]
    person.is_active, person.deleted_at = True, timezone.now()
    assert not services.voter_eligibility(person, cycle).can_vote


def test_an_ineligible_ballot_is_refused_with_the_reason(cycle):
    late = voter(cycle.flag_cutoff + DAY)
    with pytest.raises(ValidationError, match="You created your account on"):
        cast(cycle, late, entries(cycle)[:1])
    assert not Ballot.objects.exists()


# Casting and changing ----------------------------------------------------------------------------


def test_a_voter_chooses_up_to_the_limit_and_can_change_their_choice(cycle):
    person = early_voter(cycle)
    first = entries(cycle)[:5]
    ballot = cast(cycle, person, first)
    assert ballot.version == 1
    assert set(ballot.entries.all()) == set(first)
    second = entries(cycle)[5:8]
    ballot = cast(cycle, person, second)
    assert ballot.version == 2
    assert set(ballot.entries.all()) == set(second)
    assert Ballot.objects.count() == 1


def test_more_than_the_limit_nothing_or_another_cycles_flags_are_refused(cycle):
    person = early_voter(cycle)
    with pytest.raises(ValidationError) as error:
        cast(cycle, person, entries(cycle)[:6])
    assert error.value.message_dict == {"entries": ["Choose up to 5 flags. You chose 6"]}
    with pytest.raises(ValidationError) as error:
        cast(cycle, person, [])
    assert error.value.message_dict == {"entries": ["Select at least one flag"]}
    other = make_cycle("Autumn 2027", cycle.flag_cutoff + 180 * DAY)
    shortlisted_flag("Autumn flag", cycle.flag_cutoff + DAY)
    with at(other.flag_cutoff + DAY):
        stages.do_cut_off(other)
    with pytest.raises(ValidationError) as error:
        cast(cycle, person, [other.entries.get()])
    assert error.value.message_dict == {"entries": ["Select only the flags shown"]}


def test_no_ballot_before_the_vote_opens_or_after_it_closes(cycle):
    person = early_voter(cycle)
    with at(cycle.vote_closes), pytest.raises(ValidationError, match="closed on"):
        services.check_cast_ballot(cycle=cycle, voter=person, entries=entries(cycle)[:1])
    Cycle.objects.filter(pk=cycle.pk).update(stage=Stage.CUT_OFF)
    cycle.refresh_from_db()
    with at(cycle.vote_opens - DAY), pytest.raises(ValidationError, match="opens on"):
        services.check_cast_ballot(cycle=cycle, voter=person, entries=entries(cycle)[:1])


def test_every_change_is_audited_without_saying_who_voted(cycle):
    person = early_voter(cycle)
    chosen = entries(cycle)[:3]
    ballot = cast(cycle, person, chosen)
    cast(cycle, person, chosen[:1])
    logged = list(AuditEntry.objects.filter(action="assembly.ballot_cast").order_by("sequence"))
    assert [e.data for e in logged] == [
        {"ballot": ballot.pk, "version": 1, "entries": sorted(e.pk for e in chosen)},
        {"ballot": ballot.pk, "version": 2, "entries": [chosen[0].pk]},
    ]
    for entry in logged:
        assert entry.actor_id is None
        assert not entry.is_public
        text = f"{entry.summary} {entry.reason} {entry.data}"
        assert person.email not in text and person.display_name not in text


# Closing, counting and recounting -----------------------------------------------------------------


def test_counts_are_hidden_until_the_vote_closes(cycle, client):
    cast(cycle, early_voter(cycle), entries(cycle)[:2])
    assert all(e.votes is None and e.place is None for e in entries(cycle))
    assert client.get(f"/assembly/{cycle.slug}/results.json").status_code == 404
    with during_vote(cycle):
        page = client.get(f"/assembly/{cycle.slug}/").content.decode()
    assert "Votes" not in page and "voted" not in page
    assert "The scores are hidden until the vote closes" in page


def test_closing_publishes_places_breaks_ties_by_the_rule_and_sends_the_top_ten_to_the_jury(cycle):
    flags = entries(cycle)
    # Flags 11 and 10 get 3 votes each, flag 0 gets 1, the rest none.
    for chosen in (
        [flags[11], flags[10], flags[0]],
        [flags[11], flags[10]],
        [flags[10], flags[11]],
    ):
        cast(cycle, early_voter(cycle), chosen)
    close_vote(cycle)
    cycle.refresh_from_db()
    assert cycle.stage == Stage.VOTE_CLOSED
    assert cycle.scores_published_at is not None
    ranked = list(cycle.entries.order_by("place"))
    assert [(e.flag.title, e.votes) for e in ranked[:4]] == [
        ("Flag number 10", 3),  # tied with 11, but shortlisted earlier
        ("Flag number 11", 3),
        ("Flag number 0", 1),
        ("Flag number 1", 0),
    ]
    assert [e.place for e in ranked] == list(range(1, 13))
    assert [e.to_jury for e in ranked] == [True] * 10 + [False] * 2
    assert ranked[-1].flag.title == "Flag number 9"
    decision = cycle.decisions.get(kind="vote_closed")
    assert "3 people voted" in decision.summary
    assert "counted again from the audit log: the two counts match" in decision.reasons
    assert services.TIE_RULE in decision.reasons
    audit = AuditEntry.objects.get(action="assembly.vote_closed")
    assert audit.is_public and audit.data["voters"] == 3 and audit.data["recount_matches"]


def test_the_recount_uses_the_last_version_of_each_ballot(cycle):
    flags = entries(cycle)
    person = early_voter(cycle)
    cast(cycle, person, flags[:2])
    cast(cycle, person, flags[2:3])
    cast(cycle, early_voter(cycle), flags[2:4])
    recount = services.recount_from_audit(cycle)
    assert recount == services.count_from_ballots(cycle)
    assert recount.ballots == 2
    assert recount.votes[flags[2].pk] == 2 and recount.votes[flags[0].pk] == 0


def test_a_ballot_changed_outside_the_service_stops_the_scores_being_published(cycle):
    flags = entries(cycle)
    ballot = cast(cycle, early_voter(cycle), flags[:1])
    ballot.entries.add(flags[1])  # not through the service, so not in the audit log
    with pytest.raises(ValidationError, match="does not match"):
        close_vote(cycle)
    cycle.refresh_from_db()
    assert cycle.stage == Stage.VOTING and cycle.scores_published_at is None
    assert all(e.votes is None for e in entries(cycle))
    assert AuditEntry.objects.filter(action="assembly.recount_mismatch", is_public=True).exists()
    with at(cycle.vote_closes + DAY), pytest.raises(ValidationError, match="closed on"):
        services.check_cast_ballot(cycle=cycle, voter=early_voter(cycle), entries=flags[:1])


def test_the_vote_cannot_open_without_flags_or_close_early(cycle):
    with (
        at(cycle.vote_closes - datetime.timedelta(seconds=1)),
        pytest.raises(ValidationError, match="as published"),
    ):
        stages.do_close_vote(cycle)
    empty = make_cycle("Autumn 2027", cycle.flag_cutoff + 180 * DAY)
    cut_off(empty)
    with pytest.raises(ValidationError, match="nothing to vote on"):
        open_vote(empty)


def test_your_data_includes_your_ballots(cycle):
    from nhs_citizen.accounts.services import build_data_export

    person = early_voter(cycle)
    cast(cycle, person, entries(cycle)[:2])
    data = build_data_export(person)
    assert data["assembly_votes"][0]["cycle"] == "Spring 2027"
    assert sorted(data["assembly_votes"][0]["your_choice"]) == ["Flag number 0", "Flag number 1"]


def test_closing_stores_how_many_voted_and_the_daily_recheck_keeps_it_and_spots_a_change(cycle):
    flags = entries(cycle)
    for chosen in ([flags[0], flags[1]], [flags[1]]):
        cast(cycle, early_voter(cycle), chosen)
    close_vote(cycle)
    cycle.refresh_from_db()
    assert (cycle.voters, cycle.recount_matches) == (2, True)
    assert cycle.recounted_at == cycle.scores_published_at
    # Checked again later (and as a cycle loaded in bulk, with no stored number of voters).
    Cycle.objects.filter(pk=cycle.pk).update(voters=None, recounted_at=None)
    assert stages.do_recheck_counts() == [f"{cycle.name}: counted again, matches"]
    cycle.refresh_from_db()
    assert (cycle.voters, cycle.recount_matches) == (2, True)
    assert stages.do_recheck_counts() == []  # not again within a day
    # A published score changed behind the app's back: the recheck says so, publicly.
    cycle.entries.filter(pk=flags[1].pk).update(votes=99)
    assert stages.do_recheck_count(cycle) is False
    cycle.refresh_from_db()
    assert cycle.recount_matches is False
    assert AuditEntry.objects.filter(action="assembly.recount_mismatch", is_public=True).exists()
