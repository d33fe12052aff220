"""Demo data for selection by lot: a volunteer pool of 1,200 people whose answers lean the way
volunteer pools do (more older, more educated-area volunteers), the citizen persona in it, and a
past jury drawn in the order of ADR 0021 (inputs fixed, lottery published, seed committed with a
named public value, value typed in, drawn), with one member replaced from the reserves.

`draw_by_protocol` is the same order for the other demo panels (the Assembly of 200 in
seed_assembly.py). At 1,200 people and 200 seats the lottery takes about 15 seconds here."""

from __future__ import annotations

import random
from datetime import timedelta

import time_machine
from django.contrib.auth import get_user_model
from django.utils import timezone

from nhs_citizen.accounts.models import Role, RoleAssignment
from nhs_citizen.core.dates import when_words
from nhs_citizen.panels import categories
from nhs_citizen.panels.models import DrawJob, JobKind, JobStatus, Panel, PanelPurpose, PoolMember
from nhs_citizen.panels.services import draws, quotas
from nhs_citizen.panels.services.pool import check_volunteer, volunteer_pool

POOL_SIZE = 1200
JURY_TITLE = "Citizens' jury for the Summer 2026 Assembly"

# Volunteers over-represent older people, white people and less deprived areas.
BIAS = {
    "age_band": {"16-24": 0.5, "25-34": 0.8, "65-74": 1.5, "75+": 1.3},
    "ethnic_group": {"white": 1.15},
    "deprivation": {"1": 0.6, "5": 1.4},
}


def _pick(rng: random.Random, category: str) -> str:
    values = categories.values_for(category)
    weights = [v.share * BIAS.get(category, {}).get(v.value, 1.0) for v in values]
    return rng.choices([v.value for v in values], weights=weights)[0]


SEED_DRAW_SECONDS = 900.0


def draw_by_protocol(panel: Panel, at, day: float, secretariat) -> Panel:
    """Draw ``panel`` in the safe order, as the secretariat would: the inputs fixed, the lottery
    made and published and the seed committed a day before ``at(day)``, naming the National
    Lottery draw of the next day; the balls typed in and the panel drawn half a day after."""
    # The clock runs (tick) so that each step is recorded after the one before it.
    with time_machine.travel(at(day + 1), tick=True):
        panel = draws.do_freeze_inputs(panel=panel, frozen_by=secretariat)
        # Nobody waits for the seed, and on a busy machine (a test run beside other work) the
        # proof for an Assembly of 200 can take longer than a secretariat would wait.
        panel = draws.do_make_lottery(
            panel=panel, made_by=secretariat, time_limit=SEED_DRAW_SECONDS
        )
        known_on = timezone.localdate() + timedelta(days=1)
        panel = draws.do_commit_seed(
            panel=panel,
            committed_by=secretariat,
            public_value_name=(
                f"UK National Lottery Lotto draw on {when_words(known_on, weekday=True)}: "
                "the six main balls in the order drawn"
            ),
            public_value_date=known_on,
        )
    balls = random.Random(panel.title).sample(range(1, 60), 6)
    with time_machine.travel(at(day - 0.5), tick=True):
        draws.do_enter_public_value(
            panel=panel, entered_by=secretariat, value=" ".join(str(b) for b in balls)
        )
        panel.refresh_from_db()
        if not panel.drawn_at:  # unless a job that runs at once has drawn it already
            panel = draws.do_run_draw(panel=panel, drawn_by=secretariat)
        # The draw job queued for the worker is no longer needed: it would find the panel drawn.
        DrawJob.objects.filter(panel=panel, kind=JobKind.DRAW, status=JobStatus.QUEUED).delete()
    return panel


def seed_panels(at) -> int:
    pool = volunteer_pool()
    if Panel.objects.filter(title=JURY_TITLE).exists():
        return 0
    rng = random.Random(2026)
    User = get_user_model()
    with time_machine.travel(at(240), tick=False):
        citizen = User.objects.get(email="citizen@demo.nhs-citizen.test")
        check_volunteer(
            user=citizen,
            answers={
                "age_band": "35-44",
                "sex": "female",
                "ethnic_group": "asian",
                "disability": "not_disabled",
                "region": "Y63",
                "deprivation": "2",
            },
            address="14 Roundhay Road",
            postcode="LS8 5AJ",
            consent=True,
        )
        members = []
        for n in range(POOL_SIZE):
            features = {c: _pick(rng, c) for c in categories.CATEGORY_LABELS}
            # A few households with two volunteers (same hash).
            household = f"demo-household-{n if n % 40 else n - 1}"
            members.append(
                PoolMember(
                    pool=pool,
                    external_id=f"demo-{n:03d}",
                    features=features,
                    household_hash=household,
                    consent_given_at=timezone.now(),
                )
            )
        PoolMember.objects.bulk_create(members)

    secretariat = RoleAssignment.objects.filter(role=Role.SECRETARIAT).first().user
    with time_machine.travel(at(200), tick=False):
        panel = draws.check_create_panel(
            created_by=secretariat,
            purpose=PanelPurpose.JURY,
            title=JURY_TITLE,
            size=15,
            reserves=8,
            pool=pool,
        )
        quotas.check_set_quotas(
            panel=panel, quotas=quotas.quotas_from_census(15, tolerance=0.35), set_by=secretariat
        )
    panel = draw_by_protocol(panel, at, 198.5, secretariat)
    with time_machine.travel(at(195), tick=False):
        invited = list(panel.members.filter(status="invited").order_by("pk"))
        # Someone who can be replaced from the reserves declines (the seed is random each time).
        declining = next((m for m in invited if draws.first_fitting_reserve(m) is not None), None)
        for member in invited:
            if member != declining:
                draws.do_set_member_status(member=member, status="confirmed", set_by=secretariat)
        if declining is not None:
            draws.do_set_member_status(member=declining, status="declined", set_by=secretariat)
            draws.check_replace_member(member=declining, replaced_by=secretariat)
    return 1
