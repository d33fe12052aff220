"""Writing to the audit log. Every service that changes something that matters calls this."""

from __future__ import annotations

from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from nhs_citizen.core import audit_chain
from nhs_citizen.core.models import AuditEntry

# One number for PostgreSQL's advisory lock, so that two writers never fork the chain.
_AUDIT_LOCK_KEY = 7_104_2013


def _target_reference(target: models.Model | None) -> tuple[str, str]:
    if target is None:
        return "", ""
    return target._meta.label_lower, str(target.pk)


def record_audit_entry(
    *,
    actor: Any,
    action: str,
    summary: str,
    target: models.Model | None = None,
    reason: str = "",
    data: dict[str, Any] | None = None,
    public: bool = False,
) -> AuditEntry:
    """Append one entry to the chain. Call it inside the transaction that makes the change,
    so the change and its record land together or not at all."""
    actor_id = (
        getattr(actor, "pk", None)
        if actor is not None and getattr(actor, "is_authenticated", True)
        else None
    )
    target_type, target_id = _target_reference(target)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_AUDIT_LOCK_KEY])
        # On SQLite, transactions are IMMEDIATE (see settings): only one writer at a time.
        last = AuditEntry.objects.order_by("-sequence").values("sequence", "entry_hash").first()
        entry = AuditEntry(
            sequence=(last["sequence"] + 1) if last else 1,
            created_at=timezone.now(),
            actor_id=actor_id,
            action=action,
            summary=summary[:300],
            target_type=target_type,
            target_id=target_id,
            reason=reason,
            data=data or {},
            is_public=public,
            previous_hash=last["entry_hash"] if last else audit_chain.GENESIS_HASH,
        )
        entry.entry_hash = entry.compute_hash()
        entry.save()
    return entry


def verify_audit_log(checkpoint: tuple[int, str] | None = None) -> list[audit_chain.Problem]:
    """Recompute every hash in the log and report each problem found."""

    def rows():
        for entry in AuditEntry.objects.order_by("sequence").iterator(chunk_size=2000):
            content = entry.hashed_content()
            content["entry_hash"] = entry.entry_hash
            yield content

    return audit_chain.verify_chain(rows(), checkpoint=checkpoint)


def audit_head() -> dict[str, Any]:
    last = (
        AuditEntry.objects.order_by("-sequence")
        .values("sequence", "entry_hash", "created_at")
        .first()
    )
    if not last:
        return {"sequence": 0, "entry_hash": audit_chain.GENESIS_HASH, "created_at": None}
    return last
