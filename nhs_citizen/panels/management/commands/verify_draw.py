"""Check a draw from its published file, step by step (ADR 0021):

- the inputs, lottery, chances and proof are the ones whose SHA-256 codes were published, and
  the steps happened in order (inputs fixed, lottery published, seed committed, public value
  known and typed in);
- every panel in the lottery meets the quotas and the household rule;
- everyone is on at least floor(m p_min) panels and within one of m p;
- the lowest chance is the best possible (the LP bound, from the published proof);
- the secret matches its commitment, and the final seed mixes it with the public value;
- the panel and the reserves follow from the final seed.

    python manage.py verify_draw panel-12-draw.json [--public-value "7 12 23 31 40 52"]

Download the file from the panel's public page. Give --public-value as you looked it up
yourself for the value named in the file, to check it is the one used. Compare the codes this
prints with the public audit log. Exits with status 1 and lists each problem if the draw does
not check out; files in the old format (v1) are refused with the reason.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from nhs_citizen.panels import selection


class Command(BaseCommand):
    help = "Check a published draw file, every step, and list any problem in plain English."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The draw's JSON file, from the panel's public page.")
        parser.add_argument(
            "--public-value",
            help="The public random value as you looked it up for the draw named in the file.",
        )

    def handle(self, *args, **options):
        try:
            with open(options["file"], encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError) as error:
            raise CommandError(f"Could not read the file: {error}") from error
        if not isinstance(data, dict):
            raise CommandError("The file is not a published draw: it should be a JSON object.")
        problems = selection.check_published_file(data, public_value=options["public_value"])
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"The draw does not check out: {len(problems)} problem(s).")
        commitment = data["seed_commitment"]
        result = data["result"]
        self.stdout.write(
            "The draw checks out.\n"
            f"Inputs fixed {data['inputs_frozen_at']}, SHA-256 {data['inputs_sha256']}\n"
            f"Lottery published {data['lottery_published_at']}, SHA-256 {data['lottery_sha256']}\n"
            f"  chances SHA-256 {data['probabilities_sha256']}\n"
            f"  proof SHA-256 {data['certificate_sha256']}\n"
            f"Seed committed {commitment['committed_at']}, SHA-256 {commitment['secret_sha256']}\n"
            f"Public value: {commitment['public_value_name']} = {data['public_value']['value']}\n"
            f"Panel {result['lottery_index'] + 1} of {len(data['lottery']['panels'])}: "
            f"{len(result['selected'])} people and {len(result['reserves'])} reserves.\n"
            "Compare these codes and times with the public audit log."
            + (
                ""
                if options["public_value"]
                else "\nTo check the public value too, look it up and give it as --public-value."
            )
        )
