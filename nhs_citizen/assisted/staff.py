"""The helpers' activity in the staff area, for moderators."""

from nhs_citizen.accounts.staff_tools import StaffTool, register_staff_tool

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
