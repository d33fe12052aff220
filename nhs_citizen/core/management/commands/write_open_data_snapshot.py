"""Write today's bulk open-data files. Run it nightly from cron.

    python manage.py write_open_data_snapshot [--date YYYY-MM-DD]

Writes ``<OPEN_DATA_SNAPSHOT_DIR>/<date>/`` with a JSON Lines and a CSV file for every public
dataset, ``SHA256SUMS`` and ``manifest.json``, then keeps only the newest
``OPEN_DATA_SNAPSHOTS_KEEP`` snapshots. Safe to run again: the day's snapshot is replaced whole.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Write today's bulk open-data files with SHA-256 checksums, and prune old ones."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="The snapshot's date, YYYY-MM-DD (default: today).")

    def handle(self, *args, **options):
        from nhs_citizen.core.services.open_data_snapshot import write_snapshot

        day = None
        if options["date"]:
            try:
                day = date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(
                    f"--date must be a date like 2026-12-04, not {options['date']!r}."
                ) from error
        result = write_snapshot(day)
        for entry in result.files:
            self.stdout.write(f"{entry['sha256']}  {entry['size']:>12}  {entry['name']}")
        self.stdout.write(f"Snapshot written to {result.path}.")
        if result.pruned:
            self.stdout.write(f"Deleted old snapshots: {', '.join(result.pruned)}.")
