"""Commitments: made with a Board response, or added by a body to its answer to a referred flag
or to the outcome of its call for views; then updated in public by their owner until they are
done or not done. Everyone behind the flag is told of every change."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from nhs_citizen.accounts.models import Role
from nhs_citizen.core.dates import when_words
from nhs_citizen.core.models import Organisation, OrganisationType
from nhs_citizen.core.reference import NHS_ENGLAND
from nhs_citizen.core.services.audit import record_audit_entry
from nhs_citizen.gather.models import CallForViews, Outcome, Response
from nhs_citizen.gather.services.notify import notify_flag_audience
from nhs_citizen.tracker import owner_names
from nhs_citizen.tracker.models import (
    BoardResponse,
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
)
from nhs_citizen.tracker.owner_names import looks_like_a_person
from nhs_citizen.tracker.services.summaries import do_refresh_body_summary

MAX_WHAT = 300
MAX_DETAIL = 5000
MAX_OWNER = 150
MAX_NOTE = 5000
MAX_REASONS = 3000
MAX_EVIDENCE_TITLE = 150
MAX_YEARS_AHEAD = 5
BOARD = "NHS England Board"
SECRETARIAT = "NHS Citizen secretariat"
FINISHED = (CommitmentStatus.DONE, CommitmentStatus.NOT_DONE)


def nhs_england() -> Organisation:
    """NHS England, from the reference data loaded on every migrate."""
    return Organisation.objects.get(type=OrganisationType.NHS_ENGLAND, code=NHS_ENGLAND["code"])


# Drafts: what a form gives a service ------------------------------------------------------------


@dataclass(frozen=True)
class CommitmentDraft:
    what: str
    owner: str
    due_date: datetime.date | None
    detail: str = ""
    organisation: Organisation | None = None


def _tidy(text: str | None) -> str:
    return " ".join((text or "").split())


def check_due_date(due_date: datetime.date | None, today: datetime.date | None = None) -> None:
    """A due date is in the future, and within five years."""
    today = today or timezone.localdate()
    if due_date is None:
        raise ValidationError({"due_date": "Enter the date it is due"})
    if due_date <= today:
        raise ValidationError({"due_date": "The due date must be in the future"})
    try:
        latest = today.replace(year=today.year + MAX_YEARS_AHEAD)
    except ValueError:  # 29 February
        latest = today.replace(year=today.year + MAX_YEARS_AHEAD, day=28)
    if due_date > latest:
        raise ValidationError(
            {
                "due_date": f"The due date must be within {MAX_YEARS_AHEAD} years, by {when_words(latest, show='date')}"
            }
        )


def clean_commitment(
    draft: CommitmentDraft, *, default_organisation: Organisation | None = None
) -> CommitmentDraft:
    """The draft tidied, or its problems keyed by field: what, detail, owner, organisation and
    due_date."""
    what = _tidy(draft.what)
    owner = _tidy(draft.owner)
    detail = (draft.detail or "").strip()
    organisation = draft.organisation or default_organisation
    errors: dict[str, str] = {}
    if not what:
        errors["what"] = "Enter what will be done"
    elif len(what) > MAX_WHAT:
        errors["what"] = f"What will be done must be {MAX_WHAT} characters or fewer"
    if len(detail) > MAX_DETAIL:
        errors["detail"] = "The detail must be 5,000 characters or fewer"
    if not owner:
        errors["owner"] = "Enter the team or role that owns it"
    elif len(owner) > MAX_OWNER:
        errors["owner"] = f"The owner must be {MAX_OWNER} characters or fewer"
    elif looks_like_a_person(owner):
        errors["owner"] = owner_names.MESSAGE
    if organisation is None:
        errors["organisation"] = "Select the body that will do it"
    elif organisation.type not in OrganisationType.public_bodies():
        errors["organisation"] = "Select an NHS or public body"
    try:
        check_due_date(draft.due_date)
    except ValidationError as error:
        errors.update({field: messages[0] for field, messages in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    return CommitmentDraft(
        what=what, owner=owner, due_date=draft.due_date, detail=detail, organisation=organisation
    )


# Where a commitment comes from ------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """What a commitment is attached to, and what it inherits from it."""

    fields: dict
    organisation: Organisation | None  # None: the Board chooses, NHS England by default
    flag: object | None
    cycle: object | None
    topic: object | None
    title: str
    audit_target: Model


def source_of(thing: BoardResponse | Response | CallForViews) -> Source:
    if isinstance(thing, BoardResponse):
        if thing.agenda_item_id:
            item = thing.agenda_item
            flag = item.entry.flag
            cycle = item.meeting.cycle
            title = item.title
        else:
            commission = thing.commission
            flag = commission.item.entry.flag if commission.item_id else None
            cycle = commission.meeting.cycle
            title = commission.question
        return Source(
            {"board_response": thing},
            None,
            flag,
            cycle,
            flag.topic if flag else None,
            title,
            flag or thing,
        )
    if isinstance(thing, Response):
        referral = thing.referral
        flag = referral.flag
        entry = getattr(flag, "cycle_entry", None)
        return Source(
            {"referral_response": thing},
            referral.organisation,
            flag,
            entry.cycle if entry else None,
            flag.topic,
            flag.title,
            flag,
        )
    if isinstance(thing, CallForViews):
        return Source(
            {"call_for_views": thing}, thing.organisation, None, None, None, thing.title, thing
        )
    raise TypeError(f"A commitment cannot come from {type(thing).__name__}")


# Who may do what ----------------------------------------------------------------------------------


def _roles(user) -> frozenset[str]:
    return user.staff_roles if getattr(user, "is_authenticated", False) else frozenset()


def can_add_commitment(user, thing) -> bool:
    """Responders add commitments to their body's answers and call outcomes; Board members to
    the Board's responses."""
    if not getattr(user, "is_authenticated", False) or thing is None:
        return False
    if isinstance(thing, BoardResponse):
        return Role.BOARD_MEMBER in _roles(user)
    if isinstance(thing, Response):
        return (
            thing.outcome != Outcome.NOT_OURS
            and thing.referral.organisation_id in user.responder_organisation_ids
        )
    if isinstance(thing, CallForViews):
        return (
            thing.outcome_published_at is not None
            and thing.organisation_id in user.responder_organisation_ids
        )
    return False


def speaks_as(user, commitment: Commitment) -> str | None:
    """Who an update by this person speaks for, or None if they may not update it: the owning
    body's responders, the Board for NHS England's commitments, and the secretariat."""
    if not getattr(user, "is_authenticated", False):
        return None
    if commitment.organisation_id in user.responder_organisation_ids:
        return commitment.organisation.name
    roles = _roles(user)
    if Role.BOARD_MEMBER in roles and commitment.organisation.type == OrganisationType.NHS_ENGLAND:
        return BOARD
    if Role.SECRETARIAT in roles:
        return SECRETARIAT
    return None


# Making commitments -------------------------------------------------------------------------------


def create_commitments(
    *, by, source: Source, drafts: Iterable[CommitmentDraft], now=None
) -> list[Commitment]:
    """Save cleaned drafts. Call inside the transaction that makes their source."""
    now = now or timezone.now()
    made = []
    for draft in drafts:
        made.append(
            Commitment.objects.create(
                what=draft.what,
                detail=draft.detail,
                organisation=source.organisation or draft.organisation,
                owner=draft.owner,
                due_date=draft.due_date,
                flag=source.flag,
                cycle=source.cycle,
                topic=source.topic,
                created_by=by,
                created_at=now,
                updated_at=now,
                **source.fields,
            )
        )
    for organisation_id in sorted({c.organisation_id for c in made}):
        do_refresh_body_summary(organisation_id, timezone.localdate(now))
    return made


def _tracker_link(commitment: Commitment) -> str:
    return f"{settings.SITE_URL}{commitment.get_absolute_url()}"


def _limit(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def check_add_commitment(*, by, to, draft: CommitmentDraft) -> Commitment:
    """Add one commitment to a body's answer to a referred flag, to the outcome of its call for
    views, or to a Board response."""
    if not can_add_commitment(by, to):
        raise ValidationError(_why_not_add(to))
    source = source_of(to)
    organisation = source.organisation
    if organisation is not None:
        draft = CommitmentDraft(
            what=draft.what,
            owner=draft.owner,
            due_date=draft.due_date,
            detail=draft.detail,
            organisation=organisation,
        )
    draft = clean_commitment(draft, default_organisation=nhs_england())
    with transaction.atomic():
        commitment = create_commitments(by=by, source=source, drafts=[draft])[0]
        body_name = commitment.organisation.name
        record_audit_entry(
            actor=by,
            action="tracker.commitment_added",
            summary=_limit(
                f"{body_name} committed to “{commitment.what}” by {when_words(commitment.due_date, show='date')}",
                300,
            ),
            target=source.audit_target,
            data={
                "commitment_id": commitment.pk,
                "organisation_id": commitment.organisation_id,
                "due_date": commitment.due_date.isoformat(),
                "owner": commitment.owner,
            },
            public=True,
        )
        body = (
            f"{body_name} has made a commitment about “{source.title}”: {commitment.what}. "
            f"{commitment.owner} owns it, and it is due by {when_words(commitment.due_date, show='date')}. "
            f"Follow it on the tracker: {_tracker_link(commitment)}"
        )
        subject = _limit(f"New commitment {commitment.pk}: {commitment.what}", 200)
        _tell_people(commitment, subject, body)
    return commitment


def _why_not_add(thing) -> str:
    if isinstance(thing, Response) and thing.outcome == Outcome.NOT_OURS:
        return "An answer that says “this is not ours” cannot have commitments."
    if isinstance(thing, CallForViews) and thing.outcome_published_at is None:
        return "You can add commitments after you publish what you did about this call for views."
    if isinstance(thing, BoardResponse):
        return "Only Board members can add commitments to a Board response."
    return "You can only add commitments for an organisation you answer for."


def _tell_people(commitment: Commitment, subject: str, body: str) -> None:
    """Everyone behind the flag is told; for a call for views, everyone who answered it."""
    if commitment.flag_id:
        notify_flag_audience(commitment.flag, subject, body, kind="commitments")
    elif commitment.call_for_views_id:
        from nhs_citizen.notifications.services import notify_audience

        notify_audience(
            "nhs_citizen.gather.services.notify.call_answerers_audience",
            subject=subject,
            body=body,
            link=commitment.get_absolute_url(),
            call_id=commitment.call_for_views_id,
            kind="commitments",
        )


# Updating commitments -----------------------------------------------------------------------------


def check_update_commitment(
    *,
    by,
    commitment: Commitment,
    status: str,
    note: str,
    reasons: str = "",
    evidence_title: str = "",
    evidence_url: str = "",
    due_date: datetime.date | None = None,
) -> CommitmentUpdate:
    """Post a dated update: the new status, what has happened, evidence, and (optionally) a new
    due date, which is shown openly beside the old one. 'Not done' needs reasons."""
    posted_as = speaks_as(by, commitment)
    if posted_as is None:
        raise ValidationError(
            f"Only responders for {commitment.organisation.name}, the secretariat"
            + (" and Board members" if commitment.organisation.type == "nhs_england" else "")
            + " can update this commitment."
        )
    if commitment.status == CommitmentStatus.WITHDRAWN:
        raise ValidationError("This commitment has been withdrawn. It cannot be updated.")
    note = (note or "").strip()
    reasons = (reasons or "").strip()
    evidence_title = _tidy(evidence_title)
    evidence_url = (evidence_url or "").strip()
    errors: dict[str, str] = {}
    if status not in CommitmentStatus.values or status == CommitmentStatus.WITHDRAWN:
        # Withdrawing has its own page and service, with a public reason.
        errors["status"] = "Select where the commitment has got to"
    if not note:
        errors["note"] = "Enter what has happened"
    elif len(note) > MAX_NOTE:
        errors["note"] = "What has happened must be 5,000 characters or fewer"
    if status == CommitmentStatus.NOT_DONE and not reasons:
        errors["reasons"] = "Enter why it was not done. The reasons will be published"
    elif len(reasons) > MAX_REASONS:
        errors["reasons"] = "The reasons must be 3,000 characters or fewer"
    if evidence_url:
        try:
            URLValidator(schemes=["http", "https"])(evidence_url)
        except ValidationError:
            errors["evidence_url"] = (
                "Enter a web address in the correct format, like https://www.england.nhs.uk"
            )
        if not evidence_title:
            errors["evidence_title"] = "Enter a title for the evidence link"
    elif evidence_title:
        errors["evidence_url"] = "Enter the web address of the evidence"
    if len(evidence_title) > MAX_EVIDENCE_TITLE:
        errors["evidence_title"] = f"The title must be {MAX_EVIDENCE_TITLE} characters or fewer"
    if due_date is not None and due_date != commitment.due_date:
        try:
            check_due_date(due_date)
        except ValidationError as error:
            errors["due_date"] = error.message_dict["due_date"][0].replace(
                "The due date", "The new due date"
            )
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    with transaction.atomic():
        commitment = _locked(commitment)
        if commitment.status == CommitmentStatus.WITHDRAWN:
            raise ValidationError("This commitment has been withdrawn. It cannot be updated.")
        previous_status, previous_due = commitment.status, commitment.due_date
        new_due = due_date or previous_due
        update = CommitmentUpdate.objects.create(
            commitment=commitment,
            author=by,
            status=status,
            previous_status=previous_status,
            note=note,
            reasons=reasons if status == CommitmentStatus.NOT_DONE else "",
            evidence_title=evidence_title,
            evidence_url=evidence_url,
            due_date=new_due,
            previous_due_date=previous_due,
            posted_as=posted_as,
            created_at=now,
        )
        commitment.status = status
        commitment.status_reasons = reasons if status == CommitmentStatus.NOT_DONE else ""
        commitment.due_date = new_due
        commitment.updated_at = now
        if status in FINISHED:
            commitment.completed_at = commitment.completed_at or now
        else:
            commitment.completed_at = None
        commitment.save(
            update_fields=["status", "status_reasons", "due_date", "updated_at", "completed_at"]
        )
        do_refresh_body_summary(commitment.organisation_id)
        number = commitment.updates.count()
        label = CommitmentStatus(status).label
        changes = [f"it is now “{label.lower()}”"]
        if status != previous_status:
            changes = [
                f"it moved from “{CommitmentStatus(previous_status).label.lower()}” "
                f"to “{label.lower()}”"
            ]
        if new_due != previous_due:
            changes.append(
                f"the due date moved from {when_words(previous_due, show='date')} to {when_words(new_due, show='date')}"
            )
        summary = f"{posted_as} updated the commitment “{commitment.what}”: " + " and ".join(
            changes
        )
        record_audit_entry(
            actor=by,
            action="tracker.commitment_updated",
            summary=_limit(summary, 300),
            target=_audit_target(commitment),
            reason=reasons or note,
            data={
                "commitment_id": commitment.pk,
                "update_id": update.pk,
                "status": status,
                "previous_status": previous_status,
                "due_date": new_due.isoformat(),
                "previous_due_date": previous_due.isoformat(),
                "evidence_url": evidence_url,
            },
            public=True,
        )
        body = (
            f"{posted_as} has updated a commitment: {commitment.what}. "
            + "; ".join(changes).capitalize()
            + f". What has happened: {note}"
        )
        if reasons and status == CommitmentStatus.NOT_DONE:
            body += f" Why it was not done: {reasons}"
        if evidence_url:
            body += f" Evidence: {evidence_title} ({evidence_url})"
        body += f" See the commitment on the tracker: {_tracker_link(commitment)}"
        # The number makes each update's subject its own, so it is told once and never
        # mistaken for an earlier update.
        subject = _limit(
            f"Commitment {commitment.pk}, update {number} ({label.lower()}): {commitment.what}",
            200,
        )
        _tell_people(commitment, subject, body)
    return update


# Withdrawing commitments ---------------------------------------------------------------------


def can_withdraw(user, commitment: Commitment) -> bool:
    """Whoever may update a commitment may withdraw it, while it is open. One that is done or
    not done stays on the record as it is."""
    return commitment.is_open() and speaks_as(user, commitment) is not None


def check_withdraw_commitment(*, by, commitment: Commitment, reason: str) -> CommitmentUpdate:
    """Withdraw a commitment made by mistake, or that can no longer stand, with a public
    reason. It is never deleted: it stays on the tracker and the flag as "Withdrawn", with the
    reason, and no longer counts as open or overdue. Everyone behind the flag is told."""
    posted_as = speaks_as(by, commitment)
    if posted_as is None:
        raise ValidationError(
            f"Only responders for {commitment.organisation.name}, the secretariat"
            + (" and Board members" if commitment.organisation.type == "nhs_england" else "")
            + " can withdraw this commitment."
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": "Enter why the commitment is withdrawn. It will be published"}
        )
    if len(reason) > MAX_REASONS:
        raise ValidationError({"reason": "The reason must be 3,000 characters or fewer"})
    now = timezone.now()
    with transaction.atomic():
        commitment = _locked(commitment)
        if commitment.status == CommitmentStatus.WITHDRAWN:
            raise ValidationError("This commitment has already been withdrawn.")
        if not commitment.is_open():
            raise ValidationError(
                "Only a commitment that is not finished can be withdrawn. One that is done or "
                "not done stays on the record."
            )
        previous_status = commitment.status
        update = CommitmentUpdate.objects.create(
            commitment=commitment,
            author=by,
            status=CommitmentStatus.WITHDRAWN,
            previous_status=previous_status,
            note=reason,
            due_date=commitment.due_date,
            previous_due_date=commitment.due_date,
            posted_as=posted_as,
            created_at=now,
        )
        commitment.status = CommitmentStatus.WITHDRAWN
        commitment.status_reasons = ""
        commitment.withdrawn_reason = reason
        commitment.withdrawn_at = now
        commitment.withdrawn_by = by
        commitment.updated_at = now
        commitment.completed_at = None
        commitment.save(
            update_fields=[
                "status",
                "status_reasons",
                "withdrawn_reason",
                "withdrawn_at",
                "withdrawn_by",
                "updated_at",
                "completed_at",
            ]
        )
        do_refresh_body_summary(commitment.organisation_id)
        record_audit_entry(
            actor=by,
            action="tracker.commitment_withdrawn",
            summary=_limit(f"{posted_as} withdrew the commitment “{commitment.what}”", 300),
            target=_audit_target(commitment),
            reason=reason,
            data={
                "commitment_id": commitment.pk,
                "update_id": update.pk,
                "previous_status": previous_status,
            },
            public=True,
        )
        body = (
            f"{posted_as} has withdrawn a commitment: {commitment.what}. "
            f"Why: {reason} The commitment stays on the tracker, marked as withdrawn: "
            f"{_tracker_link(commitment)}"
        )
        subject = _limit(f"Commitment {commitment.pk} withdrawn: {commitment.what}", 200)
        _tell_people(commitment, subject, body)
    return update


def _audit_target(commitment: Commitment) -> Model:
    """The flag behind it, so the change shows on the flag's page; or the call for views."""
    if commitment.flag_id:
        return commitment.flag
    if commitment.call_for_views_id:
        return commitment.call_for_views
    if commitment.board_response_id:
        return commitment.board_response
    return commitment


def _locked(commitment: Commitment) -> Commitment:
    """The commitment read again and locked for the rest of the transaction, so two updates or
    an update and a withdrawal cannot interleave."""
    return (
        Commitment.objects.select_for_update(of=("self",))
        .select_related("organisation", "flag")
        .get(pk=commitment.pk)
    )
