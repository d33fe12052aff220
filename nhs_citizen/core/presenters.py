"""View models for core pages."""

from __future__ import annotations

from dataclasses import dataclass

from nhs_citizen.core.models import AuditEntry


@dataclass
class AuditEntryRow:
    entry: AuditEntry
    show_private: bool

    @property
    def who(self) -> str:
        actor = self.entry.actor
        if actor is None:
            return "NHS Citizen (automatic)"
        if self.entry.action.startswith("moderation.") and not self.show_private:
            # Moderators act for the service; naming them in public invites harassment.
            return "A moderator"
        return actor.public_name

    @property
    def summary(self) -> str:
        return self.entry.summary


def audit_rows(entries, show_private: bool = False) -> list[AuditEntryRow]:
    return [AuditEntryRow(entry, show_private) for entry in entries]
