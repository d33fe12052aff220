"""The helpers' activity in the staff area, for moderators; the secretariat's paper forms."""

from nhs_citizen.accounts.staff_tools import StaffTool, register_staff_tool
from nhs_citizen.assisted.services import PAPER_FLAG_ACTION
from nhs_citizen.core.audit_credit import (
    NHS_ENGLAND,
    organisation_in_data,
    register_staff_actions,
)

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

register_staff_tool(
    StaffTool(
        key="assisted.paper_forms",
        title="Paper forms sent to NHS England",
        description=(
            "Type in the paper “raise a flag” forms that people post to Wellington House, with "
            "their consent and the reference written on each form."
        ),
        url_name="assisted:paper_forms",
        permission="assisted.type_in_paper",
        order=126,
    )
)

# Flags the secretariat types in from paper: credited to NHS England's secretariat, not a name.
register_staff_actions(PAPER_FLAG_ACTION, role="secretariat", organisation=NHS_ENGLAND)
# What a helper records is credited to their organisation (named in the entry's data), never to
# the helper or the person they record for.
register_staff_actions(
    "assisted.flag_recorded",
    "assisted.support_recorded",
    role="community helper",
    organisation_of=organisation_in_data,
)
