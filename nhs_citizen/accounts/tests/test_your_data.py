import json

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.urls import reverse

from nhs_citizen.accounts.models import RoleAssignment, User
from nhs_citizen.conftest import PASSWORD, make_user
from nhs_citizen.core.models import AuditEntry, Membership, Organisation, Topic
from nhs_citizen.core.services.audit import record_audit_entry, verify_audit_log
from nhs_citizen.core.services.organisations import check_request_membership
from nhs_citizen.notifications.services import do_notify

pytestmark = pytest.mark.django_db


def test_the_profile_can_be_changed(client, signed_in, citizen):
    signed_in(citizen)
    response = client.post(
        reverse("accounts:edit_profile"),
        {
            "display_name": "  Chris   C ",
            "area": "icb:QMJ",
            "interests": ["mental-health", "dentistry"],
        },
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.display_name == "Chris C"
    assert citizen.icb.code == "QMJ"
    assert citizen.region.name == "London"
    assert set(citizen.interests.values_list("slug", flat=True)) == {"mental-health", "dentistry"}


@pytest.mark.parametrize(
    "data, message",
    [
        ({"display_name": "", "area": ""}, "Enter the name to show with what you write"),
        ({"display_name": "Chris", "area": "icb:NOPE"}, "Select one of the options"),
        ({"display_name": "Chris", "interests": ["not-a-topic"]}, "Select only the options shown"),
    ],
)
def test_bad_profile_answers_change_nothing(client, signed_in, citizen, data, message):
    signed_in(citizen)
    response = client.post(reverse("accounts:edit_profile"), data)
    assert message in response.content.decode()
    citizen.refresh_from_db()
    assert citizen.display_name == "Chris Citizen"


def test_the_download_holds_everything_about_the_person(client, signed_in, citizen):
    citizen.interests.set(Topic.objects.filter(slug="maternity"))
    check_request_membership(
        user=citizen,
        organisation=Organisation.objects.get(slug="nhs-england"),
        role="member",
        job_title="Volunteer",
    )
    do_notify(user=citizen, subject="Hello", body="A message")
    signed_in(citizen)
    response = client.get(reverse("accounts:download_your_data"))
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["email"] == "citizen@example.com"
    assert data["account"]["interests"] == ["Maternity"]
    assert data["organisations"][0]["organisation"] == "NHS England"
    assert data["messages_we_sent_you"][0]["subject"] == "Hello"
    assert data["audit_log_entries_about_your_actions"][0]["what"].startswith(
        "Asked to join NHS England"
    )
    assert "password" not in json.dumps(data["account"])


def test_deleting_needs_the_password_and_a_tick(client, signed_in, citizen):
    signed_in(citizen)
    response = client.post(reverse("accounts:delete_account"), {"password": "wrong"})
    content = response.content.decode()
    assert "The password is not right" in content
    assert "Confirm that you understand" in content
    citizen.refresh_from_db()
    assert citizen.deleted_at is None


def test_deleting_removes_everything_personal_but_keeps_contributions(client, signed_in, citizen):
    citizen.interests.set(Topic.objects.all()[:2])
    check_request_membership(
        user=citizen,
        organisation=Organisation.objects.get(slug="nhs-england"),
        role="member",
        job_title="x",
    )
    do_notify(user=citizen, subject="Hello", body="A message")
    contribution = record_audit_entry(
        actor=citizen, action="test.public", summary="Supported a flag", public=True
    )
    signed_in(citizen)
    response = client.post(
        reverse("accounts:delete_account"), {"password": PASSWORD, "confirm": "on"}
    )
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    user = User.objects.get(pk=citizen.pk)
    assert user.deleted_at is not None
    assert "citizen@example.com" not in user.email
    assert user.display_name == ""
    assert user.public_name == "Former member"
    assert not user.is_active and not user.has_usable_password()
    assert not user.interests.exists()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not Membership.objects.filter(user=user).exists()
    assert not user.notifications.exists()
    # The public record stays, now anonymous, and the audit chain is intact.
    assert AuditEntry.objects.get(pk=contribution.pk).actor.public_name == "Former member"
    assert verify_audit_log() == []
    assert "Chris Citizen" not in client.get(reverse("core:audit_log")).content.decode()
    # Nobody can sign in with the old details.
    response = client.post(
        reverse("account_login"), {"login": "citizen@example.com", "password": PASSWORD}
    )
    assert "_auth_user_id" not in client.session


def test_deleting_a_staff_account_removes_roles_and_two_step_secrets(client, signed_in):
    user = make_user(roles=("moderator",))
    signed_in(user)
    client.post(reverse("accounts:delete_account"), {"password": PASSWORD, "confirm": "on"})
    assert not RoleAssignment.objects.filter(user=user).exists()
    assert not Authenticator.objects.filter(user=user).exists()
