"""Staff and responders must set up two-step verification before they do anything else."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.shortcuts import redirect
from django.urls import reverse

# Pages a person may use before setting up two-step verification.
ALLOWED_URL_NAMES = (
    "accounts:set_up_second_factor",
    "mfa_activate_totp",
    "account_reauthenticate",
    "mfa_view_recovery_codes",
    "mfa_download_recovery_codes",
    "account_logout",
    "account_email",
    "account_confirm_email",
    "account_email_verification_sent",
)


class RequireStaffSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._allowed_paths: tuple[str, ...] | None = None

    def allowed_paths(self) -> tuple[str, ...]:
        if self._allowed_paths is None:
            paths = []
            for name in ALLOWED_URL_NAMES:
                try:
                    paths.append(reverse(name))
                except Exception:  # a URL that takes arguments: allow its prefix below
                    continue
            paths.append("/accounts/confirm-email/")
            paths.append("/assets/")
            self._allowed_paths = tuple(paths)
        return self._allowed_paths

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(self.allowed_paths())
            and user.needs_second_factor
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            return redirect("accounts:set_up_second_factor")
        return self.get_response(request)
