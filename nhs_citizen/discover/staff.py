"""Discover's staff tools, and how the public audit log credits its actions (ADR 0026)."""

from nhs_citizen.accounts.staff_tools import StaffTool, register_staff_tool
from nhs_citizen.core.audit_credit import NHS_ENGLAND, register_staff_actions

for tool in (
    StaffTool(
        key="discover.pipeline",
        title="Discover pipeline and sources",
        description="See what is waiting and what went wrong, add sources to listen to, and find topics again. Open a topic to rename, merge, split, hide or take it to Gather.",
        url_name="discover:pipeline",
        permission="discover.curate",
        order=30,
    ),
    StaffTool(
        key="discover.upload",
        title="Add notes from an event",
        description="Upload a spreadsheet of what people said at a workshop, a café or on paper forms.",
        url_name="discover:upload",
        permission="discover.upload_notes",
        order=40,
    ),
):
    register_staff_tool(tool)

register_staff_actions("discover.*", role="curator", organisation=NHS_ENGLAND)
# Curators and organisation members both upload notes: credit neither a person nor a body.
register_staff_actions("discover.notes_uploaded", role="curator or organisation member")
