"""Process waiting Discover items in batches, and find topics again if asked.

    python manage.py discover_process [--find-topics]

Safe to stop at any time and run again: a batch is saved whole or not at all.
"""

from django.core.management.base import BaseCommand

from nhs_citizen.discover.services import pipeline


class Command(BaseCommand):
    help = "Process waiting Discover items; optionally find topics again."

    def add_arguments(self, parser):
        parser.add_argument("--find-topics", action="store_true")
        parser.add_argument("--max-batches", type=int, default=None)

    def handle(self, *args, **options):
        done = pipeline.do_process_waiting(max_batches=options["max_batches"])
        self.stdout.write(f"Processed {done} waiting items.")
        if options["find_topics"]:
            batch = pipeline.do_recluster(reason="Asked for from the command line")
            self.stdout.write(batch.message if batch else "Another worker is finding topics now.")
