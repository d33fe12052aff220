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


def _format_requests_waiting(user):
    from nhs_citizen.accounts.needs_services import format_request_queue

    return format_request_queue(show="waiting")


register_staff_tool(
    StaffTool(
        key="accounts.format_requests",
        title="Requests for other formats",
        description="Send documents in large print, Easy Read, braille, audio, BSL or another language to people who asked.",
        url_name="accounts:format_requests",
        permission="accounts.manage_format_requests",
        order=125,
        waiting=_format_requests_waiting,
        waiting_noun=("request", "requests"),
    )
)

register_staff_actions("accounts.role_*", role="administrator", organisation=NHS_ENGLAND)
