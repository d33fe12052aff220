"""The audit log's hash chain, as plain functions with no Django imports.

Each entry's hash covers its own content and the hash of the entry before it, so changing or
removing any entry breaks every link after it. Publishing the newest hash (the "head") lets
anyone check later that nothing was cut off the end.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS_HASH = "0" * 64

HASHED_FIELDS = (
    "sequence",
    "created_at",
    "actor_id",
    "action",
    "summary",
    "target_type",
    "target_id",
    "reason",
    "data",
    "is_public",
    "previous_hash",
)


def canonical_json(content: Mapping[str, Any]) -> str:
    return json.dumps(
        {name: content[name] for name in HASHED_FIELDS},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )


def entry_hash(content: Mapping[str, Any]) -> str:
    """SHA-256 of the entry's canonical JSON (which includes the previous entry's hash)."""
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Problem:
    sequence: int | None
    message: str

    def __str__(self) -> str:
        where = f"Entry {self.sequence}" if self.sequence is not None else "The log"
        return f"{where}: {self.message}"


def verify_chain(
    entries: Iterable[Mapping[str, Any]],
    checkpoint: tuple[int, str] | None = None,
    *,
    start: tuple[int, str] | None = None,
) -> list[Problem]:
    """Check entries (in sequence order) and return every problem found; empty means intact.

    Each mapping holds the hashed fields plus ``entry_hash`` as stored. A checkpoint is a
    (sequence, hash) pair published earlier: the entry with that sequence must still be there
    with that hash, which catches entries cut off the end of the log.

    ``start`` is a trusted (sequence, hash) pair, such as a signed checkpoint: the entries then
    begin just after it, and the first must link to that hash. Without it they begin at 1.
    """
    problems: list[Problem] = []
    previous_hash = start[1] if start else GENESIS_HASH
    expected_sequence = start[0] + 1 if start else 1
    checkpoint_seen = False
    for entry in entries:
        sequence = entry["sequence"]
        if sequence != expected_sequence:
            problems.append(
                Problem(
                    sequence,
                    f"expected entry {expected_sequence} here: entries are missing or out of order",
                )
            )
            expected_sequence = sequence
        if entry["previous_hash"] != previous_hash:
            problems.append(
                Problem(
                    sequence,
                    "does not link to the entry before it (an entry was removed or changed)",
                )
            )
        recomputed = entry_hash(entry)
        if recomputed != entry["entry_hash"]:
            problems.append(
                Problem(sequence, "its content does not match its hash (it was changed)")
            )
        if checkpoint is not None and sequence == checkpoint[0]:
            checkpoint_seen = True
            if entry["entry_hash"] != checkpoint[1]:
                problems.append(Problem(sequence, "its hash is not the one published for it"))
        previous_hash = entry["entry_hash"]
        expected_sequence += 1
    if checkpoint is not None and not checkpoint_seen:
        problems.append(
            Problem(
                checkpoint[0],
                "was published but is no longer in the log (entries were removed from the end)",
            )
        )
    return problems


# Signed checkpoints ----------------------------------------------------------------------------
# A checkpoint says "the chain was intact up to entry SEQUENCE, whose hash was HASH, at TIME".
# It is signed with HMAC-SHA256 so a later check can start from it instead of from entry 1.
# The key is derived from a secret (SECRET_KEY, or AUDIT_SIGNING_KEY when set), never stored.

_KEY_CONTEXT = b"nhs-citizen/audit-checkpoint/v1"


def checkpoint_key(secret: str) -> bytes:
    """The signing key for checkpoints, derived from the site's secret for this one purpose."""
    return hmac.new(_KEY_CONTEXT, secret.encode("utf-8"), hashlib.sha256).digest()


def checkpoint_message(sequence: int, entry_hash: str, created_at: str) -> bytes:
    return f"{int(sequence)}|{entry_hash}|{created_at}".encode()


def sign_checkpoint(key: bytes, sequence: int, entry_hash: str, created_at: str) -> str:
    """Hex HMAC-SHA256 over (sequence, hash, time); ``created_at`` is an ISO 8601 string."""
    message = checkpoint_message(sequence, entry_hash, created_at)
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def checkpoint_signature_is_valid(
    key: bytes, sequence: int, entry_hash: str, created_at: str, signature: str
) -> bool:
    expected = sign_checkpoint(key, sequence, entry_hash, created_at)
    return hmac.compare_digest(expected, str(signature))
