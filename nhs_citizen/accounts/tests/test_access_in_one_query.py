"""A signed-in person's staff roles and the organisations they answer for are read together, in
one query, and what is read matches the database exactly."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from nhs_citizen.accounts.models import Role, User
from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import Membership, Organisation

pytestmark = pytest.mark.django_db


def _fresh(user) -> User:
    return User.objects.get(pk=user.pk)


def _organisation(name: str) -> Organisation:
    return Organisation.objects.create(name=name, slug=name.lower().replace(" ", "-"))


def test_roles_and_responder_organisations_come_in_one_query():
    user = make_user(roles=(Role.CURATOR, Role.MODERATOR), with_totp=False)
    answered, unconfirmed, member_only = (
        _organisation("Leeds Trust"),
        _organisation("York Trust"),
        _organisation("Hull Trust"),
    )
    now = timezone.now()
    Membership.objects.create(user=user, organisation=answered, role="responder", verified_at=now)
    Membership.objects.create(user=user, organisation=unconfirmed, role="responder")
    Membership.objects.create(user=user, organisation=member_only, role="member", verified_at=now)
    person = _fresh(user)
    with CaptureQueriesContext(connection) as queries:
        assert person.needs_second_factor
        assert person.staff_roles == {Role.CURATOR, Role.MODERATOR}
        assert person.responder_organisation_ids == {answered.pk}
        assert person.has_role(Role.CURATOR) and not person.has_role(Role.ADMINISTRATOR)
    assert len(queries) == 1


def test_a_citizen_has_no_roles_and_needs_no_second_factor():
    person = _fresh(make_user())
    assert person.staff_roles == frozenset()
    assert person.responder_organisation_ids == frozenset()
    assert not person.needs_second_factor


def test_a_confirmed_responder_without_a_role_needs_a_second_factor():
    user = make_user()
    Membership.objects.create(
        user=user,
        organisation=_organisation("Leeds Trust"),
        role="responder",
        verified_at=timezone.now(),
    )
    person = _fresh(user)
    assert person.staff_roles == frozenset()
    assert person.needs_second_factor


def test_a_role_given_after_reading_is_seen_once_the_kept_value_is_dropped():
    from nhs_citizen.accounts import services

    admin = make_user("admin@example.com", roles=(Role.ADMINISTRATOR,))
    person = _fresh(make_user())
    assert not person.has_staff_role
    services.check_grant_role(
        user=person, role=Role.SECRETARIAT, granted_by=admin, reason="New to the team"
    )
    assert person.has_role(Role.SECRETARIAT)
