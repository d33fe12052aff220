"""Communication needs and requests for other formats: every write and every secretariat read
goes through here and is audited (ADR 0036). The audit entries never hold the needs
themselves, because the audit log cannot be changed and needs must go when the person removes
them or deletes their account."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from nhs_citizen.accounts import needs as terms
from nhs_citizen.accounts.models import (
    CommunicationNeeds,
    FormatRequest,
    FormatRequestStatus,
    User,
)
from nhs_citizen.core.services.audit import record_audit_entry

# A person's own needs ---------------------------------------------------------------------------


def needs_of(user: User) -> CommunicationNeeds | None:
    """The person's own needs, for their own pages (not audited: it is their data)."""
    if not user.is_authenticated:
        return None
    return CommunicationNeeds.objects.filter(user=user).first()


def check_save_needs(
    *, user: User, needs: Iterable[str], language: str = "", something_else: str = ""
) -> CommunicationNeeds | None:
    """Record the person's needs, replacing what was there. Choosing nothing removes them."""
    errors: dict[str, str] = {}
    try:
        codes = terms.clean_needs(needs)
    except ValueError:
        errors["needs"] = "Select only the needs shown"
        codes = []
    if language and language not in terms.LANGUAGES:
        errors["language"] = "Select a language from the list"
    something_else = (something_else or "").strip()
    if len(something_else) > terms.SOMETHING_ELSE_MAX_LENGTH:
        errors["something_else"] = (
            f"Tell us about your other needs in {terms.SOMETHING_ELSE_MAX_LENGTH} "
            "characters or fewer"
        )
    if errors:
        raise ValidationError(errors)
    if not (codes or language or something_else):
        do_remove_needs(user=user)
        return None
    with transaction.atomic():
        record, _ = CommunicationNeeds.objects.update_or_create(
            user=user,
            defaults={
                "needs": codes,
                "language": language,
                "something_else": something_else,
                "updated_at": timezone.now(),
            },
        )
        record_audit_entry(
            actor=user,
            action="accounts.needs_changed",
            summary="Changed their communication needs",
            target=user,
        )
    return record


def do_remove_needs(*, user: User) -> bool:
    """Remove all the person's needs. Returns whether there were any."""
    with transaction.atomic():
        removed, _ = CommunicationNeeds.objects.filter(user=user).delete()
        if removed:
            record_audit_entry(
                actor=user,
                action="accounts.needs_removed",
                summary="Removed their communication needs",
                target=user,
            )
    return bool(removed)


def person_needs_for_email(user: User) -> terms.PersonNeeds | None:
    """What an e-mail to this person must respect. One look-up by primary key."""
    record = (
        CommunicationNeeds.objects.filter(user_id=user.pk)
        .only("needs", "language", "something_else")
        .first()
    )
    return record.as_person_needs() if record else None


# The secretariat's view of members' needs --------------------------------------------------------


@dataclass
class MemberNeeds:
    """The needs of a group of confirmed members, for planning."""

    summary: list[str] = field(default_factory=list)
    # Person id -> their needs in words; only people with needs.
    by_person: dict[int, list[str]] = field(default_factory=dict)
    # (name, needs in words), by name.
    rows: list[tuple[str, list[str]]] = field(default_factory=list)
    members: int = 0


def needs_for_confirmed_members(
    *, viewer: User, user_ids: Iterable[int], target: models.Model, where: str
) -> MemberNeeds:
    """The needs of these people, who the caller has checked are confirmed members of a panel
    or of the Assembly. Only the secretariat may see them, and each view is audited (who saw
    whose needs, and where) without the needs themselves."""
    if not viewer.has_perm("accounts.view_member_needs"):
        raise PermissionDenied("Only the secretariat can see members' communication needs.")
    ids = sorted(set(user_ids))
    records = list(
        CommunicationNeeds.objects.filter(user_id__in=ids, user__deleted_at__isnull=True)
        .select_related("user")
        .order_by("user__display_name", "user_id")
    )
    people = {r.user_id: r.as_person_needs() for r in records}
    result = MemberNeeds(
        summary=terms.summarise(people.values()),
        by_person=terms.summary_phrases_by_person(people),
        members=len(ids),
    )
    result.rows = [
        (r.user.public_name, result.by_person[r.user_id])
        for r in records
        if r.user_id in result.by_person
    ]
    if result.by_person:
        record_audit_entry(
            actor=viewer,
            action="accounts.member_needs_viewed",
            summary=f"Saw the communication needs of {len(result.by_person)} confirmed "
            f"member{'' if len(result.by_person) == 1 else 's'} ({where})",
            target=target,
            data={"people": sorted(result.by_person), "where": where},
        )
    return result


def needs_for_letters(
    *, viewer: User, user_ids: Iterable[int], target: models.Model, where: str
) -> dict[int, terms.LetterAdjustments]:
    """What the letters the secretariat prints for these people (a paper ballot, say) must
    change for their needs: person id -> adjustments, only for people with some. Only the
    secretariat may see them, and each look is audited like the member list, without the
    needs themselves."""
    if not viewer.has_perm("accounts.view_member_needs"):
        raise PermissionDenied("Only the secretariat can see people's communication needs.")
    ids = sorted({i for i in user_ids if i is not None})
    records = CommunicationNeeds.objects.filter(
        user_id__in=ids, user__deleted_at__isnull=True
    ).only("user_id", "needs", "language", "something_else")
    letters = {r.user_id: terms.letter_adjustments(r.as_person_needs()) for r in records}
    letters = {key: letter for key, letter in letters.items() if letter.any}
    if letters:
        record_audit_entry(
            actor=viewer,
            action="accounts.letter_needs_used",
            summary=f"Saw what {len(letters)} "
            f"{'letter' if len(letters) == 1 else 'letters'} must change for people's "
            f"communication needs ({where})",
            target=target,
            data={"people": sorted(letters), "where": where},
        )
    return letters


# Requests for another format or language -----------------------------------------------------------


def check_request_format(
    *,
    requester: User,
    document: str,
    format: str,
    language: str = "",
    send_by: str,
    postal_address: str = "",
) -> FormatRequest:
    errors: dict[str, str] = {}
    document = " ".join((document or "").split())
    if not document:
        errors["document"] = "Enter which document or page you want"
    elif len(document) > 300:
        errors["document"] = "Enter which document or page you want in 300 characters or fewer"
    if format not in terms.FORMATS:
        errors["format"] = "Select the format you want"
    elif terms.needs_for_request(format) and language not in terms.LANGUAGES:
        errors["language"] = "Select the language you want"
    if format != "another_language":
        language = ""
    if send_by not in terms.SEND_BY:
        errors["send_by"] = "Select how you want us to send it"
    postal_address = (postal_address or "").strip()
    if send_by == "post" and not postal_address:
        errors["postal_address"] = "Enter the address to post it to"
    elif len(postal_address) > 500:
        errors["postal_address"] = "Enter the address in 500 characters or fewer"
    if send_by != "post":
        postal_address = ""
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    with transaction.atomic():
        request = FormatRequest.objects.create(
            requester=requester,
            document=document,
            format=format,
            language=language,
            send_by=send_by,
            postal_address=postal_address,
            requested_at=now,
            due_date=terms.request_due_date(timezone.localdate(now)),
        )
        record_audit_entry(
            actor=requester,
            action="accounts.format_requested",
            summary=f"Asked for a document in {request.format_wanted}",
            target=request,
            data={"due_date": request.due_date.isoformat()},
        )
    return request


def check_mark_request_sent(*, request: FormatRequest, done_by: User, note: str = "") -> None:
    if not done_by.has_perm("accounts.manage_format_requests"):
        raise PermissionDenied("Only the secretariat can mark requests as sent.")
    note = " ".join((note or "").split())
    if len(note) > 300:
        raise ValidationError({"note": "Enter the note in 300 characters or fewer"})
    with transaction.atomic():
        locked = FormatRequest.objects.select_for_update().get(pk=request.pk)
        if locked.is_done:
            raise ValidationError("This request has already been marked as sent.")
        now = timezone.now()
        on_time = timezone.localdate(now) <= locked.due_date
        locked.status = FormatRequestStatus.SENT
        locked.done_at = now
        locked.done_by = done_by
        locked.note = note
        locked.save(update_fields=["status", "done_at", "done_by", "note"])
        record_audit_entry(
            actor=done_by,
            action="accounts.format_request_sent",
            summary=f"Sent a document in {locked.format_wanted}"
            + ("" if on_time else " after the date it was due"),
            target=locked,
            data={"on_time": on_time},
        )
    request.refresh_from_db()


def format_request_queue(*, show: str = "waiting") -> models.QuerySet[FormatRequest]:
    requests = FormatRequest.objects.select_related("requester")
    if show == "sent":
        return requests.filter(status=FormatRequestStatus.SENT).order_by("-done_at", "-pk")
    return requests.filter(status=FormatRequestStatus.WAITING).order_by("due_date", "pk")


def overdue_requests(today=None) -> models.QuerySet[FormatRequest]:
    today = today or timezone.localdate()
    return FormatRequest.objects.filter(status=FormatRequestStatus.WAITING, due_date__lt=today)


# Your data, and deleting an account ------------------------------------------------------------------


def export_for_user(user: User) -> dict[str, Any]:
    record = CommunicationNeeds.objects.filter(user=user).first()
    return {
        "communication_needs": (
            terms.need_labels(record.needs, record.language, record.something_else)
            if record
            else []
        ),
        "requests_for_other_formats": [
            {
                "document": r.document,
                "format": r.format_wanted,
                "send_by": r.send_by_words,
                "postal_address": r.postal_address,
                "asked_on": r.requested_at.isoformat(),
                "due": r.due_date.isoformat(),
                "status": r.get_status_display(),
                "sent_on": r.done_at.isoformat() if r.done_at else None,
            }
            for r in FormatRequest.objects.filter(requester=user).order_by("requested_at", "pk")
        ],
    }


def forget_user(user: User) -> None:
    CommunicationNeeds.objects.filter(user=user).delete()
    FormatRequest.objects.filter(requester=user).delete()
