"""Work out and store the culture-change league table's figures for every body. Run it from
cron every 15 minutes or so; the pages show the figures of the last run. Safe to run again."""

from django.core.management.base import BaseCommand

from nhs_citizen.culture.services.figures import ALL_KINDS, do_refresh_culture_measures


class Command(BaseCommand):
    help = "Work out and store every body's culture-change figures (answers and commitments)."

    def handle(self, *args, **options):
        for run in do_refresh_culture_measures():
            self.stdout.write(
                f"{run.period}: {run.ranked.get(ALL_KINDS, 0)} bodies ranked, as of "
                f"{run.as_of.isoformat()}."
            )
