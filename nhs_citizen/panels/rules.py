"""Who may do what with panels and draws."""

import rules

from nhs_citizen.accounts.predicates import is_secretariat

rules.add_perm("panels.run_draws", is_secretariat)
