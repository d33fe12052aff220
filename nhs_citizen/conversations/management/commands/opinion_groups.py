"""manage.py opinion_groups SLUG --json: each participant's opinion group and the consensus
statements, with ids as in the conversation's export. Works the map out if none is stored."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Show a conversation's opinion groups and consensus statements."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--json", action="store_true", help="Print JSON (for programs)")

    def handle(self, *args, slug: str, json: bool, **options) -> None:
        from nhs_citizen.conversations.models import Conversation
        from nhs_citizen.conversations.services.polis import opinion_groups

        conversation = Conversation.objects.filter(slug=slug).first()
        if conversation is None:
            raise CommandError(f"There is no conversation called “{slug}”.")
        found = opinion_groups(conversation)
        if json:
            self.stdout.write(_dumps(found))
            return
        groups: dict[int, int] = {}
        for group in found["participants"].values():
            groups[group] = groups.get(group, 0) + 1
        for group, size in sorted(groups.items()):
            self.stdout.write(f"Group {group}: {size} participants")
        self.stdout.write(
            f"Consensus statements: {', '.join(map(str, found['consensus'])) or 'none'}"
        )


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)
