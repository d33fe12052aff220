"""A responsible body answers a referred flag in public."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from nhs_citizen.core.dates import when_words
from nhs_citizen.core.models import Membership, Organisation, OrganisationType
from nhs_citizen.core.services.audit import record_audit_entry
from nhs_citizen.gather.models import Flag, FlagStatus, Outcome, Referral, ReferralStatus, Response
from nhs_citizen.gather.services.notify import notify_flag_audience
from nhs_citizen.gather.services.review import default_due_date


def referrals_for_responder(user):
    """Only referrals to organisations this person is a confirmed responder for."""
    organisation_ids = (
        Membership.objects.verified()
        .filter(user=user, role=Membership.Role.RESPONDER)
        .values("organisation_id")
    )
    return Referral.objects.filter(organisation_id__in=organisation_ids)


def check_respond(
    *,
    responder,
    referral: Referral,
    outcome: str,
    reasons: str,
    responsible_organisation: Organisation | None = None,
) -> Response:
    reasons = (reasons or "").strip()
    if not referrals_for_responder(responder).filter(pk=referral.pk).exists():
        raise ValidationError("You can only answer flags sent to an organisation you answer for.")
    errors = {}
    if outcome not in Outcome.values:
        errors["outcome"] = "Select your answer"
    if not reasons:
        errors["reasons"] = "Enter your reasons. They will be published"
    if outcome == Outcome.NOT_OURS:
        if responsible_organisation is None:
            errors["responsible_organisation"] = (
                "Select who is responsible. “Not ours” must always say whose it is"
            )
        elif responsible_organisation.pk == referral.organisation_id:
            errors["responsible_organisation"] = "Select a different body from your own"
        elif responsible_organisation.type not in OrganisationType.public_bodies():
            errors["responsible_organisation"] = "Select an NHS or public body"
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    with transaction.atomic():
        referral = (
            Referral.objects.select_for_update().select_related("organisation").get(pk=referral.pk)
        )
        if referral.status != ReferralStatus.AWAITING:
            raise ValidationError("This flag has already been answered.")
        flag = Flag.objects.select_for_update().get(pk=referral.flag_id)
        response = Response.objects.create(
            referral=referral,
            responder=responder,
            outcome=outcome,
            reasons=reasons,
            responsible_organisation=responsible_organisation
            if outcome == Outcome.NOT_OURS
            else None,
            on_time=today <= referral.due_date,
        )
        if outcome == Outcome.NOT_OURS:
            referral.status = ReferralStatus.PASSED_ON
            referral.save(update_fields=["status"])
            due = default_due_date(today)
            Referral.objects.create(
                flag=flag,
                organisation=responsible_organisation,
                referred_by=responder,
                due_date=due,
                passed_on_from=referral,
            )
            summary = (
                f"{referral.organisation.name} said “{flag.title}” is for {responsible_organisation.name} "
                f"to answer; it was sent there, answer due {when_words(due)}"
            )
            subject = f"Sent on to {responsible_organisation.name}"
            body = (
                f"{referral.organisation.name} says “{flag.title}” is not theirs to answer and that "
                f"{responsible_organisation.name} is responsible. It has been sent there, and they must answer "
                f"by {when_words(due)}. Their reasons: {reasons}"
            )
        else:
            referral.status = ReferralStatus.ANSWERED
            referral.save(update_fields=["status"])
            flag.status = FlagStatus.ANSWERED
            label = Outcome(outcome).label.lower()
            summary = f"{referral.organisation.name} answered “{flag.title}”: {label}"
            subject = f"{referral.organisation.name} has answered"
            body = f"{referral.organisation.name} has answered “{flag.title}”: {label}. Their reasons: {reasons}"
        flag.last_activity_at = timezone.now()
        flag.save(update_fields=["status", "last_activity_at"])
        record_audit_entry(
            actor=responder,
            action="gather.referral_answered",
            summary=summary,
            target=flag,
            reason=reasons,
            data={"referral_id": referral.pk, "outcome": outcome, "on_time": response.on_time},
            public=True,
        )
        notify_flag_audience(flag, subject, body, kind="answers")
    return response
