"""Fill the database with scale data: realistic, related rows at a chosen size (never in
production).

    python manage.py seed_scale                 # national size: 100,000 accounts, 100,000 flags…
    python manage.py seed_scale --scale 0.01    # every count times 0.01
    python manage.py seed_scale --fresh         # remove earlier scale (and demo) data first

It refuses to run on a database that already has scale data (unless --fresh) or that has
accounts which are neither demo nor scale accounts (unless --force). Scale accounts are
voter1@scale.nhs-citizen.test, voter2@… with the password Scale-password-2026.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from nhs_citizen.nonprod.scale import SCALE_DOMAIN, SCALE_PASSWORD, ScaleError, generate


class Command(BaseCommand):
    help = "Load scale data for benchmarks (never in production)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Multiplies every count (default 1.0)."
        )
        parser.add_argument("--seed", type=int, default=0, help="Random seed (default 0).")
        parser.add_argument(
            "--fresh",
            action="store_true",
            help="First remove every row that is not reference data: scale and demo data.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though the database has accounts that are not demo or scale ones.",
        )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Scale data is never loaded in production.")
        verbose = options["verbosity"] > 1

        def log(message: str) -> None:
            if verbose:
                self.stdout.write(message)

        try:
            result = generate(
                scale=options["scale"],
                seed=options["seed"],
                fresh=options["fresh"],
                force=options["force"],
                log=log,
            )
        except ScaleError as error:
            raise CommandError(str(error)) from error
        self.stdout.write("Table                                  Rows      Seconds")
        total_rows = 0
        for table, (rows, seconds) in sorted(result.timings.items(), key=lambda t: -t[1][1]):
            total_rows += rows
            self.stdout.write(f"{table:<34} {rows:>10,} {seconds:>10.1f}")
        self.stdout.write("")
        self.stdout.write("Step                                           Seconds")
        for step, seconds in result.steps.items():
            self.stdout.write(f"{step:<44} {seconds:>10.1f}")
        self.stdout.write("")
        for name, value in result.counts.items():
            self.stdout.write(f"{name}: {value:,}")
        for note in result.notes:
            self.stdout.write(note)
        sequence, head = result.audit_head
        self.stdout.write(
            f"Scale data loaded: {total_rows:,} rows in {result.seconds:.1f} s. Audit head "
            f"{sequence}:{head}. Sign in as voter1@{SCALE_DOMAIN} with {SCALE_PASSWORD}."
        )
