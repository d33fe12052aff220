"""Check a draw from its published file: the seed matches its code, and the inputs and seed give
the same chances, lottery, panel and reserves.

    python manage.py verify_draw panel-12-draw.json

Download the file from the panel's public page. Exits with status 1 and lists each problem if
the draw does not check out.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from nhs_citizen.panels import selection


class Command(BaseCommand):
    help = "Recompute a published draw and compare it with the published result."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The draw's JSON file, from the panel's public page.")

    def handle(self, *args, **options):
        try:
            with open(options["file"], encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError) as error:
            raise CommandError(f"Could not read the file: {error}") from error
        seed = data.get("seed")
        if not seed:
            raise CommandError(
                "The seed has not been revealed in this file yet, so the draw cannot be checked."
            )
        problems = selection.check_published_file(data)
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"The draw does not check out: {len(problems)} problem(s).")
        self.stdout.write(
            f"The draw checks out: the same {len(data['result']['selected'])} people and reserves."
        )
