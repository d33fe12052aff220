"""Changes to accounts and roles. Views call these; these write the audit log."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from nhs_citizen.accounts.models import ROLE_DESCRIPTIONS, Role, RoleAssignment, User
from nhs_citizen.core.models import AuditEntry, Icb, Membership, Region
from nhs_citizen.core.services.audit import record_audit_entry

# Other apps add what they hold about a person: a section for "Your data", and a step that
# removes or anonymises it when the account is deleted.
DataExportSection = Callable[[User], Any]
DeletionStep = Callable[[User], None]
_export_sections: dict[str, DataExportSection] = {}
_deletion_steps: list[DeletionStep] = []


def register_data_export_section(name: str, section: DataExportSection) -> None:
    _export_sections[name] = section


def register_account_deletion_step(step: DeletionStep) -> None:
    if step not in _deletion_steps:
        _deletion_steps.append(step)


def do_update_profile(
    *, user: User, display_name: str, region: Region | None, icb: Icb | None, interests
) -> User:
    if icb is not None and region is not None and icb.region_id != region.pk:
        raise ValidationError("The local NHS area you chose is not in the region you chose.")
    with transaction.atomic():
        user.display_name = display_name
        user.region = icb.region if icb is not None else region
        user.icb = icb
        user.save(update_fields=["display_name", "region", "icb"])
        user.interests.set(interests)
        record_audit_entry(
            actor=user,
            action="accounts.profile_updated",
            summary="Updated their profile",
            target=user,
        )
    return user


def check_grant_role(*, user: User, role: str, granted_by: User, reason: str) -> RoleAssignment:
    if role not in Role.values:
        raise ValidationError("Select a role from the list.")
    if user.deleted_at:
        raise ValidationError("This account has been deleted.")
    if not reason.strip():
        raise ValidationError("Enter the reason for giving this role.")
    try:
        with transaction.atomic():
            assignment = RoleAssignment.objects.create(user=user, role=role, granted_by=granted_by)
            record_audit_entry(
                actor=granted_by,
                action="accounts.role_granted",
                summary=f"Gave someone the {Role(role).label.lower()} role",
                target=user,
                reason=reason.strip(),
                data={"role": role, "user_id": user.pk},
                public=True,
            )
    except IntegrityError as error:
        raise ValidationError(
            f"This person already has the {Role(role).label.lower()} role."
        ) from error
    user.__dict__.pop("staff_roles", None)
    return assignment


def check_revoke_role(*, user: User, role: str, revoked_by: User, reason: str) -> None:
    if not reason.strip():
        raise ValidationError("Enter the reason for removing this role.")
    with transaction.atomic():
        assignment = RoleAssignment.objects.select_for_update().filter(user=user, role=role).first()
        if assignment is None:
            raise ValidationError("This person does not have that role.")
        if (
            role == Role.ADMINISTRATOR
            and RoleAssignment.objects.filter(role=Role.ADMINISTRATOR).count() <= 1
        ):
            raise ValidationError("You cannot remove the last administrator.")
        assignment.delete()
        record_audit_entry(
            actor=revoked_by,
            action="accounts.role_revoked",
            summary=f"Removed someone's {Role(role).label.lower()} role",
            target=user,
            reason=reason.strip(),
            data={"role": role, "user_id": user.pk},
            public=True,
        )
    user.__dict__.pop("staff_roles", None)


def build_data_export(user: User) -> dict[str, Any]:
    """Everything NHS Citizen holds about this person, as plain data."""
    emails = EmailAddress.objects.filter(user=user).order_by("email")
    authenticators = Authenticator.objects.filter(user=user).order_by("created_at")
    memberships = Membership.objects.filter(user=user).select_related("organisation")
    roles = RoleAssignment.objects.filter(user=user)
    export: dict[str, Any] = {
        "about_this_file": (
            "Everything NHS Citizen holds about you, made on request. Your password and the "
            "secret behind your two-step verification are not included: they are stored so "
            "that nobody, including us, can read them."
        ),
        "made_at": timezone.now().isoformat(),
        "account": {
            "id": user.pk,
            "email": user.email,
            "display_name": user.display_name,
            "joined": user.date_joined.isoformat(),
            "last_signed_in": user.last_login.isoformat() if user.last_login else None,
            "region": user.region.name if user.region_id else None,
            "icb_area": user.icb.name if user.icb_id else None,
            "interests": [topic.name for topic in user.interests.order_by("name")],
        },
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary} for e in emails
        ],
        "two_step_verification": [
            {
                "type": a.get_type_display(),
                "added": a.created_at.isoformat(),
                "last_used": a.last_used_at.isoformat() if a.last_used_at else None,
            }
            for a in authenticators
        ],
        "organisations": [
            {
                "organisation": m.organisation.name,
                "role": m.get_role_display(),
                "job_title": m.job_title,
                "asked_on": m.requested_at.isoformat(),
                "confirmed_on": m.verified_at.isoformat() if m.verified_at else None,
            }
            for m in memberships
        ],
        "staff_roles": [
            {
                "role": a.get_role_display(),
                "what_it_does": ROLE_DESCRIPTIONS[a.role],
                "given_on": a.granted_at.isoformat(),
            }
            for a in roles
        ],
        "audit_log_entries_about_your_actions": [
            {
                "number": entry.sequence,
                "when": entry.created_at.isoformat(),
                "what": entry.summary,
                "why": entry.reason,
                "public": entry.is_public,
            }
            for entry in AuditEntry.objects.filter(actor=user).order_by("sequence")
        ],
    }
    for name, section in _export_sections.items():
        export[name] = section(user)
    return export


def do_delete_account(*, user: User) -> None:
    """Remove everything about the person. What they contributed in public stays, shown as
    written by a "Former member". The row itself stays, emptied, so that links from their
    contributions (and the audit log) still point somewhere."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        record_audit_entry(
            actor=user,
            action="accounts.account_deleted",
            summary="A person deleted their account",
            target=user,
        )
        for step in _deletion_steps:
            step(user)
        EmailAddress.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        Membership.objects.filter(user=user).delete()
        RoleAssignment.objects.filter(user=user).delete()
        user.interests.clear()
        user.email = f"deleted-{uuid.uuid4().hex}@deleted.invalid"
        user.display_name = ""
        user.region = None
        user.icb = None
        user.is_active = False
        user.last_login = None
        user.deleted_at = timezone.now()
        # An unusable password also ends every signed-in session of this account.
        user.set_unusable_password()
        user.save()
