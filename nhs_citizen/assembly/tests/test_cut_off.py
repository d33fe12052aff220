import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from nhs_citizen.assembly.models import CycleEntry, Stage
from nhs_citizen.assembly.services import entries as entry_services
from nhs_citizen.assembly.services import stages
from nhs_citizen.assembly.tests.factories import (
    DAY,
    at,
    cut_off,
    make_cycle,
    secretariat,
    shortlisted_flag,
)
from nhs_citizen.core.models import AuditEntry

pytestmark = pytest.mark.django_db

MICROSECOND = datetime.timedelta(microseconds=1)


@pytest.fixture
def two_cycles():
    spring = make_cycle("Spring 2027", timezone.now() + 20 * DAY)
    autumn = make_cycle("Autumn 2027", spring.flag_cutoff + 180 * DAY)
    return spring, autumn


def test_the_cut_off_takes_flags_shortlisted_at_or_before_it_and_leaves_later_ones(two_cycles):
    spring, autumn = two_cycles
    early = shortlisted_flag("Early", spring.flag_cutoff - 5 * DAY)
    on_the_dot = shortlisted_flag("On the dot", spring.flag_cutoff)
    just_after = shortlisted_flag("Just after", spring.flag_cutoff + MICROSECOND)
    later = shortlisted_flag("Later", spring.flag_cutoff + 10 * DAY)

    cut_off(spring)

    spring.refresh_from_db()
    assert spring.stage == Stage.CUT_OFF
    assert set(spring.entries.values_list("flag_id", flat=True)) == {early.pk, on_the_dot.pk}
    entry = spring.entries.get(flag=on_the_dot)
    assert entry.shortlisted_at == spring.flag_cutoff
    assert entry.rolled_over_from is None
    waiting, moved = entry_services.flags_after_cutoff(spring)
    assert [f.pk for f in waiting] == [just_after.pk, later.pk] and moved == []
    decision = spring.decisions.get(kind="cut_off")
    assert decision.summary == (
        "Cut off the flags: 2 shortlisted flags go into this cycle; "
        "2 shortlisted after the cut-off go to the next cycle"
    )
    assert decision.decided_by_role.startswith("The published timetable")
    audit = AuditEntry.objects.get(action="assembly.cut_off")
    assert audit.is_public
    assert audit.data["flags"] == [early.pk, on_the_dot.pk]
    assert audit.data["after_cut_off"] == [just_after.pk, later.pk]


def test_flags_shortlisted_after_the_cut_off_roll_over_into_the_next_cycle(two_cycles):
    spring, autumn = two_cycles
    before = shortlisted_flag("Before", spring.flag_cutoff - DAY)
    cut_off(spring)
    after = shortlisted_flag("After", spring.flag_cutoff + MICROSECOND)
    much_later = shortlisted_flag("Much later", autumn.flag_cutoff - DAY)
    too_late = shortlisted_flag("Too late for autumn", autumn.flag_cutoff + MICROSECOND)

    cut_off(autumn)

    entries = {e.flag_id: e for e in CycleEntry.objects.all()}
    assert set(entries) == {before.pk, after.pk, much_later.pk}
    assert entries[before.pk].cycle == spring
    assert entries[after.pk].cycle == autumn
    assert entries[after.pk].rolled_over_from == spring
    assert entries[much_later.pk].rolled_over_from == spring
    # Spring's page lists what went to the next cycle; autumn's what waits for the one after.
    waiting, moved = entry_services.flags_after_cutoff(spring)
    assert waiting == [] and [e.flag_id for e in moved] == [after.pk, much_later.pk]
    waiting, moved = entry_services.flags_after_cutoff(autumn)
    assert [f.pk for f in waiting] == [too_late.pk] and moved == []


def test_before_the_cut_off_the_page_shows_which_flags_will_go_in(two_cycles):
    spring, autumn = two_cycles
    first = shortlisted_flag("First", spring.flag_cutoff - DAY)
    second = shortlisted_flag("Second", spring.flag_cutoff + DAY)
    assert [f.pk for f in entry_services.flags_due_to_enter(spring)] == [first.pk]
    assert [f.pk for f in entry_services.flags_due_to_enter(autumn)] == [second.pk]


def test_the_cut_off_cannot_come_early_happen_twice_or_jump_an_earlier_cycle(two_cycles):
    spring, autumn = two_cycles
    person = secretariat()
    with at(spring.flag_cutoff - MICROSECOND), pytest.raises(ValidationError, match="as published"):
        stages.do_cut_off(spring, person)
    with (
        at(autumn.flag_cutoff + DAY),
        pytest.raises(ValidationError, match="Cut off the flags for Spring 2027 first"),
    ):
        stages.do_cut_off(autumn, person)
    cut_off(spring, person)
    assert spring.decisions.get(kind="cut_off").decided_by_role == "The secretariat"
    with pytest.raises(ValidationError, match="already been cut off"):
        cut_off(spring, person)
