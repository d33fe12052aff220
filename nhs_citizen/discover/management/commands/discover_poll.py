"""Fetch from every Discover source that is due, then process what came in.

    python manage.py discover_poll

Run it from cron every few minutes as a backstop to the queued jobs. Safe to run again: a
source that is not yet due is left alone. Also brings the dashboard's figures up to date when
they are more than an hour old (its periods, such as "last 7 days", count back from then).
"""

from django.core.management.base import BaseCommand

from nhs_citizen.discover.services import figures, pipeline, sources


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
        if figures.figures_are_stale():
            pipeline.refresh_topic_stats()
            self.stdout.write(figures.do_refresh_figures())
