"""Writing to the audit log, checking it, and signing checkpoints of it.

Every service that changes something that matters calls ``record_audit_entry``.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from nhs_citizen.core import audit_chain
from nhs_citizen.core.dates import when_words
from nhs_citizen.core.models.audit import AuditCheckpoint, AuditEntry

logger = logging.getLogger("nhs_citizen.audit")

# One number for PostgreSQL's advisory lock, so that two writers never fork the chain.
_AUDIT_LOCK_KEY = 7_104_2013

# The columns a hash covers, in the order read for checking (then the stored hash).
_CHAIN_COLUMNS = (*audit_chain.HASHED_FIELDS, "entry_hash")
_CHUNK_SIZE = 5000


# Time spent waiting for the audit lock -----------------------------------------------------------
# Every audited write on PostgreSQL waits for one advisory lock. These counters say how long:
# per process (``audit_lock_stats``) and per thread, so a request can report its own wait
# (``take_audit_lock_wait``, for a Server-Timing header or a benchmark).


class _LockStats:
    def __init__(self) -> None:
        self.guard = threading.Lock()
        self.waits = 0
        self.seconds = 0.0
        self.longest = 0.0
        self.local = threading.local()

    def add(self, seconds: float) -> None:
        with self.guard:
            self.waits += 1
            self.seconds += seconds
            self.longest = max(self.longest, seconds)
        self.local.seconds = getattr(self.local, "seconds", 0.0) + seconds


_lock_stats = _LockStats()


def audit_lock_stats() -> dict[str, float]:
    """How often this process waited for the audit lock and for how long, since the last reset."""
    with _lock_stats.guard:
        return {
            "waits": _lock_stats.waits,
            "wait_seconds": _lock_stats.seconds,
            "longest_wait_seconds": _lock_stats.longest,
        }


def reset_audit_lock_stats() -> None:
    with _lock_stats.guard:
        _lock_stats.waits = 0
        _lock_stats.seconds = 0.0
        _lock_stats.longest = 0.0


def take_audit_lock_wait() -> float:
    """Seconds this thread has waited for the audit lock since it last asked, and start again."""
    seconds = getattr(_lock_stats.local, "seconds", 0.0)
    _lock_stats.local.seconds = 0.0
    return seconds


def _take_audit_lock() -> None:
    if connection.vendor != "postgresql":
        # On SQLite, transactions are IMMEDIATE (see settings): only one writer at a time.
        return
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_AUDIT_LOCK_KEY])
    waited = time.perf_counter() - start
    _lock_stats.add(waited)
    logger.debug("Waited %.3f ms for the audit lock", waited * 1000)


# Writing ---------------------------------------------------------------------------------------


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
    so the change and its record land together or not at all.

    The lock is held until that transaction ends, so call it as late in the transaction as
    you can: everything after it waits for every other audited write."""
    actor_id = (
        getattr(actor, "pk", None)
        if actor is not None and getattr(actor, "is_authenticated", True)
        else None
    )
    target_type, target_id = _target_reference(target)
    # Everything that does not depend on the entry before is made outside the lock.
    entry = AuditEntry(
        actor_id=actor_id,
        action=action,
        summary=summary[:300],
        target_type=target_type,
        target_id=target_id,
        reason=reason,
        data=data or {},
        is_public=public,
    )
    # No savepoint: inside the caller's transaction it would cost two more round trips (one
    # while holding the lock), and if writing the entry fails the whole change must fail too.
    with transaction.atomic(savepoint=False):
        _take_audit_lock()
        # ORDER BY sequence DESC LIMIT 1: a backward scan of the unique index, one row.
        newest = list(
            AuditEntry.objects.order_by("-sequence").values_list("sequence", "entry_hash")[:1]
        )
        sequence, previous_hash = newest[0] if newest else (0, audit_chain.GENESIS_HASH)
        entry.sequence = sequence + 1
        entry.previous_hash = previous_hash
        entry.created_at = timezone.now()
        entry.entry_hash = entry.compute_hash()
        entry.save(force_insert=True)
    return entry


# Reading the chain -------------------------------------------------------------------------------


def audit_head() -> dict[str, Any]:
    """The newest entry's number (which is also how many entries there are), hash and time."""
    last = (
        AuditEntry.objects.order_by("-sequence")
        .values("sequence", "entry_hash", "created_at")
        .first()
    )
    if not last:
        return {"sequence": 0, "entry_hash": audit_chain.GENESIS_HASH, "created_at": None}
    return last


def iterate_by_sequence(
    queryset: models.QuerySet,
    *,
    after: int = 0,
    upto: int | None = None,
    chunk_size: int | None = None,
) -> Iterator[Any]:
    """Rows of an audit entry queryset in sequence order, one keyset chunk at a time
    (``WHERE sequence > last ORDER BY sequence LIMIT n``): constant memory, no OFFSET.

    For ``values_list`` querysets the sequence must come first; for ``values`` it must be a key.
    """
    chunk_size = chunk_size or _CHUNK_SIZE
    last = after
    while upto is None or last < upto:
        chunk_query = queryset.filter(sequence__gt=last)
        if upto is not None:
            chunk_query = chunk_query.filter(sequence__lte=upto)
        chunk = list(chunk_query.order_by("sequence")[:chunk_size])
        if not chunk:
            return
        yield from chunk
        if len(chunk) < chunk_size:
            return
        last = _sequence_of(chunk[-1])


def _sequence_of(row: Any) -> int:
    if isinstance(row, tuple):
        return row[0]
    if isinstance(row, dict):
        return row["sequence"]
    return row.sequence


# On PostgreSQL the rows are read with plain SQL: the database writes the time exactly as
# Python's isoformat() would (UTC, microseconds only when not zero) and hands over the JSON as
# text. That skips Django's and psycopg's per-row conversions: about five times faster.
_POSTGRESQL_CHAIN_SQL = """
SELECT sequence,
       CASE WHEN date_part('microseconds', created_at)::bigint %% 1000000 = 0
            THEN to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"')
            ELSE to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')
       END,
       actor_id, action, summary, target_type, target_id, reason, data::text, is_public,
       previous_hash, entry_hash
FROM {table}
WHERE sequence > %s AND sequence <= %s
ORDER BY sequence
LIMIT %s
"""


def _chain_rows_postgresql(after: int, upto: int) -> Iterator[dict[str, Any]]:
    sql = _POSTGRESQL_CHAIN_SQL.format(table=connection.ops.quote_name(AuditEntry._meta.db_table))
    names = _CHAIN_COLUMNS
    loads = json.loads
    last = after
    with connection.cursor() as cursor:
        while last < upto:
            cursor.execute(sql, [last, upto, _CHUNK_SIZE])
            chunk = cursor.fetchall()
            for row in chunk:
                content = dict(zip(names, row, strict=True))
                content["data"] = loads(content["data"])
                yield content
            if len(chunk) < _CHUNK_SIZE:
                return
            last = chunk[-1][0]


def _chain_rows(after: int, upto: int) -> Iterator[dict[str, Any]]:
    """The hashed content of entries after ``after`` up to ``upto``, as ``verify_chain`` wants."""
    if connection.vendor == "postgresql":
        yield from _chain_rows_postgresql(after, upto)
        return
    rows = AuditEntry.objects.values_list(*_CHAIN_COLUMNS)
    names = _CHAIN_COLUMNS
    for row in iterate_by_sequence(rows, after=after, upto=upto):
        content = dict(zip(names, row, strict=True))
        content["created_at"] = content["created_at"].isoformat()
        yield content


# Signed checkpoints ------------------------------------------------------------------------------


def _signing_key() -> bytes:
    secret = getattr(settings, "AUDIT_SIGNING_KEY", None) or settings.SECRET_KEY
    return audit_chain.checkpoint_key(secret)


def _verifying_keys() -> list[bytes]:
    """The signing key, then earlier ones still accepted after a key change: the
    ``AUDIT_SIGNING_KEY_FALLBACKS`` setting when a separate key is set, else Django's
    ``SECRET_KEY_FALLBACKS``."""
    if getattr(settings, "AUDIT_SIGNING_KEY", None):
        fallbacks = getattr(settings, "AUDIT_SIGNING_KEY_FALLBACKS", None) or []
    else:
        fallbacks = getattr(settings, "SECRET_KEY_FALLBACKS", None) or []
    return [_signing_key(), *(audit_chain.checkpoint_key(secret) for secret in fallbacks)]


def _signature_is_valid(checkpoint: AuditCheckpoint, keys: list[bytes]) -> bool:
    return any(
        audit_chain.checkpoint_signature_is_valid(
            key,
            checkpoint.sequence,
            checkpoint.entry_hash,
            checkpoint.signed_time,
            checkpoint.signature,
        )
        for key in keys
    )


def checkpoint_signature_is_valid(checkpoint: AuditCheckpoint) -> bool:
    return _signature_is_valid(checkpoint, _verifying_keys())


def latest_checkpoints(limit: int = 5) -> list[AuditCheckpoint]:
    return list(AuditCheckpoint.objects.order_by("-sequence")[:limit])


@dataclass
class AuditCheck:
    """What a check of the log found, and how much of the log it covered."""

    problems: list[audit_chain.Problem]
    head: dict[str, Any]
    full: bool
    # The signed checkpoint the check started from (None: from entry 1).
    started_from: AuditCheckpoint | None = None
    entries_checked: int = 0
    checkpoints_checked: int = 0

    @property
    def intact(self) -> bool:
        return not self.problems


@dataclass
class _Counter:
    count: int = 0


def check_audit_log(
    checkpoint: tuple[int, str] | None = None, full: bool = False, upto: int | None = None
) -> AuditCheck:
    """Check the chain and report each problem found.

    By default the check starts from the newest signed checkpoint whose signature is good: the
    entry there must still have the signed hash, and every entry after it is recomputed. With
    ``full``, every entry from the first is recomputed. Every checkpoint's signature, and the
    hash of the entry each one names, are checked either way (there is one a day, so few).

    ``checkpoint`` is a (sequence, hash) pair published earlier, such as the head shown on the
    audit page: that entry must still be there with that hash. ``upto`` stops the check at
    that entry instead of the newest."""
    problems: list[audit_chain.Problem] = []
    head = audit_head()
    if upto is not None and 0 < upto < head["sequence"]:
        at = (
            AuditEntry.objects.filter(sequence=upto)
            .values("sequence", "entry_hash", "created_at")
            .first()
        )
        if at is None:
            problems.append(audit_chain.Problem(upto, "is missing from the log"))
        head = at or {"sequence": upto, "entry_hash": "", "created_at": None}
    upto = head["sequence"]

    checkpoints = list(AuditCheckpoint.objects.order_by("sequence"))
    keys = _verifying_keys()
    good: list[AuditCheckpoint] = []
    for stored in checkpoints:
        if _signature_is_valid(stored, keys):
            good.append(stored)
        else:
            problems.append(
                audit_chain.Problem(
                    stored.sequence,
                    "its checkpoint's signature is wrong, so the checkpoint was not written by "
                    "NHS Citizen or was changed (it was ignored)",
                )
            )
    hashes_now = dict(
        AuditEntry.objects.filter(sequence__in=[c.sequence for c in good]).values_list(
            "sequence", "entry_hash"
        )
    )
    for stored in good:
        now = hashes_now.get(stored.sequence)
        if now is None:
            problems.append(
                audit_chain.Problem(
                    stored.sequence,
                    f"was checked and signed on {_when(stored)} but is no longer in the log "
                    "(entries were removed)",
                )
            )
        elif now != stored.entry_hash:
            problems.append(
                audit_chain.Problem(
                    stored.sequence,
                    f"its hash is not the one signed for it on {_when(stored)} (it was changed)",
                )
            )

    start = None if full or not good else good[-1]
    after = start.sequence if start else 0
    published_in_range = checkpoint is not None and (full or checkpoint[0] > after)
    counter = _Counter()

    def counted(rows: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for row in rows:
            counter.count += 1
            yield row

    chain_problems = audit_chain.verify_chain(
        counted(_chain_rows(after, upto)),
        checkpoint=checkpoint if published_in_range else None,
        start=(start.sequence, start.entry_hash) if start else None,
    )
    if full and good:
        chain_problems = [_before_checkpoint(problem, good) for problem in chain_problems]
    problems.extend(chain_problems)

    if checkpoint is not None and not published_in_range:
        # Before the signed checkpoint: that entry must still have the hash published for it.
        now = (
            AuditEntry.objects.filter(sequence=checkpoint[0])
            .values_list("entry_hash", flat=True)
            .first()
        )
        if now is None:
            problems.append(
                audit_chain.Problem(
                    checkpoint[0],
                    "was published but is no longer in the log (entries were removed)",
                )
            )
        elif now != checkpoint[1]:
            problems.append(
                audit_chain.Problem(checkpoint[0], "its hash is not the one published for it")
            )
    return AuditCheck(
        problems=problems,
        head=head,
        full=full,
        started_from=start,
        entries_checked=counter.count,
        checkpoints_checked=len(checkpoints),
    )


def _when(stored: AuditCheckpoint) -> str:
    return when_words(stored.created_at)


def _before_checkpoint(
    problem: audit_chain.Problem, good: list[AuditCheckpoint]
) -> audit_chain.Problem:
    """Say when a problem lies before a signed checkpoint: the change came after that check."""
    if problem.sequence is None:
        return problem
    covering = next((c for c in good if c.sequence >= problem.sequence), None)
    if covering is None:
        return problem
    return audit_chain.Problem(
        problem.sequence,
        f"{problem.message}. This entry is before the checkpoint at entry {covering.sequence}, "
        f"which found the log intact on {_when(covering)}: it was changed after that",
    )


def verify_audit_log(
    checkpoint: tuple[int, str] | None = None, full: bool = False
) -> list[audit_chain.Problem]:
    """Every problem found in the chain (see ``check_audit_log``); empty means intact."""
    return check_audit_log(checkpoint=checkpoint, full=full).problems


@dataclass
class CheckpointResult:
    checkpoint: AuditCheckpoint | None
    created: bool
    problems: list[audit_chain.Problem]


def do_write_audit_checkpoint(upto: int | None = None) -> CheckpointResult:
    """Sign a checkpoint at the newest entry (or at entry ``upto``), after checking the chain
    from the checkpoint before.

    Safe to run again: with no new entries since the last checkpoint it writes nothing. If the
    check finds a problem, it writes nothing and returns the problems."""
    latest = AuditCheckpoint.objects.order_by("-sequence").first()
    head = audit_head()
    target = head["sequence"] if upto is None else min(upto, head["sequence"])
    if target <= 0 or (latest is not None and latest.sequence >= target):
        return CheckpointResult(checkpoint=latest, created=False, problems=[])
    check = check_audit_log(upto=target)
    if check.problems:
        logger.error("Audit checkpoint not written: %d problem(s) in the log", len(check.problems))
        return CheckpointResult(checkpoint=None, created=False, problems=check.problems)
    new = AuditCheckpoint(
        sequence=check.head["sequence"],
        entry_hash=check.head["entry_hash"],
        created_at=timezone.now(),
    )
    new.signature = audit_chain.sign_checkpoint(
        _signing_key(), new.sequence, new.entry_hash, new.signed_time
    )
    try:
        with transaction.atomic():
            new.save(force_insert=True)
    except IntegrityError:
        # Another run wrote the same checkpoint at the same moment.
        existing = AuditCheckpoint.objects.filter(sequence=new.sequence).first()
        return CheckpointResult(checkpoint=existing, created=False, problems=[])
    return CheckpointResult(checkpoint=new, created=True, problems=[])
