"""View models for account pages."""

from __future__ import annotations

from dataclasses import dataclass, field

from nhs_citizen.accounts.models import ROLE_DESCRIPTIONS, Role
from nhs_citizen.accounts.staff_tools import ToolLink, tools_for


@dataclass
class StaffArea:
    roles: list[tuple[str, str]]
    responder_for: list[str]
    tools: list[ToolLink] = field(default_factory=list)


def staff_area_for(user) -> StaffArea:
    roles = [(Role(role).label, ROLE_DESCRIPTIONS[role]) for role in sorted(user.staff_roles)]
    responder_for = list(
        user.memberships.filter(role="responder", verified_at__isnull=False)
        .select_related("organisation")
        .values_list("organisation__name", flat=True)
    )
    return StaffArea(roles=roles, responder_for=responder_for, tools=tools_for(user))
