"""The helpers' activity in the staff area, for moderators, and how the public audit log
credits what helpers record."""

from nhs_citizen.accounts.staff_tools import StaffTool, register_staff_tool
from nhs_citizen.core.audit_credit import organisation_in_data, register_staff_actions

register_staff_tool(
    StaffTool(
        key="assisted.activity",
        title="Community helpers' activity",
        description=(
            "What helpers at Healthwatch, patient groups and charities recorded for people who "
            "are offline: when, by whom, and how the person agreed."
        ),
        url_name="assisted:all_activity",
        permission="assisted.see_all_activity",
        order=125,
    )
)

# In the public audit log a helper's record is credited to their organisation, never to the
# helper or the person they helped: "Healthwatch Leeds, community helper" (ADR 0026, ADR 0035).
register_staff_actions(
    "assisted.flag_recorded",
    "assisted.support_recorded",
    role="community helper",
    organisation_of=organisation_in_data,
)
