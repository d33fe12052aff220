"""Pools, panels and draws for tests, made with the app's own services."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.utils import timezone

from nhs_citizen.panels.models import (
    DrawJob,
    JobKind,
    JobStatus,
    Panel,
    PanelStatus,
    PoolMember,
)
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


PUBLIC_VALUE_NAME = "UK National Lottery Lotto draw: the six main balls in the order drawn"
PUBLIC_VALUE = "7 12 23 31 40 52"


def frozen_panel(secretariat, pool, **kwargs) -> Panel:
    return draws.do_freeze_inputs(
        panel=make_panel(secretariat, pool, **kwargs), frozen_by=secretariat
    )


def published_panel(secretariat, pool, **kwargs) -> Panel:
    """A panel whose lottery is published (made in this process, not in a job)."""
    return draws.do_make_lottery(
        panel=frozen_panel(secretariat, pool, **kwargs), made_by=secretariat
    )


def committed_panel(secretariat, pool, *, days_ago: int = 3, **kwargs) -> Panel:
    """A panel whose seed was committed ``days_ago`` days ago, naming a public value known
    yesterday: its value can be typed in now."""
    with time_machine.travel(timezone.now() - timedelta(days=days_ago)):
        panel = published_panel(secretariat, pool, **kwargs)
        return draws.do_commit_seed(
            panel=panel,
            committed_by=secretariat,
            public_value_name=PUBLIC_VALUE_NAME,
            public_value_date=timezone.localdate() + timedelta(days=days_ago - 1),
        )


def drawn_panel(secretariat, pool, *, value: str = PUBLIC_VALUE, **kwargs) -> Panel:
    """A panel drawn in this process, the secret revealed, without the draw and check jobs
    that typing in the value and drawing queue (tests make the jobs they need)."""
    panel = committed_panel(secretariat, pool, **kwargs)
    draws.do_enter_public_value(panel=panel, entered_by=secretariat, value=value)
    panel.refresh_from_db()
    if panel.status != PanelStatus.SEED_REVEALED:  # not already drawn by an immediate job
        panel = draws.do_run_draw(panel=panel, drawn_by=secretariat)
    DrawJob.objects.filter(panel=panel).delete()
    return panel


def job(panel: Panel, *, kind: str = JobKind.DRAW, status: str = JobStatus.RUNNING, **fields):
    """A job row made directly, in any state, to show on the pages."""
    now = timezone.now()
    fields.setdefault("started_at", None if status == JobStatus.QUEUED else now)
    if status in (JobStatus.DONE, JobStatus.FAILED):
        fields.setdefault("finished_at", now)
    return DrawJob.objects.create(panel=panel, kind=kind, status=status, **fields)
