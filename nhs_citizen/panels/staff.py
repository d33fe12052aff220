"""The panels app's staff tools, and how the public audit log credits its actions (ADR 0026)."""

from nhs_citizen.accounts.staff_tools import StaffTool, register_staff_tool
from nhs_citizen.core.audit_credit import NHS_ENGLAND, register_staff_actions

register_staff_tool(
    StaffTool(
        key="panels.panel_list",
        title="Panels and draws",
        description="Set up juries, Assembly membership and Citizen Panels: quotas, seed, draw, members and reserves.",
        url_name="panels:panel_list",
        permission="panels.run_draws",
        order=70,
    )
)

register_staff_actions("panels.*", role="secretariat", organisation=NHS_ENGLAND)
