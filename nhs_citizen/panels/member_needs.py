"""The communication needs of a panel's confirmed members, for the secretariat planning its
meetings (ADR 0036). Who counts as confirmed is decided here; who may see and the audit entry
for each look are in accounts.needs_services."""

from __future__ import annotations

from nhs_citizen.accounts.needs_services import MemberNeeds, needs_for_confirmed_members
from nhs_citizen.panels.models import MemberStatus, Panel, PanelMember


def confirmed_user_ids(panel: Panel) -> list[int]:
    return list(
        PanelMember.objects.filter(
            panel=panel,
            status=MemberStatus.CONFIRMED,
            pool_member__user__isnull=False,
            pool_member__withdrawn_at__isnull=True,
        ).values_list("pool_member__user_id", flat=True)
    )


def member_needs(panel: Panel | None, viewer, *, where: str) -> MemberNeeds | None:
    """The needs of the panel's confirmed members if the viewer may see them (one audit entry
    per look), or None."""
    if panel is None or not viewer.has_perm("accounts.view_member_needs"):
        return None
    return needs_for_confirmed_members(
        viewer=viewer, user_ids=confirmed_user_ids(panel), target=panel, where=where
    )
