"""manage.py import_polis DIR: import a Pol.is openData export folder as a closed
conversation. Prints the new conversation's slug as the last word."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Import a Pol.is export folder (comments.csv with votes.csv or participants-votes.csv)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("folder", help="The export folder")
        parser.add_argument("--question", default="", help="The question to show (optional)")

    def handle(self, *args, folder: str, question: str, **options) -> None:
        from nhs_citizen.conversations.services.polis import do_import_polis

        try:
            conversation = do_import_polis(Path(folder), question=question)
        except (ValueError, OSError) as error:
            raise CommandError(f"Nothing was imported. {error}") from None
        self.stdout.write(
            f"Imported {conversation.statements.count()} statements and "
            f"{conversation.vote_count} votes as a closed conversation: {conversation.slug}"
        )
