"""The Assembly's staff tools, and how the public audit log credits its actions (ADR 0026)."""

from nhs_citizen.accounts.staff_tools import StaffTool, register_staff_tool
from nhs_citizen.core.audit_credit import NHS_ENGLAND, register_staff_actions

register_staff_tool(
    StaffTool(
        key="assembly.index",
        title="Assembly cycles",
        description="Set the dates of a cycle, move it on step by step, record the jury's choices, and run the Assembly Meeting.",
        url_name="assembly:index",
        permission="assembly.run_cycles",
        order=80,
    )
)

register_staff_actions("assembly.*", role="secretariat", organisation=NHS_ENGLAND)
