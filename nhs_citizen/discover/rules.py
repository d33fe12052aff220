"""Who may do what in Discover. The state of the conversation is public: no rule needed."""

import rules

from nhs_citizen.accounts.predicates import is_curator, is_organisation_member


@rules.predicate
def is_signed_in(user) -> bool:
    return bool(user.is_authenticated and not getattr(user, "deleted_at", None))


rules.add_perm("discover.curate", is_curator)
# Hosts type up notes from an event for the organisation they act for; curators for anyone.
rules.add_perm("discover.upload_notes", is_curator | is_organisation_member)
