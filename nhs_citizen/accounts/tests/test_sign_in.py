import pytest
from django.urls import reverse

from nhs_citizen.conftest import PASSWORD, make_user, totp_code

pytestmark = pytest.mark.django_db


def _sign_in(client, email="person@example.com", password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_a_citizen_signs_in_with_email_and_password(client):
    make_user()
    response = _sign_in(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:your_account")


def test_a_wrong_password_gets_a_clear_error(client):
    make_user()
    response = _sign_in(client, password="wrong-password")
    content = response.content.decode()
    assert "The email address or password is not right" in content
    assert "<title>Error: Sign in" in content
    assert "_auth_user_id" not in client.session


def test_after_5_wrong_passwords_the_account_is_locked_for_a_while(client):
    make_user()
    for _ in range(5):
        _sign_in(client, password="wrong-password")
    response = _sign_in(client)
    assert "You have tried to sign in too many times" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_account(client):
    make_user()
    make_user("other@example.com")
    for _ in range(5):
        _sign_in(client, password="wrong-password")
    assert _sign_in(client, email="other@example.com").status_code == 302


def test_staff_must_enter_their_code_after_their_password(client):
    make_user(roles=("moderator",))
    response = _sign_in(client)
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert "The code is not right" in response.content.decode()
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_an_empty_code_gets_a_clear_error(client):
    make_user(roles=("moderator",))
    _sign_in(client)
    response = client.post(reverse("mfa_authenticate"), {"code": ""})
    assert "Enter the security code" in response.content.decode()


def test_too_many_wrong_codes_are_refused(client):
    make_user(roles=("moderator",))
    _sign_in(client)
    for _ in range(5):
        client.post(reverse("mfa_authenticate"), {"code": "000000"})
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


def test_password_reset_sends_a_link_and_does_not_reveal_unknown_addresses(client, mailoutbox):
    make_user()
    response = client.post(reverse("account_reset_password"), {"email": "person@example.com"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "NHS Citizen: Reset your password"
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    response = client.post(reverse("account_reset_password"), {"email": "not an email"})
    assert "Enter an email address in the correct format" in response.content.decode()


def test_sign_out_asks_first_then_signs_out(client, signed_in, citizen):
    signed_in(citizen)
    assert "Sign out" in client.get(reverse("account_logout")).content.decode()
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session
