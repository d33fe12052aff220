"""Who may do what with accounts and roles."""

import rules

from nhs_citizen.accounts.predicates import has_any_staff_role, is_administrator, is_responder

rules.add_perm("accounts.view_staff_area", has_any_staff_role | is_responder)
rules.add_perm("accounts.manage_roles", is_administrator)
