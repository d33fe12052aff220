"""How allauth behaves for NHS Citizen: our wording, our user fields, encrypted secrets."""

from __future__ import annotations

import base64
import hashlib

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

PASSWORD_MESSAGES = {
    "password_too_short": "Your password must be at least 10 characters long",
    "password_too_common": "Choose a password that is harder to guess. This one is used by many people",
    "password_entirely_numeric": "Your password cannot be only numbers. Add some letters",
    "password_too_similar": "Your password is too like your email address or name. Choose a different one",
}


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": "The email address or password is not right. Check them and try again",
        "email_taken": "An account already uses this email address. Sign in, or reset your password",
        "enter_current_password": "Enter your current password",
        "incorrect_code": "The code is not right. Check it and try again",
        "incorrect_password": "The password is not right",
        "invalid_login": "The email address or password is not right. Check them and try again",
        "invalid_password_reset": "This link to reset your password does not work any more. Ask for a new one",
        "too_many_login_attempts": (
            "You have tried to sign in too many times. For your safety, wait 15 minutes and try again, "
            "or reset your password"
        ),
        "unknown_email": "There is no account with this email address",
        "rate_limited": "You have done this too many times. Wait a few minutes and try again",
        "account_inactive": "This account has been closed",
    }

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.display_name = form.cleaned_data.get("display_name", "").strip()
        if commit:
            user.save()
        return user

    def clean_password(self, password, user=None):
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            messages = []
            for item in error.error_list:
                messages.append(PASSWORD_MESSAGES.get(item.code, item.messages[0]))
            raise ValidationError(messages) from error
        return password

    def format_email_subject(self, subject: str) -> str:
        return f"NHS Citizen: {subject}"

    def get_login_redirect_url(self, request):
        return super().get_login_redirect_url(request)


def _fernet() -> Fernet:
    key = hashlib.sha256(("mfa-secrets:" + settings.SECRET_KEY).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


class SecondFactorAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": "The code is not right. Check the code in your authenticator app and try again",
        "cannot_delete_authenticator": (
            "You cannot turn off two-step verification while you have a staff role or act as a responder"
        ),
        "unverified_email": "Confirm your email address before you set up two-step verification",
    }

    def encrypt(self, text: str) -> str:
        # Authenticator secrets are encrypted at rest with a key derived from SECRET_KEY.
        return "fernet:" + _fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        if not encrypted_text.startswith("fernet:"):
            return encrypted_text
        try:
            return _fernet().decrypt(encrypted_text.removeprefix("fernet:").encode()).decode()
        except InvalidToken as error:
            raise ValueError(
                "The authenticator secret cannot be read with this SECRET_KEY."
            ) from error

    def can_delete_authenticator(self, authenticator) -> bool:
        return not authenticator.user.needs_second_factor

    def get_totp_label(self, user) -> str:
        return user.email
