"""Who may do what in moderation. Anyone, signed in or not, may report; only moderators
decide, except that an appeal goes to an administrator when no other moderator can take it."""

import rules

from nhs_citizen.accounts.predicates import is_administrator, is_moderator

rules.add_perm("moderation.moderate", is_moderator)
rules.add_perm("moderation.see_queue", is_moderator | is_administrator)
