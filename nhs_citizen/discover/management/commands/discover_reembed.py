"""Embed every Discover statement again, after the embedding (or the feeling model) changed.

    manage.py discover_reembed                 embed again and score the feeling again
    manage.py discover_reembed --vectors-only  embed again, keep the feelings as they are
    manage.py discover_reembed --from-id N     carry on after statement N (a stopped run says N)
    manage.py discover_reembed --find-topics   then find topics again from the new vectors

Works in chunks, each saved whole or not at all, and prints where it got to: safe to stop at
any time and run again from there. One run at a time.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from nhs_citizen.discover.services import pipeline, reembed


class Command(BaseCommand):
    help = "Embed (and score) every Discover statement again; safe to stop and run again."

    def add_arguments(self, parser):
        parser.add_argument("--from-id", type=int, default=0, help="Start after this statement.")
        parser.add_argument("--chunk", type=int, default=reembed.CHUNK, help="Statements at once.")
        parser.add_argument(
            "--vectors-only", action="store_true", help="Keep the feelings as they are."
        )
        parser.add_argument(
            "--find-topics", action="store_true", help="Find topics again afterwards."
        )

    def handle(self, *args, **options):
        if options["chunk"] < 1:
            raise CommandError("--chunk must be 1 or more.")
        if options["from_id"] < 0:
            raise CommandError("--from-id must be 0 or more.")

        def progress(done: int, last: int) -> None:
            self.stdout.write(f"{done:,} done, up to statement {last}")

        batch = reembed.do_reembed(
            after_pk=options["from_id"],
            chunk=options["chunk"],
            feeling=not options["vectors_only"],
            progress=progress,
        )
        if batch is None:
            raise CommandError("Another run is embedding statements again now. Try later.")
        self.stdout.write(self.style.SUCCESS(batch.message))
        if options["find_topics"]:
            found = pipeline.do_recluster(reason="Asked for after embedding again")
            self.stdout.write(found.message if found else "Another worker is finding topics now.")
