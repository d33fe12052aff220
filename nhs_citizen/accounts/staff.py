"""The accounts app's staff tools, and how the public audit log credits its actions (ADR 0026)."""

from nhs_citizen.accounts.staff_tools import StaffTool, register_staff_tool
from nhs_citizen.core.audit_credit import NHS_ENGLAND, register_staff_actions

register_staff_tool(
    StaffTool(
        key="accounts.people",
        title="People and roles",
        description="Find a person and give or remove a staff role.",
        url_name="accounts:people",
        permission="accounts.manage_roles",
        order=130,
    )
)

register_staff_actions("accounts.role_*", role="administrator", organisation=NHS_ENGLAND)
