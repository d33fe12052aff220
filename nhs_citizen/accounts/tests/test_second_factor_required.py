import pytest
from django.urls import reverse

from nhs_citizen.accounts.models import Role
from nhs_citizen.conftest import PASSWORD, make_user, totp_code
from nhs_citizen.core.models import Organisation
from nhs_citizen.core.services.organisations import check_request_membership, do_verify_membership

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", Role.values)
def test_every_staff_role_must_set_up_two_step_verification_first(client, role):
    make_user(roles=(role,), with_totp=False)
    response = client.post(
        reverse("account_login"), {"login": "person@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    for url in (
        reverse("accounts:your_account"),
        reverse("core:home"),
        reverse("accounts:staff_area"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:set_up_second_factor")
    assert client.get(reverse("accounts:set_up_second_factor")).status_code == 200
    # Setting up asks for the password again first, as every change to sign-in security does.
    assert client.get(reverse("mfa_activate_totp"))["Location"].startswith(
        reverse("account_reauthenticate")
    )
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


def test_a_confirmed_responder_must_set_up_two_step_verification(client, signed_in, administrator):
    user = make_user("responder@example.com", with_totp=False)
    membership = check_request_membership(
        user=user,
        organisation=Organisation.objects.get(slug="nhs-england"),
        role="responder",
        job_title="x",
    )
    signed_in(user)
    assert client.get(reverse("accounts:your_account")).status_code == 200
    do_verify_membership(membership=membership, verified_by=administrator)
    assert client.get(reverse("accounts:your_account"))["Location"] == reverse(
        "accounts:set_up_second_factor"
    )


def test_a_citizen_is_not_asked_for_two_step_verification(client, signed_in, citizen):
    signed_in(citizen)
    assert client.get(reverse("accounts:your_account")).status_code == 200


def test_setting_up_the_app_with_the_right_code_lets_staff_in(client):
    make_user(roles=("curator",), with_totp=False)
    client.post(reverse("account_login"), {"login": "person@example.com", "password": PASSWORD})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    response = client.post(
        reverse("mfa_activate_totp"),
        {"code": "123456" if totp_code(secret) != "123456" else "654321"},
    )
    assert "The code is not right" in response.content.decode()
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.get(reverse("accounts:staff_area")).status_code == 200


def test_staff_cannot_turn_two_step_verification_off(client, signed_in):
    user = make_user(roles=("curator",))
    signed_in(user)
    client.get(reverse("mfa_deactivate_totp"))
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code in (200, 302)
    from nhs_citizen.conftest import has_totp

    assert has_totp(user)


def test_the_secret_is_stored_encrypted(db):
    from allauth.mfa.models import Authenticator

    user = make_user(roles=("curator",))
    stored = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"]
    assert stored.startswith("fernet:")
    assert "JBSWY3DP" not in stored
