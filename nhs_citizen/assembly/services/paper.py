"""Paper ballots for the priority vote (ADR 0034).

The secretariat issues a numbered paper to an eligible person who cannot vote online: someone
with an account, or someone on the secretariat's list of paper voters. Issuing makes that
person's (empty) ballot row at once, marked ``on_paper``, so:

- a person who has voted online cannot be sent a paper (their row is there already);
- a person who has been sent a paper cannot vote online (the online vote never changes a paper
  row, in the same statement that would change it);
- a paper is entered once: it goes from "issued" to "returned" under a row lock, the ballot's
  version goes from 0 to 1 only once, and the database allows one returned paper per ballot.

Issuing and entering take the cycle's shared lock like an online ballot, so closing the vote
waits for them and a paper is either counted or refused, never lost. The entered paper is
written to the audit log as a ballot (marked as paper), so the recount from the log counts it.
"""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone

from nhs_citizen.assembly import paper_numbers
from nhs_citizen.assembly.models import (
    Ballot,
    Cycle,
    CycleEntry,
    OfflineVoter,
    PaperBallot,
    PaperStatus,
    Stage,
)
from nhs_citizen.assembly.services.vote import (
    BALLOT_ACTION,
    cycle_for_share,
    vote_closed_message,
    vote_is_open,
    voter_eligibility,
)
from nhs_citizen.core.dates import when_words
from nhs_citizen.core.services.audit import record_audit_entry

ISSUED_ACTION = "assembly.paper_issued"
ENTERED_ACTION = "assembly.paper_entered"
CANCELLED_ACTION = "assembly.paper_cancelled"
OFFLINE_VOTER_ACTION = "assembly.paper_voter_added"

_REFERENCE_LETTERS = "BCDFGHJKLMNPQRSTVWXYZ23456789"


# The list of paper voters --------------------------------------------------------------------


def check_add_offline_voter(
    *, by, full_name: str, postal_address: str, postcode: str
) -> OfflineVoter:
    full_name, postal_address = (full_name or "").strip(), (postal_address or "").strip()
    postcode = " ".join((postcode or "").upper().split())
    errors = {}
    if not full_name:
        errors["full_name"] = "Enter the person's full name"
    if not postal_address:
        errors["postal_address"] = "Enter the address to post the ballot paper to"
    if not postcode:
        errors["postcode"] = "Enter the postcode"
    elif len(postcode) > 8 or not postcode.replace(" ", "").isalnum():
        errors["postcode"] = "Enter a real postcode, like LS1 4AP"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for _ in range(5):
            reference = "PV-" + "".join(secrets.choice(_REFERENCE_LETTERS) for _ in range(5))
            if not OfflineVoter.objects.filter(reference=reference).exists():
                break
        person = OfflineVoter.objects.create(
            reference=reference,
            full_name=full_name,
            postal_address=postal_address,
            postcode=postcode,
            added_by=by,
            added_at=timezone.now(),
        )
        record_audit_entry(
            actor=by,
            action=OFFLINE_VOTER_ACTION,
            summary=f"Added {reference} to the list of paper voters",
            target=person,
            data={"reference": reference},
        )
    return person


OFFLINE_VOTER_REMOVED_ACTION = "assembly.paper_voter_removed"


def check_remove_offline_voter(*, by, person: OfflineVoter) -> OfflineVoter:
    """Take a person's name and address off the list of paper voters, when they ask or no
    longer need papers (privacy notice). The reference and their papers stay, so a paper
    already counted is still counted once. Refused while a paper is out to them: cancel it
    first, or wait for it to come back."""
    with transaction.atomic():
        OfflineVoter.objects.select_for_update().filter(pk=person.pk).first()
        out = person.papers.filter(status=PaperStatus.ISSUED).order_by("serial").first()
        if out is not None:
            raise ValidationError(
                f"Ballot paper {out.number} is out to {person.reference} and not back yet. "
                "Cancel it first, or wait until it comes back."
            )
        OfflineVoter.objects.filter(pk=person.pk).update(
            full_name="", postal_address="", postcode=""
        )
        record_audit_entry(
            actor=by,
            action=OFFLINE_VOTER_REMOVED_ACTION,
            summary=f"Removed the name and address of {person.reference} from the list of "
            "paper voters",
            target=person,
            data={"reference": person.reference},
        )
    person.refresh_from_db()
    return person


def offline_voter_eligibility(person: OfflineVoter, cycle: Cycle) -> list[str]:
    """Like an account: people on the list by the flag cut-off can vote in the cycle."""
    if person.added_at > cycle.flag_cutoff:
        return [
            f"{person.reference} was added to the list of paper voters on "
            f"{when_words(person.added_at, show='date')}. Only people on the list by the flag "
            f"cut-off, {when_words(cycle.flag_cutoff)}, can vote in {cycle.name}. This stops "
            "anyone from adding people just to add votes."
        ]
    return []


# Issuing ---------------------------------------------------------------------------------------


def can_issue_message(cycle: Cycle) -> str | None:
    """Papers go out once the flags are fixed (they list them) and until the vote closes."""
    if not cycle.has_reached(Stage.CUT_OFF):
        return (
            f"Ballot papers for {cycle.name} can be sent once the flags are cut off, on "
            f"{when_words(cycle.flag_cutoff)}: the paper lists the flags."
        )
    if cycle.stage != Stage.CUT_OFF and not vote_is_open(cycle):
        return vote_closed_message(cycle) or f"The priority vote for {cycle.name} has closed."
    return None


def _insert_paper_ballot_row(cycle: Cycle, *, voter_id, offline_voter_id) -> int | None:
    """The person's ballot row, marked as paper, or None if they have one already (voted
    online, or sent a paper): the database's unique constraints decide, in one statement."""
    quote = connection.ops.quote_name
    table = quote(Ballot._meta.db_table)
    field = Ballot._meta.get_field("updated_at")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (cycle_id, voter_id, offline_voter_id, on_paper, version, "
            "updated_at) VALUES (%s, %s, %s, TRUE, 0, %s) ON CONFLICT DO NOTHING RETURNING id",
            [
                cycle.pk,
                voter_id,
                offline_voter_id,
                field.get_db_prep_save(timezone.now(), connection),
            ],
        )
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def _new_paper(cycle: Cycle, *, ballot_id: int, by, voter_id, offline_voter_id, replaces=None):
    """The next paper number in the cycle. Two members of the secretariat issuing at the same
    moment may pick the same serial: the unique constraint refuses one, which tries again."""
    for _ in range(5):
        serial = (cycle.papers.aggregate(top=Max("serial"))["top"] or 0) + 1
        try:
            with transaction.atomic():
                return PaperBallot.objects.create(
                    cycle=cycle,
                    serial=serial,
                    number=paper_numbers.make(cycle.pk, serial),
                    voter_id=voter_id,
                    offline_voter_id=offline_voter_id,
                    ballot_id=ballot_id,
                    issued_by=by,
                    issued_at=timezone.now(),
                    replaces=replaces,
                )
        except IntegrityError:
            if PaperBallot.objects.filter(cycle=cycle, serial=serial).exists():
                continue
            raise
    raise ValidationError("Too many papers were being issued at once. Try again.")


def check_issue_paper(*, cycle: Cycle, by, voter=None, offline_voter=None) -> PaperBallot:
    """Issue a numbered paper to one person: an account (``voter``) or someone on the list of
    paper voters (``offline_voter``)."""
    if (voter is None) == (offline_voter is None):
        raise ValidationError("Choose one person to send the ballot paper to.")
    with transaction.atomic():
        cycle = cycle_for_share(cycle.pk)
        if message := can_issue_message(cycle):
            raise ValidationError(message)
        if voter is not None:
            voter = get_user_model().objects.get(pk=voter.pk)
            eligibility = voter_eligibility(voter, cycle)
            if not eligibility.can_vote:
                raise ValidationError(
                    [f"{_account_name(voter)} cannot vote in {cycle.name}."]
                    + [_about_them(reason) for reason in eligibility.reasons]
                )
            who = _account_name(voter)
        else:
            # Locked, so that removing their details waits for this paper (and then refuses).
            offline_voter = OfflineVoter.objects.select_for_update().get(pk=offline_voter.pk)
            if not offline_voter.full_name:
                raise ValidationError(
                    f"The name and address of {offline_voter.reference} were removed from the "
                    "list of paper voters. Add them again to send a paper."
                )
            if reasons := offline_voter_eligibility(offline_voter, cycle):
                raise ValidationError(reasons)
            who = f"{offline_voter.full_name} ({offline_voter.reference})"
        ballot_id = _insert_paper_ballot_row(
            cycle,
            voter_id=getattr(voter, "pk", None),
            offline_voter_id=getattr(offline_voter, "pk", None),
        )
        if ballot_id is None:
            raise ValidationError(_already_has_ballot(cycle, voter, offline_voter, who))
        paper = _new_paper(
            cycle,
            ballot_id=ballot_id,
            by=by,
            voter_id=getattr(voter, "pk", None),
            offline_voter_id=getattr(offline_voter, "pk", None),
        )
        record_audit_entry(
            actor=by,
            action=ISSUED_ACTION,
            summary=f"Issued ballot paper {paper.number} for the priority vote in {cycle.name}",
            target=cycle,
            data={"paper": paper.number},
        )
    return paper


def _account_name(user) -> str:
    return user.display_name or user.email


def _about_them(reason: str) -> str:
    """The eligibility reasons are written to the voter; here the secretariat reads them."""
    return (
        reason.replace("You created your account", "They created their account")
        .replace("You have not confirmed your", "They have not confirmed their")
        .replace("You confirmed your", "They confirmed their")
        .replace("This account has been closed", "Their account has been closed")
    )


def _already_has_ballot(cycle: Cycle, voter, offline_voter, who: str) -> str:
    ballot = Ballot.objects.filter(
        cycle=cycle, **({"voter": voter} if voter is not None else {"offline_voter": offline_voter})
    ).first()
    if ballot is not None and not ballot.on_paper:
        return (
            f"{who} has already voted online in {cycle.name}, so they cannot be sent a ballot "
            "paper. Nobody can vote both online and on paper."
        )
    paper = (
        PaperBallot.objects.filter(cycle=cycle, ballot=ballot)
        .exclude(status=PaperStatus.CANCELLED)
        .first()
    )
    number = f" (number {paper.number})" if paper else ""
    return (
        f"{who} has already been sent a ballot paper for {cycle.name}{number}. If it was lost, "
        "cancel it and send a new one."
    )


# Entering a returned paper -----------------------------------------------------------------------


def number_problem(text: str, parsed: paper_numbers.Parsed) -> str:
    if parsed.problem == "empty":
        return "Enter the number printed at the top of the ballot paper"
    if parsed.problem == "check":
        return (
            f"{text.strip()} is not a real ballot paper number: one of the digits is probably "
            "wrong. Check the number printed at the top of the paper"
        )
    return (
        "Enter the ballot paper number as it is printed at the top of the paper, like "
        f"{paper_numbers.EXAMPLE}"
    )


def check_enter_paper(*, cycle: Cycle, number: str, entries, by) -> PaperBallot:
    """Type in a returned paper: its number and the flags marked on it. Refused, with nothing
    changed, if the number was never issued, was cancelled, or has been entered already."""
    parsed = paper_numbers.parse(number)
    if parsed.number is None:
        raise ValidationError({"number": number_problem(number, parsed)})
    ids = sorted({int(getattr(entry, "pk", entry)) for entry in entries})
    if not ids:
        raise ValidationError({"entries": "Select the flags marked on the paper"})
    if len(ids) > cycle.max_choices:
        raise ValidationError(
            {
                "entries": f"A paper can choose up to {cycle.max_choices} flags. You selected "
                f"{len(ids)}. If more were marked on the paper, it cannot be counted"
            }
        )
    with transaction.atomic():
        cycle = cycle_for_share(cycle.pk)
        paper = (
            PaperBallot.objects.select_for_update(of=("self",))
            .filter(number=parsed.number)
            .order_by("pk")
            .first()
        )
        if paper is None or paper.cycle_id != cycle.pk:
            if paper is None:
                message = (
                    f"Ballot paper {parsed.number} was never issued. Check the number printed "
                    "at the top of the paper. Nothing has been counted"
                )
            else:
                other = Cycle.objects.get(pk=paper.cycle_id)
                message = (
                    f"Ballot paper {parsed.number} is for {other.name}, not {cycle.name}. "
                    "Nothing has been counted"
                )
            raise ValidationError({"number": message})
        if paper.status == PaperStatus.RETURNED:
            raise ValidationError(
                {
                    "number": f"Ballot paper {paper.number} has already been entered, on "
                    f"{when_words(paper.entered_at)}. Each paper counts once, so it has not been "
                    "counted again"
                }
            )
        if paper.status == PaperStatus.CANCELLED:
            replacement = PaperBallot.objects.filter(replaces=paper).first()
            then = f" It was replaced by paper {replacement.number}." if replacement else ""
            raise ValidationError(
                {
                    "number": f"Ballot paper {paper.number} was cancelled on "
                    f"{when_words(paper.cancelled_at, show='date')} ({paper.cancel_reason}), so "
                    f"it cannot be counted.{then} Nothing has been counted"
                }
            )
        if message := vote_closed_message(cycle):
            raise ValidationError(
                f"{message} Papers that come back after the vote closes cannot be counted."
            )
        if CycleEntry.objects.filter(cycle=cycle, pk__in=ids).count() != len(ids):
            raise ValidationError({"entries": "Select only the flags shown"})
        now = timezone.now()
        # Version 0 to 1, once: a second entry of the same ballot changes no row.
        changed = Ballot.objects.filter(pk=paper.ballot_id, on_paper=True, version=0).update(
            version=1, updated_at=now
        )
        if changed != 1:
            raise ValidationError(
                {"number": f"The ballot for paper {paper.number} has already been counted"}
            )
        through = Ballot.entries.through
        through.objects.bulk_create(
            [through(ballot_id=paper.ballot_id, cycleentry_id=entry_id) for entry_id in ids]
        )
        paper.status = PaperStatus.RETURNED
        paper.entered_by = by
        paper.entered_at = now
        paper.save(update_fields=["status", "entered_by", "entered_at"])
        record_audit_entry(
            actor=by,
            action=ENTERED_ACTION,
            summary=f"Entered returned ballot paper {paper.number} in {cycle.name}",
            target=cycle,
            data={"paper": paper.number},
        )
        # The ballot itself, as an online one is logged, so the recount from the log counts it.
        record_audit_entry(
            actor=None,
            action=BALLOT_ACTION,
            summary=f"A paper ballot was entered in the priority vote for {cycle.name}",
            target=cycle,
            data={"ballot": paper.ballot_id, "version": 1, "entries": ids, "paper": True},
            public=False,
        )
    return paper


# Cancelling, and sending a new paper ---------------------------------------------------------------


def check_cancel_paper(*, paper: PaperBallot, by, reason: str, reissue: bool) -> PaperBallot | None:
    """Cancel a paper that has not come back (lost in the post, or the person would rather vote
    online), with a reason. With ``reissue`` a new paper, with a new number, goes to the same
    person; without, their ballot row goes, and they may vote online. Returns the new paper."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the paper is being cancelled"})
    with transaction.atomic():
        cycle = cycle_for_share(paper.cycle_id)
        paper = PaperBallot.objects.select_for_update(of=("self",)).order_by().get(pk=paper.pk)
        if paper.status == PaperStatus.RETURNED:
            raise ValidationError(
                f"Ballot paper {paper.number} has come back and been counted, so it cannot be "
                "cancelled."
            )
        if paper.status == PaperStatus.CANCELLED:
            raise ValidationError(f"Ballot paper {paper.number} has already been cancelled.")
        if reissue and (message := can_issue_message(cycle)):
            raise ValidationError(message)
        if cycle.has_reached(Stage.VOTE_CLOSED):
            raise ValidationError(
                f"The priority vote for {cycle.name} has closed, so its papers can no longer be "
                "cancelled."
            )
        ballot_id = paper.ballot_id
        now = timezone.now()
        paper.status = PaperStatus.CANCELLED
        paper.cancelled_by = by
        paper.cancelled_at = now
        paper.cancel_reason = reason
        paper.ballot = None
        paper.save(
            update_fields=["status", "cancelled_by", "cancelled_at", "cancel_reason", "ballot"]
        )
        new = None
        if reissue:
            new = _new_paper(
                cycle,
                ballot_id=ballot_id,
                by=by,
                voter_id=paper.voter_id,
                offline_voter_id=paper.offline_voter_id,
                replaces=paper,
            )
        else:
            # Nothing was entered on it (the paper was not back), so the empty row can go.
            Ballot.objects.filter(pk=ballot_id, version=0).delete()
        record_audit_entry(
            actor=by,
            action=CANCELLED_ACTION,
            summary=(
                f"Cancelled ballot paper {paper.number} in {cycle.name}"
                + (f" and sent paper {new.number} instead" if new else "")
            ),
            target=cycle,
            reason=reason,
            data={"paper": paper.number, "new_paper": new.number if new else None},
        )
    return new
