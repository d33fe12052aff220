"""Make or update the stock-take agenda of every cycle whose stock-take is near. Run it daily
(for example from cron); running it again changes nothing unless a commitment changed."""

from django.core.management.base import BaseCommand, CommandError

from nhs_citizen.assembly.models import Cycle
from nhs_citizen.tracker.services.stocktake import (
    LEAD_DAYS,
    do_generate_due_stocktakes,
    do_generate_stocktake,
)


class Command(BaseCommand):
    help = (
        f"Make the stock-take agenda of each cycle whose stock-take is within {LEAD_DAYS} days "
        "from the tracker's open and overdue commitments (or of one cycle, with --cycle)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cycle", help="The slug of one cycle, to make its agenda now.")

    def handle(self, *args, cycle=None, **options):
        if cycle:
            found = Cycle.objects.filter(slug=cycle).first()
            if found is None:
                raise CommandError(f"There is no cycle {cycle!r}.")
            items = do_generate_stocktake(found)
            self.stdout.write(f"{found.name}: {len(items)} items on the stock-take agenda.")
            return
        cycles = do_generate_due_stocktakes()
        if not cycles:
            self.stdout.write("No cycle's stock-take is near.")
        for found in cycles:
            count = found.stocktake_items.count()
            self.stdout.write(f"{found.name}: {count} items on the stock-take agenda.")
