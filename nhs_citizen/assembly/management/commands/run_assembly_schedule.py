"""Keep the Assembly timetable: cut off flags, open and close the priority vote when due.

    python manage.py run_assembly_schedule

The background worker already runs this at each cycle's published times; run this command
from cron (every few minutes) as well, so that a missed job is caught up. It is idempotent.
It also counts each published vote again once a day and stores whether it still matches (the
cycle's page shows that stored answer).
"""

from django.core.management.base import BaseCommand

from nhs_citizen.assembly.services.schedule import run_assembly_schedule
from nhs_citizen.assembly.services.stages import do_recheck_counts


class Command(BaseCommand):
    help = "Cut off flags and open or close the priority vote for every cycle whose time has come."

    def handle(self, *args, **options):
        done = run_assembly_schedule()
        done += do_recheck_counts()
        for line in done:
            self.stdout.write(line)
        if not done:
            self.stdout.write("Nothing was due.")
