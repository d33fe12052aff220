"""Load demo people, organisations and roles, so you can try every part of NHS Citizen.

    python manage.py seed_demo_data

Safe to run again: it only adds what is missing. The logins are listed in the README.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from nhs_citizen.nonprod.seed import seed_demo_data


class Command(BaseCommand):
    help = "Load demo data (never in production)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data is never loaded in production.")
        counts = seed_demo_data()
        if any(counts.values()):
            summary = ", ".join(f"{value} {name}" for name, value in counts.items() if value)
            self.stdout.write(f"Demo data loaded: {summary} added.")
        else:
            self.stdout.write("Demo data is already loaded. Nothing changed.")
