"""Who may do what with organisations and the audit log."""

import rules

from nhs_citizen.accounts.predicates import is_administrator

rules.add_perm("core.view_full_audit_log", is_administrator)
rules.add_perm("core.verify_memberships", is_administrator)


@rules.predicate
def is_verified_member_of(user, organisation) -> bool:
    return bool(
        user.is_authenticated
        and organisation is not None
        and organisation.memberships.filter(user=user, verified_at__isnull=False).exists()
    )


@rules.predicate
def is_verified_responder_for(user, organisation) -> bool:
    return bool(
        user.is_authenticated
        and organisation is not None
        and organisation.memberships.filter(
            user=user, role="responder", verified_at__isnull=False
        ).exists()
    )


rules.add_perm("core.speak_for_organisation", is_verified_member_of)
rules.add_perm("core.respond_for_organisation", is_verified_responder_for)
