"""Who may do what in moderation. Anyone, signed in or not, may report; only moderators
decide."""

import rules

from nhs_citizen.accounts.predicates import is_moderator

rules.add_perm("moderation.moderate", is_moderator)
