import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from nhs_citizen.assembly.models import Stage
from nhs_citizen.assembly.services import cycles
from nhs_citizen.assembly.services import vote as vote_services
from nhs_citizen.assembly.services.schedule import run_assembly_schedule
from nhs_citizen.assembly.tests.factories import (
    DAY,
    at,
    cycle_dates,
    make_cycle,
    secretariat,
    shortlisted_flag,
    voter,
)

pytestmark = pytest.mark.django_db

SECOND = datetime.timedelta(seconds=1)


@pytest.fixture
def cycle():
    cycle = make_cycle("Spring 2027", timezone.now() + 20 * DAY)
    shortlisted_flag("In time", cycle.flag_cutoff - DAY)
    shortlisted_flag("Also in time", cycle.flag_cutoff - 2 * DAY)
    return cycle


def test_the_timetable_cuts_off_opens_and_closes_the_vote_each_at_its_time(cycle):
    person = voter(cycle.flag_cutoff - 5 * DAY)
    with at(cycle.flag_cutoff - SECOND):
        assert run_assembly_schedule() == []
    with at(cycle.flag_cutoff):
        assert run_assembly_schedule() == ["Spring 2027: cut off the flags"]
        assert run_assembly_schedule() == []  # safe to run again
    cycle.refresh_from_db()
    assert cycle.stage == Stage.CUT_OFF and cycle.entries.count() == 2
    with at(cycle.vote_opens):
        assert run_assembly_schedule() == ["Spring 2027: opened the vote"]
        vote_services.check_cast_ballot(cycle=cycle, voter=person, entries=cycle.entries.all()[:1])
    with at(cycle.vote_closes - SECOND):
        assert run_assembly_schedule() == []
    with at(cycle.vote_closes):
        assert run_assembly_schedule() == ["Spring 2027: closed the vote"]
        assert run_assembly_schedule() == []
    cycle.refresh_from_db()
    assert cycle.stage == Stage.VOTE_CLOSED
    assert sorted(e.votes for e in cycle.entries.all()) == [0, 1]
    roles = set(
        cycle.decisions.exclude(kind="cycle_created").values_list("decided_by_role", flat=True)
    )
    assert roles == {cycles.TIMETABLE}


def test_a_cycle_whose_times_have_all_passed_catches_up_step_by_step(cycle):
    later = make_cycle("Autumn 2027", cycle.flag_cutoff + 180 * DAY)
    with at(cycle.vote_closes + DAY), StringIO() as out:
        call_command("run_assembly_schedule", stdout=out)
        assert out.getvalue().splitlines() == [
            "Spring 2027: cut off the flags",
            "Spring 2027: opened the vote",
            "Spring 2027: closed the vote",
        ]
    later.refresh_from_db()
    assert later.stage == Stage.PLANNED
    with at(cycle.vote_closes + DAY), StringIO() as out:
        call_command("run_assembly_schedule", stdout=out)
        assert out.getvalue() == "Nothing was due.\n"


def test_a_step_that_cannot_be_done_is_left_for_the_secretariat(caplog):
    empty = make_cycle("Autumn 2027", timezone.now() + 20 * DAY)
    with at(empty.vote_opens):
        assert run_assembly_schedule() == ["Autumn 2027: cut off the flags"]
    empty.refresh_from_db()
    assert empty.stage == Stage.CUT_OFF
    assert "nothing to vote on" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_setting_up_or_changing_a_cycle_queues_the_timetable_for_its_times(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    cutoff = timezone.now() + 10 * DAY
    dates = cycle_dates(cutoff)
    cycle = cycles.check_create_cycle(created_by=secretariat(), name="Spring 2027", **dates)
    queued = DBTaskResult.objects.filter(task_path__endswith="run_assembly_schedule")
    assert sorted(queued.values_list("run_after", flat=True)) == [
        dates["flag_cutoff"],
        dates["vote_opens"],
        dates["vote_closes"],
    ]
    cycles.check_update_cycle(
        cycle=cycle,
        changed_by=secretariat("other@example.com"),
        reasons="Later close",
        vote_closes=dates["vote_closes"] + DAY,
    )
    assert queued.filter(run_after=dates["vote_closes"] + DAY).count() == 1
