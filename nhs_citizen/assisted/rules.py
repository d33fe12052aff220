"""Who may record for people who are offline, and who sees what was recorded.

Helpers are confirmed members (not responders) of a community organisation: Healthwatch, a
patient group or a charity. The organisation's helpers see its activity, with the people's
names and how to reach them; moderators see the activity of every organisation, without them.

The secretariat types in the paper forms posted to NHS England (the paper "raise a flag" form
gives its address, Wellington House): for this the secretariat are NHS England's helpers,
through the same pages and services, and everything they type in needs the paper form's
reference.
"""

import rules

from nhs_citizen.accounts.predicates import is_moderator, is_secretariat
from nhs_citizen.core.models import Membership, OrganisationType

COMMUNITY_TYPES = frozenset(
    {OrganisationType.HEALTHWATCH, OrganisationType.PATIENT_GROUP, OrganisationType.CHARITY}
)


# The organisation the secretariat types paper forms in for (reference data, ADR 0035).
SECRETARIAT_ORGANISATION = "nhs-england"


def is_secretariat_organisation(organisation) -> bool:
    return organisation is not None and organisation.slug == SECRETARIAT_ORGANISATION


@rules.predicate
def types_in_paper_for(user, organisation) -> bool:
    return is_secretariat_organisation(organisation) and is_secretariat(user)


@rules.predicate
def helps_for(user, organisation) -> bool:
    if not user.is_authenticated or organisation is None:
        return False
    if types_in_paper_for(user, organisation):
        return True
    if organisation.type not in COMMUNITY_TYPES:
        return False
    return (
        Membership.objects.verified()
        .filter(user=user, organisation=organisation, role=Membership.Role.MEMBER)
        .exists()
    )


@rules.predicate
def helps_for_any(user) -> bool:
    if is_secretariat(user):
        return True
    return bool(
        user.is_authenticated
        and Membership.objects.verified()
        .filter(
            user=user,
            role=Membership.Role.MEMBER,
            organisation__type__in=COMMUNITY_TYPES,
        )
        .exists()
    )


rules.add_perm("assisted.record_for", helps_for)
rules.add_perm("assisted.see_people", helps_for)
rules.add_perm("assisted.see_activity", helps_for | is_moderator)
rules.add_perm("assisted.see_all_activity", is_moderator)
rules.add_perm("assisted.help", helps_for_any)
rules.add_perm("assisted.type_in_paper", is_secretariat)
