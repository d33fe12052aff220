"""Backstop for the background job: embed flags and find their similar flags.

    manage.py find_similar_flags            flags never done (no vector, or not yet looked for)
    manage.py find_similar_flags --all      every visible flag again (for example after changing
                                            the model); --from-id N carries on from flag N
    manage.py find_similar_flags --rebuild  rebuild the vector index from the database first

Works in batches, in order of flag number, and prints where it got to: safe to stop at any time
and run again.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from nhs_citizen.core import embeddings
from nhs_citizen.gather import similarity
from nhs_citizen.gather.models import Flag
from nhs_citizen.gather.services import similar


class Command(BaseCommand):
    help = "Embed flags and store their most similar flags (safe to stop and run again)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Every visible flag, again.")
        parser.add_argument("--from-id", type=int, default=0, help="Start after this flag.")
        parser.add_argument("--batch", type=int, default=500, help="Flags done at once.")
        parser.add_argument("--rebuild", action="store_true", help="Rebuild the index first.")

    def handle(self, *args, **options):
        batch = max(1, options["batch"])
        flags = Flag.objects.visible().order_by("pk")
        if not options["all"]:
            flags = flags.filter(embedding__isnull=True) | flags.filter(
                similar_found_at__isnull=True
            )
        # First embed, in batches (much faster than one at a time), then find neighbours.
        last = options["from_id"]
        embedded = 0
        while True:
            rows = list(
                flags.filter(pk__gt=last, embedding__isnull=True).values_list(
                    "pk", "title", "what_should_change"
                )[:batch]
            )
            if not rows:
                break
            vectors = embeddings.embed([similarity.flag_text(t, w) for _, t, w in rows])
            for (pk, _, _), vector in zip(rows, vectors, strict=True):
                Flag.objects.filter(pk=pk).update(embedding=embeddings.to_bytes(vector))
            embedded += len(rows)
            last = rows[-1][0]
        # Once for the whole run: the index then holds every vector, including those just made.
        index = similar.fresh_flag_index(rebuild=options["rebuild"])
        last = options["from_id"]
        done = 0
        while True:
            ids = list(flags.filter(pk__gt=last).values_list("pk", flat=True)[:batch])
            if not ids:
                break
            similar.do_find_similar_flags_in_bulk(ids, index)
            done += len(ids)
            last = ids[-1]
            if done % (batch * 20) < batch:
                self.stdout.write(f"Up to flag {last}: {done} flags done")
        self.stdout.write(
            self.style.SUCCESS(f"Embedded {embedded} flags; found similar flags for {done}.")
        )
