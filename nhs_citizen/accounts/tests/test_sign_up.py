import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from nhs_citizen.accounts.models import User
from nhs_citizen.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

GOOD = {
    "display_name": "Jo Bloggs",
    "email": "jo@example.com",
    "password1": PASSWORD,
    "password2": PASSWORD,
}


def _sign_up(client, **changes):
    return client.post(reverse("account_signup"), {**GOOD, **changes})


def test_signing_up_creates_an_account_and_sends_a_link_to_confirm_the_email(client):
    response = _sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="jo@example.com")
    assert user.display_name == "Jo Bloggs"
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "NHS Citizen: Confirm your email address"


def test_the_link_in_the_email_confirms_the_address_and_signs_in(client):
    _sign_up(client)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    path = "/" + link.split("/", 3)[3]
    assert client.get(path).status_code == 200
    response = client.post(path)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="jo@example.com").verified
    assert client.get(reverse("accounts:your_account")).status_code == 200


def test_an_unconfirmed_account_cannot_sign_in(client):
    _sign_up(client)
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "jo@example.com", "password": PASSWORD}
    )
    assert response["Location"] == reverse("account_email_verification_sent")
    assert client.get(reverse("accounts:your_account")).status_code == 302


@pytest.mark.parametrize(
    "changes, message",
    [
        (
            {"email": "not-an-email"},
            "Enter an email address in the correct format, like name@example.com",
        ),
        ({"email": ""}, "Enter your email address"),
        ({"display_name": ""}, "Enter the name to show with what you write"),
        ({"display_name": "J"}, "Your name must be at least 2 characters long"),
        (
            {"password1": "short", "password2": "short"},
            "Your password must be at least 10 characters long",
        ),
        (
            {"password1": "password123", "password2": "password123"},
            "This one is used by many people",
        ),
        ({"password1": "12345678901234", "password2": "12345678901234"}, "cannot be only numbers"),
        ({"password2": "Something-else-entirely-1"}, "Type the same password twice"),
    ],
)
def test_bad_answers_get_a_clear_error_and_create_nothing(client, changes, message):
    response = _sign_up(client, **changes)
    content = response.content.decode()
    assert response.status_code == 200
    assert message in content
    assert "<title>Error: Create an account" in content
    assert "nhsuk-error-summary" in content
    assert not User.objects.exists()
    assert mail.outbox == []


def test_an_email_address_already_in_use_is_not_given_a_second_account(client):
    make_user("jo@example.com")
    _sign_up(client)
    assert User.objects.filter(email="jo@example.com").count() == 1
