"""The audit log: an append-only, hash-chained record of who did what, when and why.

Entries are written explicitly by services through ``record_audit_entry`` (never by signals).
"""

from __future__ import annotations

import datetime as dt
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
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            # The public audit page: public entries newest first, a page at a time by sequence.
            models.Index(
                fields=["-sequence"],
                condition=models.Q(is_public=True),
                name="core_audit_public_seq_idx",
            ),
        ]

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


class AuditCheckpointQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Audit checkpoints cannot be changed.")


class AuditCheckpoint(models.Model):
    """A signed statement that the chain was intact up to entry ``sequence`` with ``entry_hash``.

    Written by a daily job only after checking the chain from the checkpoint before it, so
    ``verify_audit_log`` can start from here instead of from entry 1. Public: anyone may record
    them. The sequence and hash are plain values, not a foreign key, so a deleted entry cannot
    take its checkpoint with it."""

    sequence = models.PositiveBigIntegerField(unique=True, editable=False)
    entry_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(editable=False)
    signature = models.CharField(max_length=64, editable=False)

    objects = AuditCheckpointQuerySet.as_manager()

    class Meta:
        ordering = ["-sequence"]

    def __str__(self) -> str:
        return f"Checkpoint at entry {self.sequence}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit checkpoints cannot be changed.")
        super().save(*args, **kwargs)

    @property
    def signed_time(self) -> str:
        """The time as it is signed: UTC, ISO 8601, always with microseconds."""
        return self.created_at.astimezone(dt.UTC).isoformat(timespec="microseconds")
