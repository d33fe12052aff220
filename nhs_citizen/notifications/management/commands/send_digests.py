"""Send the daily or weekly e-mail summaries.

    python manage.py send_digests daily     # run once a day from cron
    python manage.py send_digests weekly    # run once a week (on Monday) from cron

Each person gets at most one summary per day (or week), however often this runs.
"""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Queue the daily or weekly e-mail summaries."

    def add_arguments(self, parser):
        parser.add_argument("period", choices=["daily", "weekly"])

    def handle(self, *args, period: str, **options):
        from nhs_citizen.notifications.tasks import send_digests

        result = send_digests.enqueue(period)
        self.stdout.write(f"Queued the {period} summaries (job {result.id}).")
