"""The review panel's decisions, against the published criteria, and referrals."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from nhs_citizen.core.dates import when_words
from nhs_citizen.core.models import Organisation, OrganisationType
from nhs_citizen.core.services.audit import record_audit_entry
from nhs_citizen.gather.models import Decision, Flag, FlagStatus, Referral, ReviewDecision
from nhs_citizen.gather.services.notify import notify_flag_audience
from nhs_citizen.gather.working_days import add_working_days


def default_due_date(today: date | None = None) -> date:
    return add_working_days(
        today or timezone.localdate(), settings.NHS_CITIZEN["RESPONSE_WORKING_DAYS"]
    )


def check_record_decision(
    *,
    reviewer,
    flag: Flag,
    decision: str,
    is_national: bool,
    within_remit: bool,
    reasons: str,
    organisation: Organisation | None = None,
    due_date: date | None = None,
) -> ReviewDecision:
    reasons = (reasons or "").strip()
    errors = {}
    if decision not in Decision.values:
        errors["decision"] = "Select what should happen to this flag"
    if not reasons:
        errors["reasons"] = "Enter the reasons for your decision. They will be published"
    if decision == Decision.SHORTLIST and not (is_national and within_remit):
        errors["decision"] = (
            "Only a flag that is national and within NHS England's remit can be shortlisted for the Assembly"
        )
    if decision == Decision.REFER:
        if organisation is None:
            errors["organisation"] = "Select the body that must answer"
        elif organisation.type not in OrganisationType.public_bodies():
            errors["organisation"] = (
                "Select an NHS or public body. Charities and groups cannot be asked to answer"
            )
        if due_date is not None and due_date <= timezone.localdate():
            errors["due_date"] = "The date the answer is due must be in the future"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        flag = Flag.objects.select_for_update().get(pk=flag.pk)
        if flag.status != FlagStatus.IN_REVIEW:
            raise ValidationError("This flag is not waiting for a review decision.")
        record = ReviewDecision.objects.create(
            flag=flag,
            decided_by=reviewer,
            decision=decision,
            is_national=is_national,
            within_remit=within_remit,
            reasons=reasons,
        )
        now = timezone.now()
        criteria = {"is_national": is_national, "within_remit": within_remit}
        if decision == Decision.SHORTLIST:
            flag.status = FlagStatus.SHORTLISTED
            summary = f"Shortlisted “{flag.title}” for the Assembly"
            message = (
                f"“{flag.title}” has been shortlisted for the NHS Citizen Assembly.",
                "A flag you care about is shortlisted for the Assembly",
            )
        elif decision == Decision.REFER:
            due = due_date or default_due_date()
            Referral.objects.create(
                flag=flag, organisation=organisation, referred_by=reviewer, due_date=due
            )
            flag.status = FlagStatus.REFERRED
            summary = (
                f"Referred “{flag.title}” to {organisation.name}, answer due {when_words(due)}"
            )
            criteria["organisation_id"] = organisation.pk
            criteria["due_date"] = due.isoformat()
            message = (
                f"“{flag.title}” has been sent to {organisation.name}. They must answer in public by {when_words(due)}.",
                f"A flag you care about is sent to {organisation.name} to answer",
            )
        else:
            flag.status = FlagStatus.CLOSED
            flag.closed_reason = reasons
            summary = f"Closed “{flag.title}”"
            message = (
                f"The review panel has closed “{flag.title}”. Their reasons: {reasons}",
                "A flag you care about is closed",
            )
        flag.last_activity_at = now
        flag.save(update_fields=["status", "closed_reason", "last_activity_at"])
        record_audit_entry(
            actor=reviewer,
            action=f"gather.review_{decision}",
            summary=summary,
            target=flag,
            reason=reasons,
            data=criteria,
            public=True,
        )
        notify_flag_audience(flag, message[1], message[0])
    return record
