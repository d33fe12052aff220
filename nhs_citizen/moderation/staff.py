"""Moderation's staff tool, and how the public audit log credits its actions (ADR 0026)."""

from nhs_citizen.accounts.staff_tools import StaffTool, register_staff_tool
from nhs_citizen.core.audit_credit import register_staff_actions

register_staff_tool(
    StaffTool(
        key="moderation.queue",
        title="Reports to moderate",
        description="Check reported flags, comments and evidence against the house rules.",
        url_name="moderation:queue",
        permission="moderation.moderate",
        order=120,
    )
)

# Moderators act for the service; naming them in public invites harassment. "A moderator", as
# the public moderation log says.
register_staff_actions("moderation.*", role="moderator")
