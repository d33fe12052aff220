"""The lottery, the draw and checks of draws, as background jobs that say how far they have got.

The secretariat asks for the lottery once the inputs are fixed (`do_request_lottery`). Typing in
the public value queues the draw (`draws.do_enter_public_value`); a draw that failed can be
asked for again (`do_request_draw`). The draw queues a check of itself, and the secretariat can
ask for another (`do_request_check`). Each makes a
`DrawJob` row and, once that row is saved, queues a task (panels/tasks.py) that calls
`do_run_job`. The job writes its stage and what it has proved so far in short writes, so that
the progress page can show them; it holds no lock and no transaction while it computes.

Only one draw, and one check, of a panel can be waiting or running at a time: a unique index on
the active jobs makes a second one impossible, even when two requests arrive together. A job
that fails leaves the panel as it was and says why, in plain English.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from nhs_citizen.panels import selection
from nhs_citizen.panels.models import (
    ACTIVE_JOB_STATUSES,
    STALE_JOB_AFTER,
    DrawJob,
    DrawProtocol,
    JobKind,
    JobStage,
    JobStatus,
    Panel,
    PanelStatus,
)
from nhs_citizen.panels.services import draws

logger = logging.getLogger(__name__)

STALE_AFTER = STALE_JOB_AFTER
# Progress inside a stage is written at most this often, in seconds. A new stage, or a newly
# proved figure, is written at once.
PROGRESS_INTERVAL = 2.0

WHAT = {JobKind.LOTTERY: "lottery", JobKind.DRAW: "draw", JobKind.CHECK: "check of the draw"}
ALREADY_ACTIVE = {
    JobKind.LOTTERY: (
        "The lottery is already being made. It cannot be made twice: wait for it to finish, "
        "and follow its progress from the page for managing the panel."
    ),
    JobKind.DRAW: (
        "The draw has already started. It cannot run twice: wait for it to finish, and follow "
        "its progress from the page for managing the panel."
    ),
    JobKind.CHECK: (
        "The draw is already being checked. Wait for that check to finish. You can follow it "
        "from the page for managing the panel."
    ),
}


def _fault(job: DrawJob) -> str:
    return (
        f"The {WHAT[job.kind]} stopped because of a fault on our side. Nothing has changed: the "
        f"panel is as it was. Try again. If it happens again, tell the technical team that job "
        f"{job.pk} failed."
    )


def _stopped(kind: str) -> str:
    return (
        f"The {WHAT[kind]} stopped without finishing, probably because the computer running it "
        "restarted. Nothing has changed: the panel is as it was. Try again."
    )


def latest_jobs(panel: Panel) -> dict[str, DrawJob | None]:
    """The newest job of each kind for a panel (one small query per kind)."""
    return {
        kind: DrawJob.objects.filter(panel=panel, kind=kind).order_by("-created_at", "-pk").first()
        for kind in JobKind.values
    }


def _stop_stale_jobs(panel: Panel, kind: str) -> None:
    cutoff = timezone.now() - STALE_AFTER
    stale = DrawJob.objects.filter(
        panel=panel, kind=kind, status__in=ACTIVE_JOB_STATUSES, updated_at__lt=cutoff
    )
    for job_id in list(stale.values_list("pk", flat=True)):
        _fail(job_id, _stopped(kind))


def queue_job(*, panel: Panel, kind: str, requested_by) -> DrawJob:
    """Record a job and queue it to run once this transaction commits. Raises ValidationError
    if a job of the same kind is already waiting or running for this panel."""
    with transaction.atomic():
        _stop_stale_jobs(panel, kind)
        if DrawJob.objects.filter(panel=panel, kind=kind, status__in=ACTIVE_JOB_STATUSES).exists():
            raise ValidationError(ALREADY_ACTIVE[kind])
        try:
            with transaction.atomic():
                job = DrawJob.objects.create(panel=panel, kind=kind, requested_by=requested_by)
        except IntegrityError:
            # Another request made one between our look and our write.
            raise ValidationError(ALREADY_ACTIVE[kind]) from None
        transaction.on_commit(lambda: _enqueue(job))
    return job


def _enqueue(job: DrawJob) -> None:
    from nhs_citizen.panels import tasks

    task = {
        JobKind.LOTTERY: tasks.run_lottery_job,
        JobKind.DRAW: tasks.run_draw_job,
    }.get(job.kind, tasks.run_check_job)
    try:
        task.enqueue(job.pk)
    except Exception:
        logger.exception("Could not queue panel job %s", job.pk)
        _fail(job.pk, _fault(job))


def do_request_lottery(*, panel: Panel, requested_by) -> DrawJob:
    """The secretariat asks for the lottery: it is made in the background (see `do_run_job`)."""
    with transaction.atomic():
        # A short lock, only while the request is recorded, so two requests queue one job.
        panel = Panel.objects.select_for_update().only("pk", "status").get(pk=panel.pk)
        if panel.status != PanelStatus.INPUTS_FROZEN:
            raise ValidationError(draws.NOT_READY_FOR_LOTTERY)
        return queue_job(panel=panel, kind=JobKind.LOTTERY, requested_by=requested_by)


def do_request_draw(*, panel: Panel, requested_by) -> DrawJob:
    """Run the draw again after a try that did not finish (typing in the public value starts
    the first one)."""
    with transaction.atomic():
        panel = (
            Panel.objects.select_for_update().only("pk", "status", "public_value").get(pk=panel.pk)
        )
        if panel.status != PanelStatus.SEED_COMMITTED or not panel.public_value:
            raise ValidationError(draws.NOT_READY_TO_DRAW)
        return queue_job(panel=panel, kind=JobKind.DRAW, requested_by=requested_by)


def do_request_check(*, panel: Panel, requested_by) -> DrawJob:
    """Check the draw again from its published file, in the background."""
    with transaction.atomic():
        panel = Panel.objects.select_for_update().only("pk", "status").get(pk=panel.pk)
        if panel.status != PanelStatus.SEED_REVEALED:
            raise ValidationError(selection.SEED_NOT_REVEALED)
        return queue_job(panel=panel, kind=JobKind.CHECK, requested_by=requested_by)


class _Progress:
    """Writes a job's stage and what it knows, in short writes of one row."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.stage: str | None = None
        self.known: dict = {}
        self._written_at = 0.0

    def __call__(self, stage: str, data: dict | None = None) -> None:
        new = {k: v for k, v in (data or {}).items() if self.known.get(k) != v}
        self.known.update(new)
        now = time.monotonic()
        worth_writing = (
            stage != self.stage
            or any(key != "panels_found" for key in new)
            or (new and now - self._written_at >= PROGRESS_INTERVAL)
        )
        if not worth_writing:
            return
        self.stage = stage if stage in JobStage.values else self.stage
        self._written_at = now
        DrawJob.objects.filter(pk=self.job_id).update(
            stage=self.stage or JobStage.QUEUED,
            progress=dict(self.known),
            updated_at=timezone.now(),
        )


def _fail(job_id: int, error: str) -> None:
    now = timezone.now()
    DrawJob.objects.filter(pk=job_id, status__in=ACTIVE_JOB_STATUSES).update(
        status=JobStatus.FAILED, error=error, finished_at=now, updated_at=now
    )


def do_run_job(job_id: int) -> str:
    """Run a waiting job (the task calls this). Safe to call twice: a job runs once."""
    now = timezone.now()
    started = DrawJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, updated_at=now
    )
    if not started:
        return "not waiting"
    job = DrawJob.objects.select_related("panel", "requested_by").get(pk=job_id)
    progress = _Progress(job.pk)
    try:
        run = {JobKind.LOTTERY: _run_lottery, JobKind.DRAW: _run_draw}.get(job.kind, _run_check)
        result = run(job, progress)
    except ValidationError as error:
        _fail(job.pk, " ".join(error.messages))
        return "failed"
    except Exception as error:
        from nhs_citizen.panels.algorithms._highs import OutOfTime
        from nhs_citizen.panels.algorithms.leximin import InfeasibleError

        if isinstance(error, InfeasibleError):
            _fail(job.pk, f"{error} Nothing has changed: the panel is as it was.")
        elif isinstance(error, OutOfTime):
            _fail(
                job.pk,
                f"The {WHAT[job.kind]} ran out of time before it found a single panel that meets "
                "the quotas. Nothing has changed: the panel is as it was. Try again, or make the "
                "quotas simpler.",
            )
        else:
            logger.exception("Panel job %s failed", job.pk)
            _fail(job.pk, _fault(job))
        return "failed"
    now = timezone.now()
    DrawJob.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE,
        stage=JobStage.FINISHED,
        progress=progress.known,
        result=result,
        finished_at=now,
        updated_at=now,
    )
    return "done"


def _run_lottery(job: DrawJob, progress: _Progress) -> dict:
    panel = draws.do_make_lottery(panel=job.panel, made_by=job.requested_by, progress=progress)
    made = panel.published_lottery
    return {
        "lottery_size": len(made["panels"]),
        "minimum_probability": made["minimum_probability"],
        "minimum_after_rounding": made["minimum_after_rounding"],
        "finished": made["finished"],
        "lottery_sha256": panel.lottery_sha256,
        "probabilities_sha256": panel.probabilities_sha256,
    }


def _run_draw(job: DrawJob, progress: _Progress) -> dict:
    panel = draws.do_run_draw(panel=job.panel, drawn_by=job.requested_by, progress=progress)
    result = panel.published_result
    return {
        "selected": len(result["selected"]),
        "reserves": len(result["reserves"]),
        "reserves_asked": result["reserves_asked"],
        "lottery_index": result["lottery_index"],
    }


def _run_check(job: DrawJob, progress: _Progress) -> dict:
    panel = Panel.objects.get(pk=job.panel_id)
    if panel.status != PanelStatus.SEED_REVEALED:
        raise ValidationError(selection.SEED_NOT_REVEALED)
    progress(JobStage.READING_FILE, {})
    content = draws.draw_file(panel)
    data = json.loads(content)
    problems = selection.check_published_file(
        data, progress=progress, optimality_time_limit=draws.distribution_time_limit()
    )
    if panel.protocol == DrawProtocol.V2:
        problems += draws.audit_log_problems(panel, data)
    return {
        "checks_out": not problems,
        "problems": problems,
        "file_name": draws.draw_file_name(panel),
        "file_sha256": hashlib.sha256(content).hexdigest(),
    }


def do_queue_missing_checks(*, again: bool = False) -> int:
    """Queue a check of each revealed draw that has never been checked (or of every revealed
    draw, with ``again``). Draws already being checked are left alone. Returns how many."""
    revealed = Panel.objects.filter(status=PanelStatus.SEED_REVEALED).only("pk", "status")
    if not again:
        revealed = revealed.exclude(jobs__kind=JobKind.CHECK)
    queued = 0
    for panel in revealed.order_by("pk"):
        try:
            queue_job(panel=panel, kind=JobKind.CHECK, requested_by=None)
        except ValidationError:
            continue
        queued += 1
    return queued
