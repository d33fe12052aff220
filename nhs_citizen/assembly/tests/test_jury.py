import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from nhs_citizen.assembly import timetable
from nhs_citizen.assembly.models import JuryChoice, Stage
from nhs_citizen.assembly.services import jury as services
from nhs_citizen.assembly.services import vote
from nhs_citizen.assembly.tests.factories import (
    DAY,
    at,
    close_vote,
    cut_off,
    during_vote,
    jury_panel,
    make_cycle,
    open_vote,
    secretariat,
    shortlisted_flag,
    voter,
)
from nhs_citizen.core.models import AuditEntry
from nhs_citizen.panels.models import PanelPurpose

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle():
    """A cycle whose vote on 12 flags has closed: the top 10 went to the jury."""
    cycle = make_cycle("Spring 2027", timezone.now() + 20 * DAY)
    for n in range(12):
        shortlisted_flag(f"Flag {n}", cycle.flag_cutoff - (20 - n) * DAY)
    cut_off(cycle)
    open_vote(cycle)
    with during_vote(cycle):
        vote.check_cast_ballot(
            cycle=cycle,
            voter=voter(cycle.flag_cutoff - DAY),
            entries=list(cycle.entries.order_by("-pk")[:5]),
        )
    return close_vote(cycle)


@pytest.fixture
def jury_day(cycle):
    """The day the jury meets: its choices can be recorded from 00:00 UK time (the timetable)."""
    with at(timetable.start_of_day(cycle.jury_date)):
        yield


def _choices(cycle, chosen=5, reasons="Because the jury heard the evidence."):
    entries = list(cycle.entries.filter(to_jury=True).order_by("place"))
    return {e.pk: (i < chosen, reasons) for i, e in enumerate(entries)}


def test_the_secretariat_names_a_jury_panel_which_is_published(cycle):
    person = secretariat()
    panel = jury_panel()
    services.do_link_jury_panel(cycle=cycle, panel=panel, by=person)
    cycle.refresh_from_db()
    assert cycle.jury_panel == panel
    decision = cycle.decisions.get(kind="jury_panel_named")
    assert panel.title in decision.summary and decision.decided_by_role == "The secretariat"


def test_only_a_jury_panel_not_used_by_another_cycle_can_be_named(cycle):
    person = secretariat()
    not_a_jury = jury_panel("A Citizen Panel")
    not_a_jury.purpose = PanelPurpose.CITIZEN_PANEL
    not_a_jury.save()
    with pytest.raises(ValidationError) as error:
        services.do_link_jury_panel(cycle=cycle, panel=not_a_jury, by=person)
    assert error.value.message_dict == {
        "panel": ["Select a panel that was set up as a citizens' jury"]
    }
    panel = jury_panel()
    other = make_cycle("Autumn 2027", cycle.flag_cutoff + 180 * DAY)
    services.do_link_jury_panel(cycle=other, panel=panel, by=person)
    assert list(services.jury_panels_for(cycle)) == []
    with pytest.raises(ValidationError, match="already the jury for another cycle"):
        services.do_link_jury_panel(cycle=cycle, panel=panel, by=person)


def test_the_jury_must_be_drawn_before_its_choices_are_recorded(cycle):
    person = secretariat()
    with pytest.raises(ValidationError, match="Name the panel"):
        services.check_record_jury_choices(cycle=cycle, choices=_choices(cycle), by=person)
    services.do_link_jury_panel(cycle=cycle, panel=jury_panel(drawn=False), by=person)
    with pytest.raises(ValidationError, match="has not been drawn yet"):
        services.check_record_jury_choices(cycle=cycle, choices=_choices(cycle), by=person)


def test_every_flag_needs_a_decision_and_reasons_and_exactly_five_are_chosen(cycle, jury_day):
    person = secretariat()
    services.do_link_jury_panel(cycle=cycle, panel=jury_panel(), by=person)
    choices = _choices(cycle)
    first, second = list(choices)[:2]
    choices[first] = (None, "Reasons")
    choices[second] = (False, "  ")
    with pytest.raises(ValidationError) as error:
        services.check_record_jury_choices(cycle=cycle, choices=choices, by=person)
    problems = error.value.message_dict
    assert set(problems) == {f"chosen_{first}", f"reasons_{second}"}
    assert problems[f"chosen_{first}"][0].startswith("Select whether the jury chose number 1, “")
    assert problems[f"reasons_{second}"][0].startswith("Enter the jury's reasons for number 2, “")
    with pytest.raises(ValidationError) as error:
        services.check_record_jury_choices(cycle=cycle, choices=_choices(cycle, 4), by=person)
    assert error.value.messages == ["The jury chooses exactly 5 flags. You marked 4 as chosen"]
    assert not JuryChoice.objects.exists()


def test_recording_the_choices_publishes_them_and_moves_the_cycle_on(cycle, jury_day):
    person = secretariat()
    services.do_link_jury_panel(cycle=cycle, panel=jury_panel(), by=person)
    services.check_record_jury_choices(cycle=cycle, choices=_choices(cycle), by=person)
    cycle.refresh_from_db()
    assert cycle.stage == Stage.JURY
    assert JuryChoice.objects.count() == 10
    assert JuryChoice.objects.filter(chosen=True).count() == 5
    decision = cycle.decisions.get(kind="jury_chose")
    assert decision.decided_by_role == "The citizens' jury"
    assert decision.decided_by == person
    audit = AuditEntry.objects.get(action="assembly.jury_chose")
    assert audit.is_public and len(audit.data["chosen"]) == 5 and len(audit.data["reasons"]) == 10
    with pytest.raises(ValidationError, match="already been recorded"):
        services.check_record_jury_choices(cycle=cycle, choices=_choices(cycle), by=person)
    with pytest.raises(ValidationError, match="cannot change"):
        services.do_link_jury_panel(cycle=cycle, panel=jury_panel("Another"), by=person)


def test_the_jury_page_of_a_cycle_past_its_jury_with_no_panel_named_says_so(client, signed_in):
    from nhs_citizen.accounts.models import Role
    from nhs_citizen.conftest import make_user
    from nhs_citizen.tracker.tests.factories import make_cycle as make_past_cycle

    past = make_past_cycle()  # at its Board meeting, with no jury panel named
    staff_member = make_user("jury-sec@example.com", roles=(Role.SECRETARIAT,))
    response = signed_in(staff_member).get(f"/assembly/{past.slug}/jury/")
    assert response.status_code == 200
    assert "No jury panel was named for this cycle" in response.content.decode()
