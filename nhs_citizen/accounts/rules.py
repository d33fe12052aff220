"""Who may do what with accounts and roles."""

import rules

from nhs_citizen.accounts.predicates import (
    has_any_staff_role,
    is_administrator,
    is_responder,
    is_secretariat,
)

rules.add_perm("accounts.view_staff_area", has_any_staff_role | is_responder)
rules.add_perm("accounts.manage_roles", is_administrator)
# Communication needs (ADR 0036): the secretariat plans meetings and panels, so it sees the needs
# of confirmed panel and Assembly members (the caller checks who is confirmed), and sends
# documents in other formats. Nobody else sees anyone's needs but their own.
rules.add_perm("accounts.view_member_needs", is_secretariat)
rules.add_perm("accounts.manage_format_requests", is_secretariat)
