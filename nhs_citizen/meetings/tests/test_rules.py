"""Who may do what at the meeting: one case per permission and role."""

import pytest
from django.contrib.auth.models import AnonymousUser

from nhs_citizen.conftest import make_user
from nhs_citizen.meetings.tests.factories import next_email

pytestmark = pytest.mark.django_db

ROLES = ["citizen", "secretariat", "moderator", "curator", "board_member", "administrator"]

ALLOWED = {
    "meetings.manage_meeting": {"secretariat"},
    "meetings.record_notes": {"secretariat"},
    "meetings.post_remotely": set(ROLES),
    "meetings.hide_remote_post": {"moderator"},
    "meetings.commission_panel": {"secretariat"},
}


@pytest.mark.parametrize("permission", sorted(ALLOWED))
@pytest.mark.parametrize("role", ROLES)
def test_each_permission_belongs_to_its_role(permission, role):
    user = make_user(next_email(role), roles=() if role == "citizen" else (role,))
    assert user.has_perm(permission) == (role in ALLOWED[permission])


@pytest.mark.parametrize("permission", sorted(ALLOWED))
def test_visitors_who_are_not_signed_in_may_do_none_of_it(permission):
    assert not AnonymousUser().has_perm(permission)
