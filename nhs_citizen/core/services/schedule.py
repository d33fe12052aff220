"""Queue the site's periodic jobs (``core.schedule.JOBS``) when they are due, once per period.

``do_run_schedule`` is called every minute by ``manage.py run_schedule --loop 60`` (which
``run_site`` starts beside the job worker), or by cron. It claims each due period with a
``ScheduledRun`` row before queueing the job: two schedulers, or one run twice, queue it once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from nhs_citizen.core import schedule
from nhs_citizen.core.models import ScheduledRun


def _enqueue(job: schedule.Periodic) -> None:
    import_string(job.task).enqueue(*job.args)


def do_run_schedule(
    now: dt.datetime | None = None,
    jobs: tuple[schedule.Periodic, ...] = schedule.JOBS,
    enqueue: Callable[[schedule.Periodic], None] = _enqueue,
) -> list[str]:
    """Queue every job whose current period has not been queued yet. Returns their names."""
    local = timezone.localtime(now or timezone.now()).replace(tzinfo=None)
    queued = []
    for job in jobs:
        slot = schedule.due_slot(job, local)
        if ScheduledRun.objects.filter(name=job.name, slot=slot).exists():
            continue
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(name=job.name, slot=slot)
        except IntegrityError:
            continue  # another scheduler claimed it first
        try:
            enqueue(job)
        except Exception:
            # Not queued: give the period back, so the next check tries again.
            ScheduledRun.objects.filter(name=job.name, slot=slot).delete()
            raise
        queued.append(job.name)
    # Claims older than a few weeks are no use to anyone.
    ScheduledRun.objects.filter(slot__lt=local.date() - dt.timedelta(days=35)).delete()
    return queued
