"""Queue a background check of every revealed draw that has never been checked, for example
draws revealed before checks were kept. With --again, check every revealed draw again.

    python manage.py check_draws [--again]

The public check page of each draw shows the result once the job has run. Draws made the old
way (format v1, lottery made after the seed) are checked too: their check says why such a draw
cannot be confirmed. Safe to run again.
"""

from django.core.management.base import BaseCommand

from nhs_citizen.panels.services import jobs


class Command(BaseCommand):
    help = "Queue background checks of revealed draws that have not been checked."

    def add_arguments(self, parser):
        parser.add_argument("--again", action="store_true", help="Check every revealed draw again.")

    def handle(self, *args, **options):
        queued = jobs.do_queue_missing_checks(again=options["again"])
        self.stdout.write(f"Queued {queued} check(s) of draws.")
