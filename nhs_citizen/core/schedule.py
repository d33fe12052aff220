"""The site's own timetable of periodic jobs, worked out without Django: which period a moment
falls in, and whether that period's run is due yet.

Each job runs once a day (or once a week, on a weekday) at a local time. ``due_slot`` gives the
period a job should have run for by ``now`` (the date of its latest due moment), so a scheduler
that was stopped over the due time still runs the job once when it starts again, and never
twice for one period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Periodic:
    name: str
    task: str  # the dotted path of a django-tasks task
    at: dt.time  # local (UK) time
    weekday: int | None = None  # 0 is Monday; None for every day
    args: tuple = field(default_factory=tuple)


def due_slot(job: Periodic, now_local: dt.datetime) -> dt.date:
    """The date of the latest moment at or before ``now_local`` the job was due."""
    day = now_local.date()
    if now_local.time() < job.at:
        day -= dt.timedelta(days=1)
    if job.weekday is not None:
        day -= dt.timedelta(days=(day.weekday() - job.weekday) % 7)
    return day


def next_due(job: Periodic, now_local: dt.datetime) -> dt.datetime:
    """The next moment after ``now_local`` the job is due (naive, local)."""
    slot = due_slot(job, now_local)
    step = dt.timedelta(days=7 if job.weekday is not None else 1)
    return dt.datetime.combine(slot + step, job.at)


# What runs on its own (ADR 0031, 0032, 0006). Production may run the same from cron instead:
# each command and job is safe to run again.
JOBS = (
    Periodic("audit-checkpoint", "nhs_citizen.core.tasks.write_audit_checkpoint", dt.time(1, 30)),
    Periodic("open-data-snapshot", "nhs_citizen.core.tasks.write_open_data_snapshot", dt.time(2)),
    Periodic(
        "daily-digests", "nhs_citizen.notifications.tasks.send_digests", dt.time(7), args=("daily",)
    ),
    Periodic(
        "weekly-digests",
        "nhs_citizen.notifications.tasks.send_digests",
        dt.time(7),
        weekday=0,
        args=("weekly",),
    ),
)
