import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from nhs_citizen.assembly.models import CycleDecision, Stage
from nhs_citizen.assembly.services import cycles, stages
from nhs_citizen.assembly.tests.factories import (
    DAY,
    at,
    cut_off,
    cycle_dates,
    make_cycle,
    secretariat,
)
from nhs_citizen.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_the_secretariat_sets_up_a_cycle_and_the_decision_is_published():
    person = secretariat()
    cutoff = timezone.now() + 10 * DAY
    cycle = cycles.check_create_cycle(
        created_by=person, name="  Spring   2027 ", **cycle_dates(cutoff)
    )
    assert cycle.name == "Spring 2027"
    assert cycle.slug == "spring-2027"
    assert cycle.stage == Stage.PLANNED
    assert cycle.max_choices == 5
    decision = CycleDecision.objects.get(cycle=cycle)
    assert decision.kind == "cycle_created"
    assert decision.decided_by == person
    assert decision.decided_by_role == "The secretariat"
    entry = AuditEntry.objects.get(action="assembly.cycle_created")
    assert entry.is_public and entry.target_id == str(cycle.pk)
    assert entry.data["dates"]["flag_cutoff"] == cutoff.isoformat()


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"vote_opens": -2 * DAY}, "vote_opens", "The vote must open at or after the flag cut-off"),
        ({"vote_closes": -7 * DAY}, "vote_closes", "The vote must close after it opens"),
        (
            {"jury_date": -6 * DAY},
            "jury_date",
            "The citizens' jury must meet after the day the vote closes",
        ),
        (
            {"meeting_date": -16 * DAY},
            "meeting_date",
            "The Assembly Meeting must be after the citizens' jury meets",
        ),
        (
            {"response_due": -30 * DAY},
            "response_due",
            "The Board's written response must be due after the Assembly Meeting",
        ),
        (
            {"stocktake_date": -120 * DAY},
            "stocktake_date",
            "The stock-take must be after the Board's response is due",
        ),
    ],
)
def test_each_date_must_come_after_the_one_before_it(change, field, message):
    dates = cycle_dates(timezone.now() + 10 * DAY)
    for name, delta in change.items():
        dates[name] = dates[name] + delta
    with pytest.raises(ValidationError) as error:
        cycles.check_create_cycle(created_by=secretariat(), name="Spring 2027", **dates)
    assert error.value.message_dict == {field: [message]}


def test_the_cut_off_must_be_in_the_future_and_not_shared():
    with pytest.raises(ValidationError) as error:
        cycles.check_create_cycle(
            created_by=secretariat(), name="Spring 2027", **cycle_dates(timezone.now() - DAY)
        )
    assert error.value.message_dict["flag_cutoff"] == ["The flag cut-off must be in the future"]
    cutoff = timezone.now() + 5 * DAY
    cycles.check_create_cycle(created_by=secretariat(), name="Spring 2027", **cycle_dates(cutoff))
    with pytest.raises(ValidationError) as error:
        cycles.check_create_cycle(
            created_by=secretariat(), name="spring 2027", **cycle_dates(cutoff)
        )
    assert error.value.message_dict == {
        "name": ["There is already a cycle called spring 2027"],
        "flag_cutoff": [
            "Spring 2027 already has its cut-off at that time. Each cycle needs its own cut-off"
        ],
    }


def test_a_cycle_named_like_another_page_gets_a_slug_that_does_not_clash():
    cycle = cycles.check_create_cycle(
        created_by=secretariat(), name="Past", **cycle_dates(timezone.now() + DAY)
    )
    assert cycle.slug == "past-cycle"


def test_changing_a_cycle_needs_reasons_and_says_what_changed():
    cycle = make_cycle()
    person = secretariat()
    new_close = cycle.vote_closes + DAY
    with pytest.raises(ValidationError) as error:
        cycles.check_update_cycle(
            cycle=cycle, changed_by=person, reasons=" ", vote_closes=new_close
        )
    assert error.value.message_dict == {
        "reasons": ["Enter why the cycle is changing. Your reasons are published"]
    }
    cycles.check_update_cycle(
        cycle=cycle, changed_by=person, reasons="A bank holiday moved", vote_closes=new_close
    )
    cycle.refresh_from_db()
    assert cycle.vote_closes == new_close
    decision = cycle.decisions.get(kind="cycle_changed")
    assert "moved the close of the vote to" in decision.summary
    assert "(was " in decision.summary
    assert decision.reasons == "A bank holiday moved"


def test_what_has_already_happened_cannot_change():
    cycle = cut_off(make_cycle())
    with at(cycle.flag_cutoff + DAY / 2), pytest.raises(ValidationError) as error:
        cycles.check_update_cycle(
            cycle=cycle,
            changed_by=secretariat(),
            reasons="Oops",
            flag_cutoff=cycle.flag_cutoff + DAY / 4,
        )
    assert error.value.message_dict["flag_cutoff"] == [
        "The flags have been cut off, so the cut-off cannot change"
    ]


def test_later_stages_move_on_one_step_at_a_time_each_with_a_decision():
    from nhs_citizen.assembly.models import Cycle

    cycle = make_cycle()
    Cycle.objects.filter(pk=cycle.pk).update(stage=Stage.JURY)
    cycle.refresh_from_db()
    person = secretariat()
    with pytest.raises(ValidationError, match="Record it once it has been held"):
        stages.check_move_on(cycle=cycle, by=person, expected_stage=Stage.JURY)
    with at(datetime.datetime.combine(cycle.meeting_date, datetime.time(18), tzinfo=datetime.UTC)):
        cycle = stages.check_move_on(
            cycle=cycle, by=person, expected_stage=Stage.JURY, reasons="Held in Leeds"
        )
        assert cycle.stage == Stage.MEETING
        with pytest.raises(ValidationError, match="already moved on"):
            stages.check_move_on(cycle=cycle, by=person, expected_stage=Stage.JURY)
        cycle = stages.check_move_on(cycle=cycle, by=person, expected_stage=Stage.MEETING)
        assert cycle.stage == Stage.RESPONDING
    with at(
        datetime.datetime.combine(cycle.stocktake_date, datetime.time(12), tzinfo=datetime.UTC)
    ):
        cycle = stages.check_move_on(cycle=cycle, by=person, expected_stage=Stage.RESPONDING)
    assert cycle.stage == Stage.STOCK_TAKE
    kinds = list(cycle.decisions.values_list("kind", "decided_by_role", "reasons"))
    assert kinds[1:] == [
        ("meeting_held", "The secretariat", "Held in Leeds"),
        ("responses_published", "The secretariat", ""),
        ("stock_take_done", "The secretariat", ""),
    ]
    with pytest.raises(ValidationError, match="is finished"):
        stages.check_move_on(cycle=cycle, by=person, expected_stage=Stage.STOCK_TAKE)
