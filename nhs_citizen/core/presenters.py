"""View models for core pages."""

from __future__ import annotations

from dataclasses import dataclass

from nhs_citizen.core.audit_credit import CreditedEntry, public_credits
from nhs_citizen.core.models import AuditEntry


@dataclass
class AuditEntryRow:
    entry: AuditEntry
    show_private: bool
    # Who the public sees (organisation and role for staff), or None for a citizen's own action.
    credit: str | None

    @property
    def who(self) -> str:
        actor = self.entry.actor
        if actor is None or (self.credit is not None and not self.show_private):
            # Staff act for an organisation: the public log credits it and the role, never the
            # person (ADR 0026). Only the full log, for administrators, names them.
            return self.credit or ""
        if self.credit is None:
            return actor.public_name
        return f"{actor.public_name} ({self.credit})"

    @property
    def summary(self) -> str:
        return self.entry.summary


def credited(entry: AuditEntry) -> CreditedEntry:
    return CreditedEntry(
        sequence=entry.sequence,
        action=entry.action,
        actor_id=entry.actor_id,
        target_type=entry.target_type,
        target_id=entry.target_id,
        data=entry.data,
    )


def audit_rows(entries, show_private: bool = False) -> list[AuditEntryRow]:
    entries = list(entries)
    credits = public_credits([credited(entry) for entry in entries])
    return [AuditEntryRow(entry, show_private, credits[entry.sequence]) for entry in entries]
