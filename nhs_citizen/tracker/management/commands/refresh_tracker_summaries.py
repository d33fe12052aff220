"""Count every body's commitments again for the tracker's pages. Run it daily just after
midnight (for example from cron): a commitment becomes overdue when a day passes. Safe to run
again at any time."""

from django.core.management.base import BaseCommand

from nhs_citizen.tracker.services.summaries import do_refresh_tracker_summaries


class Command(BaseCommand):
    help = "Count every body's commitments again (open, overdue, done, not done) for the tracker."

    def handle(self, *args, **options):
        totals = do_refresh_tracker_summaries()
        self.stdout.write(
            f"{totals.bodies} bodies, {totals.total} commitments, {totals.overdue} overdue, "
            f"as of {totals.as_of.isoformat()}."
        )
