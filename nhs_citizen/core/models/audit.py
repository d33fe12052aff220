"""The audit log: an append-only, hash-chained record of who did what, when and why.

Entries are written explicitly by services through ``record_audit_entry`` (never by signals).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from nhs_citizen.core import audit_chain


class AppendOnlyError(Exception):
    pass


class AuditEntryQuerySet(models.QuerySet):
    def public(self) -> AuditEntryQuerySet:
        return self.filter(is_public=True)

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Audit entries cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit entries cannot be deleted.")


class AuditEntry(models.Model):
    sequence = models.PositiveBigIntegerField(unique=True, editable=False)
    created_at = models.DateTimeField(editable=False)
    # A foreign key for reading, but hashed as a plain number. Accounts are anonymised, never
    # removed, so the reference stays valid and carries no personal data once anonymised.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    action = models.CharField(max_length=80, db_index=True)
    summary = models.CharField(max_length=300)
    target_type = models.CharField(max_length=80, blank=True)
    target_id = models.CharField(max_length=80, blank=True)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    is_public = models.BooleanField(default=False, db_index=True)
    previous_hash = models.CharField(max_length=64, unique=True, editable=False)
    entry_hash = models.CharField(max_length=64, unique=True, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-sequence"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.sequence}: {self.summary}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit entries cannot be deleted.")

    def hashed_content(self) -> dict[str, Any]:
        return {
            "sequence": self.sequence,
            "created_at": self.created_at.isoformat(),
            "actor_id": self.actor_id,
            "action": self.action,
            "summary": self.summary,
            "target_type": self.target_type,
            "target_id": self.target_id,
            "reason": self.reason,
            "data": self.data,
            "is_public": self.is_public,
            "previous_hash": self.previous_hash,
        }

    def compute_hash(self) -> str:
        return audit_chain.entry_hash(self.hashed_content())
