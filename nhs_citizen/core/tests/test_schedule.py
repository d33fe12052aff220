"""The periodic jobs run on their own, once per period (issue 15): the nightly open-data files,
the daily and weekly e-mail summaries, the audit checkpoint."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from nhs_citizen.core import schedule
from nhs_citizen.core.models import ScheduledRun
from nhs_citizen.core.services.schedule import do_run_schedule

LONDON = ZoneInfo("Europe/London")
DAILY = schedule.Periodic("daily", "x.daily", dt.time(7))
WEEKLY = schedule.Periodic("weekly", "x.weekly", dt.time(7), weekday=0)


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=LONDON)


@pytest.mark.parametrize(
    ("job", "now", "slot"),
    [
        (DAILY, "2027-01-06 06:59", "2027-01-05"),
        (DAILY, "2027-01-06 07:00", "2027-01-06"),
        (DAILY, "2027-01-06 23:59", "2027-01-06"),
        # 4 January 2027 is a Monday.
        (WEEKLY, "2027-01-04 06:59", "2026-12-28"),
        (WEEKLY, "2027-01-04 07:00", "2027-01-04"),
        (WEEKLY, "2027-01-10 23:00", "2027-01-04"),
        (WEEKLY, "2027-01-11 07:01", "2027-01-11"),
    ],
)
def test_the_period_a_moment_falls_in(job, now, slot):
    local = dt.datetime.fromisoformat(now)
    assert schedule.due_slot(job, local) == dt.date.fromisoformat(slot)
    assert schedule.next_due(job, local) > local


@pytest.mark.django_db
def test_each_job_is_queued_once_per_period():
    queued = []

    def run(now):
        return do_run_schedule(now, (DAILY, WEEKLY), lambda job: queued.append(job.name))

    # Started on Monday 4 January at 06:58: last period's runs are queued at once (they were
    # missed), then Monday's at 07:00; checking every minute queues nothing more.
    for minute in range(58, 64):
        run(at(f"2027-01-04 0{6 + minute // 60}:{minute % 60:02d}"))
    assert queued == ["daily", "weekly", "daily", "weekly"]
    queued.clear()
    run(at("2027-01-04 07:00"))
    assert queued == []
    for day in range(5, 11):
        for hour in ("06:00", "07:00", "12:00", "23:59"):
            run(at(f"2027-01-{day:02d} {hour}"))
    assert queued == ["daily"] * 6
    queued.clear()
    run(at("2027-01-11 07:00"))
    assert queued == ["daily", "weekly"]
    assert ScheduledRun.objects.filter(name="weekly").count() == 3  # one row per week


@pytest.mark.django_db
def test_the_real_jobs_are_queued_with_their_arguments(monkeypatch):
    from types import SimpleNamespace

    from django.utils.module_loading import import_string
    from django_tasks.base import Task

    from nhs_citizen.core.services import schedule as service

    calls = []

    def fake_import(path):
        assert isinstance(import_string(path), Task), path  # a real job
        return SimpleNamespace(enqueue=lambda *args: calls.append((path.rsplit(".", 1)[1], args)))

    monkeypatch.setattr(service, "import_string", fake_import)
    names = do_run_schedule(at("2027-01-04 07:30"))
    assert sorted(names) == [
        "audit-checkpoint",
        "daily-digests",
        "open-data-snapshot",
        "weekly-digests",
    ]
    assert sorted(calls) == [
        ("send_digests", ("daily",)),
        ("send_digests", ("weekly",)),
        ("write_audit_checkpoint", ()),
        ("write_open_data_snapshot", ()),
    ]
    calls.clear()
    assert do_run_schedule(at("2027-01-04 08:30")) == []
    assert do_run_schedule(at("2027-01-05 01:45")) == ["audit-checkpoint"]
    assert do_run_schedule(at("2027-01-05 02:05")) == ["open-data-snapshot"]
    assert calls == [("write_audit_checkpoint", ()), ("write_open_data_snapshot", ())]


def test_a_job_that_cannot_be_queued_is_tried_again(db):
    def broken(job):
        raise ConnectionError("the queue is down")

    with pytest.raises(ConnectionError):
        do_run_schedule(at("2027-01-04 07:30"), (DAILY,), broken)
    assert not ScheduledRun.objects.exists()
    queued = []
    do_run_schedule(at("2027-01-04 07:31"), (DAILY,), lambda job: queued.append(job.name))
    assert queued == ["daily"]


@pytest.mark.django_db
def test_the_command_queues_what_is_due(monkeypatch):
    from nhs_citizen.core.services import schedule as service

    monkeypatch.setattr(service, "_enqueue", lambda job: None)
    out = io.StringIO()
    call_command("run_schedule", stdout=out)
    assert "Queued open-data-snapshot." in out.getvalue()
    out = io.StringIO()
    call_command("run_schedule", stdout=out)
    assert out.getvalue() == ""
