"""Core's staff tools, and how the public audit log credits its actions (ADR 0026)."""

from nhs_citizen.accounts.staff_tools import StaffTool, register_staff_tool
from nhs_citizen.core.audit_credit import (
    NHS_ENGLAND,
    organisation_in_data,
    register_staff_actions,
)


def _membership_requests(user):
    from nhs_citizen.core.models import Membership

    return Membership.objects.pending()


for tool in (
    StaffTool(
        key="core.membership_requests",
        title="Requests to act for organisations",
        description="Check that people work for or represent the organisations they say they do.",
        url_name="core:membership_requests",
        permission="core.verify_memberships",
        order=140,
        waiting=_membership_requests,
        waiting_noun=("request", "requests"),
    ),
    StaffTool(
        key="core.full_audit_log",
        title="Full audit log",
        description="Every entry, including private ones about accounts.",
        url_name="core:full_audit_log",
        permission="core.view_full_audit_log",
        order=150,
    ),
):
    register_staff_tool(tool)

register_staff_actions(
    "organisations.membership_verified", role="administrator", organisation=NHS_ENGLAND
)
# A person leaving an organisation they acted for: credit the organisation, not the person.
register_staff_actions(
    "organisations.membership_ended", role="member", organisation_of=organisation_in_data
)
