"""Queue the site's periodic jobs that are due (the open-data files at 02:00, the daily e-mail
summaries at 07:00, the weekly ones on Mondays at 07:00, the audit checkpoint at 01:30, UK time),
each once per period.

    python manage.py run_schedule            # once (for cron, every few minutes)
    python manage.py run_schedule --loop 60  # every 60 seconds until stopped (run_site does this)
"""

import time

from django.core.management.base import BaseCommand, CommandError

from nhs_citizen.core.services.schedule import do_run_schedule


class Command(BaseCommand):
    help = "Queue the periodic jobs that are due, each once per period."

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Keep running, checking every SECONDS seconds.",
        )

    def handle(self, *args, **options):
        every = options["loop"]
        if every < 0:
            raise CommandError("--loop must be a number of seconds, 1 or more")
        while True:
            for name in do_run_schedule():
                self.stdout.write(f"Queued {name}.")
            if not every:
                return
            time.sleep(every)
