"""What each role can see and do: permissions and the staff pages."""

import pytest
from django.urls import reverse

from nhs_citizen.accounts.models import Role, RoleAssignment
from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "roles, staff_area, manage_roles, full_audit, verify_memberships",
    [
        ((), False, False, False, False),
        (("curator",), True, False, False, False),
        (("moderator",), True, False, False, False),
        (("review_panel",), True, False, False, False),
        (("secretariat",), True, False, False, False),
        (("board_member",), True, False, False, False),
        (("administrator",), True, True, True, True),
    ],
)
def test_permissions_follow_the_role(
    roles, staff_area, manage_roles, full_audit, verify_memberships
):
    user = make_user(roles=roles)
    assert user.has_perm("accounts.view_staff_area") is staff_area
    assert user.has_perm("accounts.manage_roles") is manage_roles
    assert user.has_perm("core.view_full_audit_log") is full_audit
    assert user.has_perm("core.verify_memberships") is verify_memberships


def test_a_visitor_has_no_permissions():
    from django.contrib.auth.models import AnonymousUser

    visitor = AnonymousUser()
    for perm in ("accounts.view_staff_area", "accounts.manage_roles", "core.view_full_audit_log"):
        assert not visitor.has_perm(perm)


def test_the_staff_area_lists_the_tools_of_each_role(client, signed_in):
    admin = make_user("a@example.com", roles=("administrator",))
    signed_in(admin)
    content = client.get(reverse("accounts:staff_area")).content.decode()
    assert "People and roles" in content and "Full audit log" in content
    curator = make_user("c@example.com", roles=("curator",))
    signed_in(curator)
    content = client.get(reverse("accounts:staff_area")).content.decode()
    assert "Curator" in content
    assert "People and roles" not in content


def test_a_citizen_cannot_see_the_staff_area(client, signed_in, citizen):
    signed_in(citizen)
    response = client.get(reverse("accounts:staff_area"))
    assert response.status_code == 403
    assert "You cannot see this page" in response.content.decode()


def _grant(client, person, role, reason="Appointed by the secretariat"):
    return client.post(
        reverse("accounts:person", args=[person.pk]),
        {"action": "grant", "grant-role": role, "grant-reason": reason},
    )


def _revoke(client, person, role, reason="Left the panel"):
    return client.post(
        reverse("accounts:person", args=[person.pk]),
        {"action": "revoke", "role": role, f"revoke-{role}-reason": reason},
    )


def test_an_administrator_gives_a_role_with_a_public_reason(
    client, signed_in, administrator, citizen
):
    signed_in(administrator)
    response = _grant(client, citizen, "curator")
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(user=citizen, role="curator").exists()
    entry = AuditEntry.objects.get(action="accounts.role_granted")
    assert entry.is_public and entry.reason == "Appointed by the secretariat"
    assert "Chris Citizen" not in entry.summary


@pytest.mark.parametrize(
    "role, reason, message",
    [
        ("", "A reason", "Select the role to give"),
        ("emperor", "A reason", "Select one of the options"),
        ("curator", "", "Enter the reason for giving this role"),
    ],
)
def test_giving_a_role_with_bad_answers_changes_nothing(
    client, signed_in, administrator, citizen, role, reason, message
):
    signed_in(administrator)
    response = _grant(client, citizen, role, reason)
    assert message in response.content.decode()
    assert not RoleAssignment.objects.filter(user=citizen).exists()
    assert not AuditEntry.objects.filter(action="accounts.role_granted").exists()


def test_giving_a_role_twice_gets_a_clear_error(client, signed_in, administrator, citizen):
    signed_in(administrator)
    _grant(client, citizen, "curator")
    response = _grant(client, citizen, "curator")
    assert "already has the curator role" in response.content.decode()
    assert RoleAssignment.objects.filter(user=citizen).count() == 1


def test_an_administrator_removes_a_role_with_a_reason(client, signed_in, administrator):
    moderator = make_user("m@example.com", roles=("moderator",))
    signed_in(administrator)
    response = _revoke(client, moderator, "moderator", reason="")
    assert "Enter the reason for removing this role" in response.content.decode()
    assert RoleAssignment.objects.filter(user=moderator).exists()
    response = _revoke(client, moderator, "moderator")
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(user=moderator).exists()
    assert AuditEntry.objects.get(action="accounts.role_revoked").reason == "Left the panel"


def test_the_last_administrator_cannot_be_removed(client, signed_in, administrator):
    signed_in(administrator)
    response = _revoke(client, administrator, "administrator")
    assert "You cannot remove the last administrator" in response.content.decode()
    assert RoleAssignment.objects.filter(user=administrator, role=Role.ADMINISTRATOR).exists()


@pytest.mark.parametrize(
    "roles",
    [(), ("curator",), ("moderator",), ("review_panel",), ("secretariat",), ("board_member",)],
)
def test_only_administrators_manage_roles(client, signed_in, citizen, roles):
    user = make_user("someone@example.com", roles=roles)
    signed_in(user)
    assert client.get(reverse("accounts:people")).status_code == 403
    assert client.get(reverse("accounts:person", args=[citizen.pk])).status_code == 403
    assert _grant(client, citizen, "administrator").status_code == 403
    assert not RoleAssignment.objects.filter(user=citizen).exists()


def test_people_can_be_searched(client, signed_in, administrator, citizen):
    signed_in(administrator)
    response = client.get(reverse("accounts:people"), {"q": "chris"})
    assert [person.display_name for person in response.context["page"].object_list] == [
        "Chris Citizen"
    ]
