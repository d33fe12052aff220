"""Shared django-rules predicates about who a person is. Each app's rules.py combines them."""

import rules

from nhs_citizen.accounts.models import Role


def _has_role(role: str):
    @rules.predicate(name=f"has_role_{role}")
    def predicate(user) -> bool:
        return bool(
            user.is_authenticated and getattr(user, "has_role", None) and user.has_role(role)
        )

    return predicate


is_curator = _has_role(Role.CURATOR)
is_moderator = _has_role(Role.MODERATOR)
is_review_panel_member = _has_role(Role.REVIEW_PANEL)
is_secretariat = _has_role(Role.SECRETARIAT)
is_board_member = _has_role(Role.BOARD_MEMBER)
is_administrator = _has_role(Role.ADMINISTRATOR)


@rules.predicate
def has_any_staff_role(user) -> bool:
    return bool(user.is_authenticated and user.has_staff_role)


@rules.predicate
def is_responder(user) -> bool:
    return bool(user.is_authenticated and user.responder_organisation_ids)


@rules.predicate
def is_organisation_member(user) -> bool:
    return bool(
        user.is_authenticated and user.memberships.filter(verified_at__isnull=False).exists()
    )
