"""Demo data for selection by lot: a volunteer pool of 320 people whose answers lean the way
volunteer pools do (more older, more educated-area volunteers), the citizen persona in it, and a
past jury drawn, with its seed revealed and one member replaced from the reserves."""

from __future__ import annotations

import random

import time_machine
from django.contrib.auth import get_user_model
from django.utils import timezone

from nhs_citizen.accounts.models import Role, RoleAssignment
from nhs_citizen.panels import categories
from nhs_citizen.panels.models import Panel, PanelPurpose, PoolMember
from nhs_citizen.panels.services import draws, quotas
from nhs_citizen.panels.services.pool import check_volunteer, volunteer_pool

POOL_SIZE = 320
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
    with time_machine.travel(at(199), tick=False):
        draws.do_commit_seed(panel=panel, committed_by=secretariat)
    with time_machine.travel(at(198), tick=False):
        panel = draws.do_run_draw(panel=panel, drawn_by=secretariat)
        panel = draws.do_reveal_seed(panel=panel, revealed_by=secretariat)
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
