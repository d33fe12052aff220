"""Read-only questions about core's data for the open data: the audit log's links, as the
downloads, the API's bulk files and the nightly snapshots give them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from nhs_citizen.accounts.models import User
from nhs_citizen.core.audit_credit import CreditedEntry, public_credits
from nhs_citizen.core.models.audit import AuditEntry
from nhs_citizen.core.services.audit import iterate_by_sequence

_EXPORT_CHUNK = 1000
_EXPORT_FIELDS = (
    "sequence",
    "previous_hash",
    "entry_hash",
    "is_public",
    "created_at",
    "actor_id",
    "action",
    "summary",
    "target_type",
    "target_id",
    "reason",
    "data",
)


def audit_export_rows(upto: int) -> Iterator[dict[str, Any]]:
    """Every link of the chain up to ``upto``, with the content of public entries only.

    Private entries show only their number and hashes, which is enough to check that the
    chain is unbroken without revealing what they say. Read in keyset chunks by sequence;
    who acted is worked out once per chunk."""
    rows = AuditEntry.objects.values(*_EXPORT_FIELDS)
    chunk: list[dict[str, Any]] = []
    # Small chunks, so the first bytes leave quickly: a query per thousand rows costs little.
    for row in iterate_by_sequence(rows, upto=upto, chunk_size=_EXPORT_CHUNK):
        chunk.append(row)
        if len(chunk) == _EXPORT_CHUNK:
            yield from _export_chunk(chunk)
            chunk = []
    yield from _export_chunk(chunk)


def _export_chunk(chunk: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    public = [row for row in chunk if row["is_public"]]
    credits = public_credits(
        [
            CreditedEntry(
                sequence=row["sequence"],
                action=row["action"],
                actor_id=row["actor_id"],
                target_type=row["target_type"],
                target_id=row["target_id"],
                data=row["data"],
            )
            for row in public
        ]
    )
    # Only citizens' own actions carry a name (ADR 0026): staff are credited by organisation
    # and role. The account number stays, as every public entry's hash covers it: withholding
    # it would stop people checking the entry, and hide nothing, since trying each number
    # against the published hash finds it.
    citizen_ids = {row["actor_id"] for row in public if credits[row["sequence"]] is None}
    names = {
        user.pk: user.public_name
        for user in User.objects.filter(pk__in=citizen_ids).only("display_name", "deleted_at")
    }
    for row in chunk:
        link = {
            "sequence": row["sequence"],
            "previous_hash": row["previous_hash"],
            "entry_hash": row["entry_hash"],
            "is_public": row["is_public"],
        }
        if row["is_public"]:
            credit = credits[row["sequence"]]
            if row["actor_id"] is None:
                actor = None
            else:
                actor = names.get(row["actor_id"]) if credit is None else credit
            link.update(
                {
                    "created_at": row["created_at"].isoformat(),
                    "actor_id": row["actor_id"],
                    "actor": actor,
                    "action": row["action"],
                    "summary": row["summary"],
                    "target_type": row["target_type"],
                    "target_id": row["target_id"],
                    "reason": row["reason"],
                    "data": row["data"],
                }
            )
        yield link
