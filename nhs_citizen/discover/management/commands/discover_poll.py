"""Fetch from every Discover source that is due, then process what came in.

    python manage.py discover_poll

Run it from cron every few minutes as a backstop to the queued jobs. Safe to run again: a
source that is not yet due is left alone.
"""

from django.core.management.base import BaseCommand

from nhs_citizen.discover.services import pipeline, sources


class Command(BaseCommand):
    help = "Fetch from Discover sources that are due, then process waiting items."

    def add_arguments(self, parser):
        parser.add_argument("--no-process", action="store_true", help="Only fetch.")

    def handle(self, *args, **options):
        for batch in sources.do_poll_due_sources():
            self.stdout.write(f"{batch.source}: {batch.get_status_display()}. {batch.message}")
        if not options["no_process"]:
            done = pipeline.do_process_waiting()
            self.stdout.write(f"Processed {done} waiting items.")
