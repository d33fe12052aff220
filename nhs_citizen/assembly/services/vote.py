"""The priority vote: who may vote, casting and changing a ballot, and counting.

A ballot row holds a voter's latest choice. Every change is also written to the audit log
(without the voter: only the ballot's number, its version and the entries chosen), so the result
can be counted a second time from the log alone and the two counts compared before publishing."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, router, transaction
from django.db.models import Count
from django.utils import timezone

from nhs_citizen.assembly.models import Ballot, Cycle, CycleEntry, Stage
from nhs_citizen.core.dates import when_words
from nhs_citizen.core.models import AuditEntry
from nhs_citizen.core.services.audit import record_audit_entry

BALLOT_ACTION = "assembly.ballot_cast"

TIE_RULE = (
    "When flags have the same number of votes, the flag that was shortlisted first comes higher. "
    "If two were shortlisted at the same moment, the one raised first (the lower flag number) "
    "comes higher."
)


@dataclass
class Eligibility:
    """Whether a person may vote in a cycle, and if not, every reason in plain English."""

    can_vote: bool
    reasons: list[str] = field(default_factory=list)


def voter_eligibility(user, cycle: Cycle) -> Eligibility:
    """Only accounts created and with a confirmed e-mail address by the cut-off may vote, so
    that nobody can add votes by opening new accounts once the flags are known."""
    if user is None or not user.is_authenticated:
        return Eligibility(False, ["You need to sign in to vote."])
    if user.deleted_at is not None or not user.is_active:
        return Eligibility(False, ["This account has been closed, so it cannot vote."])
    cutoff = cycle.flag_cutoff
    reasons = []
    if user.date_joined > cutoff:
        reasons.append(
            f"You created your account on {when_words(user.date_joined, show='date')}. Only people who had an "
            f"account by the flag cut-off, {when_words(cutoff)}, can vote in {cycle.name}. This stops "
            "anyone from making new accounts just to add votes."
        )
    elif user.email_verified_at is None:
        reasons.append(
            "You have not confirmed your email address. Only people who confirmed their email "
            f"address by the flag cut-off, {when_words(cutoff)}, can vote in {cycle.name}."
        )
    elif user.email_verified_at > cutoff:
        reasons.append(
            f"You confirmed your email address on {when_words(user.email_verified_at, show='date')}. Only people "
            f"who confirmed their email address by the flag cut-off, {when_words(cutoff)}, can vote "
            f"in {cycle.name}."
        )
    return Eligibility(not reasons, reasons)


def vote_is_open(cycle: Cycle, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return cycle.stage == Stage.VOTING and cycle.vote_opens <= now < cycle.vote_closes


def vote_closed_message(cycle: Cycle, now: datetime.datetime | None = None) -> str | None:
    """Why nobody can vote in this cycle now, or None while the vote is open."""
    now = now or timezone.now()
    if vote_is_open(cycle, now):
        return None
    if not cycle.has_reached(Stage.VOTING):
        if now >= cycle.vote_opens:
            return (
                f"The priority vote for {cycle.name} is about to open. Try again in a few minutes."
            )
        return f"The priority vote for {cycle.name} opens on {when_words(cycle.vote_opens)}."
    return f"The priority vote for {cycle.name} closed on {when_words(cycle.vote_closes)}."


_VOTER_FIELDS = ("is_active", "deleted_at", "date_joined", "email_verified_at")


def _cycle_and_voter(cycle_pk: int, voter_pk: int):
    """The cycle, read under a shared lock until the transaction ends, and the voter's account
    as it is in the database now. Ballots share the cycle's lock with each other; closing the
    vote takes it exclusively (``select_for_update``), so a ballot is either in the count or
    refused, never lost between the two. On PostgreSQL both come in one statement. SQLite has
    one writer at a time (transactions are IMMEDIATE), which gives the same guarantee."""
    user_model = get_user_model()
    if connection.vendor != "postgresql":
        cycle = Cycle.objects.get(pk=cycle_pk)
        return cycle, user_model.objects.only("pk", *_VOTER_FIELDS).get(pk=voter_pk)
    quote = connection.ops.quote_name
    columns = ", ".join(f"u.{quote(name)} AS {quote('voter_' + name)}" for name in _VOTER_FIELDS)
    sql = (
        f"SELECT c.*, {columns} FROM {quote(Cycle._meta.db_table)} c "
        f"JOIN {quote(user_model._meta.db_table)} u ON u.id = %s "
        "WHERE c.id = %s FOR SHARE OF c"
    )
    found = list(Cycle.objects.raw(sql, [voter_pk, cycle_pk]))
    if not found:
        raise Cycle.DoesNotExist
    cycle = found[0]
    voter = user_model(
        pk=voter_pk, **{name: getattr(cycle, "voter_" + name) for name in _VOTER_FIELDS}
    )
    voter._state.adding = False
    voter._state.db = cycle._state.db
    return cycle, voter


def cycle_for_share(cycle_pk: int) -> Cycle:
    """The cycle, read under a shared lock until the transaction ends (see _cycle_and_voter):
    paper ballots are issued and entered under the same lock as online ballots."""
    if connection.vendor != "postgresql":
        return Cycle.objects.get(pk=cycle_pk)
    quote = connection.ops.quote_name
    found = list(
        Cycle.objects.raw(
            f"SELECT * FROM {quote(Cycle._meta.db_table)} WHERE id = %s FOR SHARE", [cycle_pk]
        )
    )
    if not found:
        raise Cycle.DoesNotExist
    return found[0]


def paper_issued_message(cycle: Cycle) -> str:
    return (
        f"You have been sent a paper ballot for {cycle.name}, so you cannot also vote online. "
        "Fill in the paper and post it back. If you have lost it, or want to vote online "
        "instead, contact the Assembly secretariat: they can cancel the paper."
    )


def _upsert_ballot(cycle_id: int, voter_id: int, now: datetime.datetime) -> tuple[int, int] | None:
    """Make the voter's ballot, or move its version on by one: one statement, which also locks
    the row until the transaction ends, so two changes by one voter take turns. Returns the
    ballot's number and its new version, or None if the voter's row is a paper ballot (ADR
    0034), which the online vote never changes. (PostgreSQL, and SQLite 3.35 or later.)"""
    quote = connection.ops.quote_name
    table = quote(Ballot._meta.db_table)
    sql = (
        f"INSERT INTO {table} (cycle_id, voter_id, on_paper, version, updated_at) "
        "VALUES (%s, %s, FALSE, 1, %s) "
        f"ON CONFLICT (cycle_id, voter_id) DO UPDATE SET version = {table}.version + 1, "
        f"updated_at = EXCLUDED.updated_at WHERE {table}.on_paper = FALSE RETURNING id, version"
    )
    field = Ballot._meta.get_field("updated_at")
    with connection.cursor() as cursor:
        cursor.execute(sql, [cycle_id, voter_id, field.get_db_prep_save(now, connection)])
        row = cursor.fetchone()
    if row is None:
        return None
    return int(row[0]), int(row[1])


def check_cast_ballot(*, cycle: Cycle, voter, entries) -> Ballot:
    """Cast or change a ballot: the voter's whole current choice, replacing any earlier one.

    Kept short, because ballots arrive in bursts: five or six statements of its own, no count
    of ballots, and the audit entry last (it takes the audit log's lock, held until the
    transaction ends)."""
    ids = sorted({int(getattr(entry, "pk", entry)) for entry in entries})
    if not ids:
        raise ValidationError({"entries": "Select at least one flag"})
    if len(ids) > cycle.max_choices:
        raise ValidationError(
            {"entries": f"Choose up to {cycle.max_choices} flags. You chose {len(ids)}"}
        )
    # Entries the caller read from this cycle need no second look: a cycle's entries are fixed
    # at its cut-off, before the vote opens.
    known = all(isinstance(entry, CycleEntry) and entry.cycle_id == cycle.pk for entry in entries)
    with transaction.atomic():
        # Judge the account as it is in the database now, not as the caller last saw it.
        cycle, voter = _cycle_and_voter(cycle.pk, voter.pk)
        if message := vote_closed_message(cycle):
            raise ValidationError(message)
        eligibility = voter_eligibility(voter, cycle)
        if not eligibility.can_vote:
            raise ValidationError(eligibility.reasons)
        if not known and CycleEntry.objects.filter(cycle=cycle, pk__in=ids).count() != len(ids):
            raise ValidationError({"entries": "Select only the flags shown"})
        now = timezone.now()
        upserted = _upsert_ballot(cycle.pk, voter.pk, now)
        if upserted is None:
            raise ValidationError(paper_issued_message(cycle))
        ballot_id, version = upserted
        through = Ballot.entries.through
        if version > 1:
            through.objects.filter(ballot_id=ballot_id).delete()
        through.objects.bulk_create(
            [through(ballot_id=ballot_id, cycleentry_id=entry_id) for entry_id in ids]
        )
        record_audit_entry(
            actor=None,  # the ballot is secret: the log says which ballot, never whose
            action=BALLOT_ACTION,
            summary=(
                f"A ballot was {'cast' if version == 1 else 'changed'} in the priority "
                f"vote for {cycle.name}"
            ),
            target=cycle,
            data={"ballot": ballot_id, "version": version, "entries": ids},
            public=False,
        )
    ballot = Ballot(pk=ballot_id, cycle=cycle, voter=voter, version=version, updated_at=now)
    ballot._state.adding = False
    ballot._state.db = router.db_for_write(Ballot)
    return ballot


@dataclass(frozen=True)
class Tally:
    """Votes for each of a cycle's entries (every entry, zeros included), how many voted, and
    how many of those voted on paper."""

    votes: dict[int, int]
    ballots: int
    paper: int = 0


def count_from_ballots(cycle: Cycle) -> Tally:
    through = Ballot.entries.through
    votes = dict.fromkeys(cycle.entries.values_list("pk", flat=True), 0)
    for row in (
        through.objects.filter(ballot__cycle=cycle).values("cycleentry_id").annotate(n=Count("pk"))
    ):
        votes[row["cycleentry_id"]] = row["n"]
    counted = cycle.ballots.filter(entries__isnull=False)
    ballots = counted.distinct().count()
    paper = counted.filter(on_paper=True).distinct().count() if ballots else 0
    return Tally(votes, ballots, paper)


def recount_from_audit(cycle: Cycle) -> Tally:
    """Count again from the audit log alone: the last version of each ballot."""
    latest: dict[int, tuple[int, list[int]]] = {}
    paper: set[int] = set()
    for data in (
        AuditEntry.objects.filter(
            action=BALLOT_ACTION, target_type="assembly.cycle", target_id=str(cycle.pk)
        )
        .order_by("sequence")
        .values_list("data", flat=True)
        .iterator(chunk_size=2000)
    ):
        ballot, version = int(data["ballot"]), int(data["version"])
        if data.get("paper"):
            paper.add(ballot)
        if ballot not in latest or version > latest[ballot][0]:
            latest[ballot] = (version, [int(e) for e in data["entries"]])
    counter: Counter[int] = Counter()
    for _, chosen in latest.values():
        counter.update(chosen)
    votes = dict.fromkeys(cycle.entries.values_list("pk", flat=True), 0)
    for entry_id, n in counter.items():
        votes[entry_id] = votes.get(entry_id, 0) + n
    counted = {ballot for ballot, (_, chosen) in latest.items() if chosen}
    return Tally(votes, len(counted), len(counted & paper))


def ranked(entries: list[CycleEntry], votes: dict[int, int]) -> list[CycleEntry]:
    """Most votes first; ties broken by the published rule."""
    return sorted(entries, key=lambda e: (-votes.get(e.pk, 0), e.shortlisted_at, e.flag_id))


def export_for_user(user) -> list[dict]:
    """Your own ballots, for the "your data" download."""
    return [
        {
            "cycle": ballot.cycle.name,
            "your_choice": [entry.flag.title for entry in ballot.entries.all()],
            "times_changed": max(ballot.version - 1, 0),
            "last_changed": ballot.updated_at.isoformat(),
        }
        for ballot in Ballot.objects.filter(voter=user, version__gt=0)
        .select_related("cycle")
        .prefetch_related("entries__flag")
    ]
