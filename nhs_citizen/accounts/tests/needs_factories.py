"""People with communication needs on a panel, for the needs tests."""

from __future__ import annotations

from nhs_citizen.accounts.needs_services import check_save_needs
from nhs_citizen.conftest import make_user
from nhs_citizen.panels.models import PanelMember, PoolMember
from nhs_citizen.panels.services.pool import volunteer_pool
from nhs_citizen.panels.tests import factories as panel_factories


def panel_with_members(secretariat, people: list[tuple], *, title="Winter jury"):
    """A panel with the given members: (user, status) pairs."""
    pool = panel_factories.make_pool(20)
    panel = panel_factories.make_panel(secretariat, pool, title=title)
    for n, (user, status) in enumerate(people):
        member = PoolMember.objects.create(
            pool=volunteer_pool() if pool is None else pool,
            user=user,
            features={"sex": "female", "age_band": "45-54"},
            household_hash=f"needs-{user.pk}-{n}",
        )
        PanelMember.objects.create(panel=panel, pool_member=member, status=status)
    return panel


def person_with_needs(email: str, name: str, **needs):
    user = make_user(email, display_name=name)
    check_save_needs(user=user, **needs)
    return user
