"""Changes to organisations and to who speaks or answers for them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from nhs_citizen.core.models import Membership, Organisation, OrganisationType
from nhs_citizen.core.services.audit import record_audit_entry


def check_request_membership(
    *, user, organisation: Organisation, role: str, job_title: str = ""
) -> Membership:
    """Ask to speak (member) or answer (responder) for an organisation. An administrator
    checks the request before it counts."""
    if role not in Membership.Role.values:
        raise ValidationError("Select whether you speak for or answer for this organisation.")
    if (
        role == Membership.Role.RESPONDER
        and organisation.type not in OrganisationType.public_bodies()
    ):
        raise ValidationError("Only NHS and public bodies have responders.")
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                user=user, organisation=organisation, role=role, job_title=job_title.strip()
            )
            record_audit_entry(
                actor=user,
                action="organisations.membership_requested",
                summary=f"Asked to join {organisation.name} as {membership.get_role_display().lower()}",
                target=membership,
                data={"organisation_id": organisation.pk, "role": role},
            )
    except IntegrityError as error:
        raise ValidationError(f"You have already asked to join {organisation.name}.") from error
    return membership


def do_verify_membership(*, membership: Membership, verified_by, reason: str = "") -> Membership:
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.is_verified:
            return membership
        membership.verified_at = timezone.now()
        membership.verified_by = verified_by
        membership.save(update_fields=["verified_at", "verified_by"])
        record_audit_entry(
            actor=verified_by,
            action="organisations.membership_verified",
            # Summaries name no person: a deleted account must leave no name behind.
            summary=f"Confirmed a new {membership.get_role_display().lower()} for {membership.organisation.name}",
            target=membership,
            reason=reason,
            data={
                "organisation_id": membership.organisation_id,
                "role": membership.role,
                "user_id": membership.user_id,
            },
            public=True,
        )
    from nhs_citizen.notifications.services import do_notify

    do_notify(
        user=membership.user,
        subject=f"You can now act for {membership.organisation.name}",
        body=(
            f"We have confirmed that you are {membership.get_role_display().lower()} for "
            f"{membership.organisation.name} on NHS Citizen."
        ),
        link=f"/organisations/{membership.organisation.slug}/",
    )
    return membership


def do_decline_membership(*, membership: Membership, declined_by, reason: str) -> None:
    if not reason.strip():
        raise ValidationError("Enter the reason, so the person knows why.")
    with transaction.atomic():
        record_audit_entry(
            actor=declined_by,
            action="organisations.membership_declined",
            summary=f"Declined a request to join {membership.organisation.name}",
            target=membership.organisation,
            reason=reason,
            data={
                "organisation_id": membership.organisation_id,
                "role": membership.role,
                "user_id": membership.user_id,
            },
        )
        user, organisation = membership.user, membership.organisation
        membership.delete()
    from nhs_citizen.notifications.services import do_notify

    do_notify(
        user=user,
        subject=f"Your request to join {organisation.name}",
        body=f"We could not confirm that you act for {organisation.name}. The reason we gave: {reason}",
        link=f"/organisations/{organisation.slug}/",
    )


def do_end_membership(*, membership: Membership, ended_by, reason: str = "") -> None:
    """The person leaves, or an administrator removes them."""
    with transaction.atomic():
        record_audit_entry(
            actor=ended_by,
            action="organisations.membership_ended",
            summary=f"A {membership.get_role_display().lower()} stopped acting for {membership.organisation.name}",
            target=membership.organisation,
            reason=reason,
            data={"organisation_id": membership.organisation_id, "role": membership.role},
            public=membership.is_verified,
        )
        membership.delete()
