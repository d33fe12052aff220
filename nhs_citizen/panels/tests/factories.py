"""Pools, panels and draws for tests, made with the app's own services."""

from __future__ import annotations

from django.utils import timezone

from nhs_citizen.panels.models import DrawJob, JobKind, JobStatus, Panel, PoolMember
from nhs_citizen.panels.services import draws, quotas
from nhs_citizen.panels.services.pool import volunteer_pool

WIDE_QUOTAS = [
    ("sex", "female", 4, 6),
    ("sex", "male", 4, 6),
    ("age_band", "16-24", 2, 5),
    ("age_band", "45-54", 5, 8),
]


def make_pool(n: int = 60):
    """A volunteer pool of imported people, each in their own household."""
    pool = volunteer_pool()
    start = pool.members.count()
    PoolMember.objects.bulk_create(
        [
            PoolMember(
                pool=pool,
                external_id=f"x{i}",
                features={
                    "sex": "female" if i % 2 else "male",
                    "age_band": "16-24" if i % 3 == 0 else "45-54",
                },
                household_hash=f"h{i}",
            )
            for i in range(start, start + n)
        ]
    )
    return pool


def make_panel(
    secretariat,
    pool,
    *,
    size: int = 10,
    reserves: int = 4,
    title: str = "Spring jury",
    quotas_=None,
) -> Panel:
    panel = draws.check_create_panel(
        created_by=secretariat,
        purpose="jury",
        title=title,
        size=size,
        reserves=reserves,
        pool=pool,
    )
    quotas.check_set_quotas(
        panel=panel,
        quotas=quotas_ if quotas_ is not None else WIDE_QUOTAS,
        set_by=secretariat,
    )
    return panel


def committed_panel(secretariat, pool, **kwargs) -> Panel:
    return draws.do_commit_seed(
        panel=make_panel(secretariat, pool, **kwargs), committed_by=secretariat
    )


def drawn_panel(secretariat, pool, *, reveal: bool = True, **kwargs) -> Panel:
    """A panel drawn in this process; its seed revealed unless asked not to, without the check
    job that revealing queues (tests make the jobs they need)."""
    panel = committed_panel(secretariat, pool, **kwargs)
    panel = draws.do_run_draw(panel=panel, drawn_by=secretariat)
    if reveal:
        panel = draws.do_reveal_seed(panel=panel, revealed_by=secretariat)
        DrawJob.objects.filter(panel=panel).delete()
    return panel


def job(panel: Panel, *, kind: str = JobKind.DRAW, status: str = JobStatus.RUNNING, **fields):
    """A job row made directly, in any state, to show on the pages."""
    now = timezone.now()
    fields.setdefault("started_at", None if status == JobStatus.QUEUED else now)
    if status in (JobStatus.DONE, JobStatus.FAILED):
        fields.setdefault("finished_at", now)
    return DrawJob.objects.create(panel=panel, kind=kind, status=status, **fields)
