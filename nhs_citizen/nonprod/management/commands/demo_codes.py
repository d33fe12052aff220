"""Show the current two-step verification code of each demo staff persona.

    python manage.py demo_codes

Demo staff accounts use fixed authenticator secrets so that you can sign in as them. You can
also add a secret to an authenticator app; both are printed.
"""

from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from nhs_citizen.nonprod.personas import PERSONAS


def current_code(secret: str) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


class Command(BaseCommand):
    help = "Print the current two-step verification codes of the demo staff personas."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo personas do not exist in production.")
        for persona in PERSONAS:
            if persona.needs_second_factor:
                self.stdout.write(
                    f"{persona.role_label:<22} {persona.email:<40} code {current_code(persona.totp_secret)}"
                    f"   (secret {persona.totp_secret})"
                )
