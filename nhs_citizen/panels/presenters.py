"""View models for panels: the selection report, the published probabilities, and how a
draw or a check of a draw is getting on."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from nhs_citizen.core.dates import when_words
from nhs_citizen.panels import categories, selection
from nhs_citizen.panels.models import (
    DrawJob,
    JobKind,
    JobStage,
    JobStatus,
    MemberStatus,
    Panel,
    PanelStatus,
)


def selection_report(panel: Panel) -> list[dict]:
    """Target and achieved seats for each category value, for the people now on the panel."""
    seated = panel.members.filter(
        status__in=[MemberStatus.INVITED, MemberStatus.CONFIRMED]
    ).select_related("pool_member")
    counts: dict[tuple[str, str], int] = {}
    for member in seated:
        for category, value in member.pool_member.features.items():
            counts[(category, value)] = counts.get((category, value), 0) + 1
    rows = []
    for quota in panel.quotas.all():
        rows.append(
            {
                "category": categories.CATEGORY_LABELS.get(quota.category, quota.category),
                "value": categories.label_for(quota.category, quota.value),
                "minimum": quota.minimum,
                "maximum": quota.maximum,
                "achieved": counts.get((quota.category, quota.value), 0)
                if panel.drawn_at
                else None,
            }
        )
    return rows


def distribution_summary(panel: Panel) -> dict | None:
    """The figures kept when the panel was drawn (the page never reads the whole lottery)."""
    if panel.summary is None and panel.drawn_at:
        return selection.summarise(panel.published_result)  # drawn before summaries were kept
    return panel.summary


def percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.2f}%"


def duration(delta: timedelta) -> str:
    """How long, as people say it: "2 minutes 5 seconds", "less than a second"."""
    seconds = max(0, int(delta.total_seconds()))
    if seconds == 0:
        return "less than a second"
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = []
    for amount, unit in ((hours, "hour"), (minutes, "minute"), (seconds, "second")):
        if amount:
            parts.append(f"{amount} {unit}{'' if amount == 1 else 's'}")
    return " ".join(parts[:2])


STAGES = {
    JobKind.LOTTERY: [
        JobStage.INPUTS,
        JobStage.DISTRIBUTION,
        JobStage.ROUNDING,
        JobStage.PROVING,
        JobStage.PUBLISHING,
    ],
    JobKind.DRAW: [JobStage.MIXING, JobStage.DRAWING, JobStage.INVITING],
    JobKind.CHECK: [
        JobStage.READING_FILE,
        JobStage.CHECKING_LOTTERY,
        JobStage.CHECKING_CHANCES,
        JobStage.CHECKING_SEED,
    ],
}

TITLES = {
    JobKind.LOTTERY: "Making the lottery",
    JobKind.DRAW: "The draw",
    JobKind.CHECK: "Checking the draw",
}

KNOWN = [
    ("minimum_proved", "Lowest chance of being chosen, proved as high as it can be", percent),
    ("panels_found", "Different panels found", lambda n: f"{n:,}"),
    ("minimum_after_rounding", "Lowest chance in the lottery", percent),
]


def stage_label(stage: str, panel: Panel) -> str:
    if stage == JobStage.ROUNDING:
        return f"Rounding the chances to a lottery of {panel.lottery_size:,} panels"
    return JobStage(stage).label if stage in JobStage.values else stage


def job_progress(job: DrawJob, now: datetime | None = None) -> dict:
    """What the progress page shows: the stage, how long, what is proved so far, the outcome."""
    now = now or timezone.now()
    panel = job.panel
    if job.status == JobStatus.QUEUED:
        elapsed = ("Waiting for", duration(now - job.created_at))
    elif job.status == JobStatus.RUNNING:
        elapsed = ("Running for", duration(now - (job.started_at or job.created_at)))
    else:
        took = (job.finished_at or now) - (job.started_at or job.created_at)
        elapsed = ("Took", duration(took))
    order = STAGES[job.kind]
    current = order.index(job.stage) if job.stage in order else None
    finished = job.status == JobStatus.DONE
    steps = []
    for n, stage in enumerate(order):
        if finished or (current is not None and n < current):
            state = "done"
        elif n == current and job.status == JobStatus.RUNNING:
            state = "now"
        elif n == current and job.status == JobStatus.FAILED:
            state = "stopped"
        else:
            state = "to do"
        steps.append({"label": stage_label(stage, panel), "state": state})
    known = [
        (label, show(job.progress[key]))
        for key, label, show in KNOWN
        if (job.progress or {}).get(key) is not None
    ]
    return {
        "job": job,
        "title": TITLES.get(job.kind, "The job"),
        "active": job.is_active,
        "stage": stage_label(job.stage, panel),
        "elapsed": elapsed,
        "steps": steps,
        "known": known,
        "result": job.result or {},
    }


def protocol_steps(panel: Panel) -> list[dict]:
    """The steps of the draw in their order, with the time each was done and its published
    SHA-256 code: what the panel's public page shows (ADR 0021)."""
    steps = [
        {
            "title": "The inputs were fixed",
            "text": "The pool (without names), the quotas and the households.",
            "at": panel.inputs_frozen_at,
            "codes": [("Inputs", panel.inputs_sha256)],
        },
        {
            "title": "The lottery was published",
            "text": (
                f"{panel.lottery_size:,} panels, everyone's chance and the proof that the lowest "
                "chance is as high as it can be."
            ),
            "at": panel.lottery_published_at,
            "codes": [
                ("Lottery", panel.lottery_sha256),
                ("Chances", panel.probabilities_sha256),
                ("Proof", panel.certificate_sha256),
            ],
        },
        {
            "title": "The seed was committed",
            "text": (
                f"The code of a secret, and the public value named in advance: "
                f"{panel.public_value_name}"
                + (
                    f", known on {when_words(panel.public_value_date)}."
                    if panel.public_value_date
                    else "."
                )
            )
            if panel.public_value_name
            else "The code of a secret, and a public random value that nobody knows yet.",
            "at": panel.seed_committed_at,
            "codes": [("Secret", panel.seed_hash)],
        },
        {
            "title": "The public value was typed in",
            "text": panel.public_value
            if panel.status == PanelStatus.SEED_REVEALED
            else "On or after the day it is known.",
            "at": panel.public_value_entered_at
            if panel.status == PanelStatus.SEED_REVEALED
            else None,
            "codes": [],
        },
        {
            "title": "The panel was drawn and the secret revealed",
            "text": "The final seed mixes the secret and the public value, and picks one panel "
            "of the lottery and the reserves.",
            "at": panel.drawn_at,
            "codes": [("Final seed", panel.final_seed)] if panel.drawn_at else [],
        },
    ]
    for step in steps:
        step["done"] = step["at"] is not None
        step["codes"] = [(label, code) for label, code in step["codes"] if code]
    return steps


def draw_check(panel: Panel) -> dict:
    """The public check page: the stored result of the latest check, honestly dated. Never
    recomputes (a check job does that, after the seed is revealed)."""
    if panel.status != PanelStatus.SEED_REVEALED:
        return {"state": "not_revealed"}
    checks = DrawJob.objects.filter(panel=panel, kind=JobKind.CHECK).order_by("-created_at", "-pk")
    newest = checks.first()
    if newest is None:
        return {"state": "not_checked"}
    done = (
        newest if newest.status == JobStatus.DONE else checks.filter(status=JobStatus.DONE).first()
    )
    if done is None:
        state = "being_checked" if newest.is_active else "could_not_check"
        return {"state": state, "newest": newest}
    return {
        "state": "checked",
        "checks_out": bool(done.result and done.result.get("checks_out")),
        "problems": (done.result or {}).get("problems", []),
        "checked_at": done.finished_at,
        "file_name": (done.result or {}).get("file_name"),
        "file_sha256": (done.result or {}).get("file_sha256"),
        "again_now": newest.is_active,
        "later_failure": newest if newest.status == JobStatus.FAILED else None,
    }
