"""Citizen Panels the Assembly commissions: the decision (question, remit, size, quotas,
deadline, reasons), the panel drawn by lot for it, and its report. The Board's response to the
report is recorded on the tracker."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from nhs_citizen.core.dates import when_words
from nhs_citizen.core.services.audit import record_audit_entry
from nhs_citizen.gather.services.evidence import check_evidence_file
from nhs_citizen.meetings.models import AgendaItem, CommissionStatus, Meeting, PanelCommission
from nhs_citizen.meetings.services.decisions import ASSEMBLY, SECRETARIAT, record_cycle_decision
from nhs_citizen.panels.models import Panel, PanelPurpose, PanelStatus

MIN_SIZE = 2
MAX_SIZE = 500  # as for any panel drawn by lot
DRAWN = (PanelStatus.DRAWN, PanelStatus.SEED_REVEALED)


def _text(value: str | None) -> str:
    return (value or "").strip()


def check_commission_panel(
    *,
    secretariat,
    meeting: Meeting,
    question: str,
    remit: str,
    size: int,
    quotas_note: str,
    report_due: datetime.date,
    reasons: str,
    item: AgendaItem | None = None,
) -> PanelCommission:
    """Record the Assembly's decision to commission a Citizen Panel."""
    question = " ".join((question or "").split())
    remit, quotas_note, reasons = _text(remit), _text(quotas_note), _text(reasons)
    errors = {}
    if not question:
        errors["question"] = "Enter the question the panel will answer"
    elif len(question) > 300:
        errors["question"] = "The question must be 300 characters or fewer"
    if not remit:
        errors["remit"] = "Enter the panel's remit"
    elif len(remit) > 5000:
        errors["remit"] = "The remit must be 5,000 characters or fewer"
    if size is None or not MIN_SIZE <= size <= MAX_SIZE:
        errors["size"] = f"A panel has between {MIN_SIZE} and {MAX_SIZE} people"
    if not quotas_note:
        errors["quotas_note"] = "Enter which groups the panel must include"
    elif len(quotas_note) > 3000:
        errors["quotas_note"] = "The quotas must be 3,000 characters or fewer"
    if report_due is None:
        errors["report_due"] = "Enter the date the report is due"
    elif report_due <= timezone.localdate():
        errors["report_due"] = "The date the report is due must be in the future"
    if not reasons:
        errors["reasons"] = "Enter why the Assembly asked for this panel"
    elif len(reasons) > 3000:
        errors["reasons"] = "The reasons must be 3,000 characters or fewer"
    if item is not None and item.meeting_id != meeting.pk:
        errors["item"] = "Choose an item on this meeting's agenda"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        commission = PanelCommission.objects.create(
            meeting=meeting,
            item=item,
            question=question,
            remit=remit,
            size=size,
            quotas_note=quotas_note,
            report_due=report_due,
            reasons=reasons,
            commissioned_by=secretariat,
        )
        record_cycle_decision(
            cycle=meeting.cycle,
            kind="panel_commissioned",
            summary=f"The Assembly commissioned a Citizen Panel of {size} people: {question}",
            reasons=reasons,
            decided_by=secretariat,
            decided_by_role=ASSEMBLY,
        )
        record_audit_entry(
            actor=secretariat,
            action="meetings.panel_commissioned",
            summary=f"Recorded the Assembly's decision to commission a Citizen Panel: {question}",
            target=commission,
            reason=reasons,
            data={
                "meeting": meeting.pk,
                "item": item.pk if item else None,
                "size": size,
                "report_due": report_due.isoformat(),
            },
            public=True,
        )
    return commission


def panels_to_link(commission: PanelCommission):
    """Citizen Panels of the size the Assembly asked for, not linked to another commission."""
    taken = (
        PanelCommission.objects.exclude(pk=commission.pk)
        .filter(panel__isnull=False)
        .values("panel_id")
    )
    return (
        Panel.objects.filter(purpose=PanelPurpose.CITIZEN_PANEL, size=commission.size)
        .exclude(pk__in=taken)
        .order_by("-created_at", "-pk")
    )


def check_link_commission_panel(
    *, secretariat, commission: PanelCommission, panel: Panel
) -> PanelCommission:
    """Link the panel drawn by lot for the commission (set up and drawn in Selection by lot)."""
    if commission.report_published_at:
        raise ValidationError("The report has been published, so the panel cannot change.")
    if panel.purpose != PanelPurpose.CITIZEN_PANEL:
        raise ValidationError({"panel": "Choose a panel set up as a Citizen Panel"})
    if panel.size != commission.size:
        raise ValidationError(
            {
                "panel": f"This panel has {panel.size} places, but the Assembly asked for "
                f"{commission.size} people. Choose the panel set up for this question."
            }
        )
    with transaction.atomic():
        commission = PanelCommission.objects.select_for_update().get(pk=commission.pk)
        if PanelCommission.objects.filter(panel=panel).exclude(pk=commission.pk).exists():
            raise ValidationError({"panel": "This panel is already linked to another commission"})
        if commission.panel_id == panel.pk:
            return commission
        commission.panel = panel
        commission.status = (
            CommissionStatus.DRAWN if panel.status in DRAWN else CommissionStatus.COMMISSIONED
        )
        commission.save(update_fields=["panel", "status"])
        record_audit_entry(
            actor=secretariat,
            action="meetings.commission_panel_linked",
            summary=f"Linked the panel “{panel.title}” to the Citizen Panel commissioned on: {commission.question}",
            target=commission,
            data={"panel": panel.pk},
            public=True,
        )
    return commission


def check_publish_commission_report(
    *, secretariat, commission: PanelCommission, summary: str, url: str = "", upload=None
) -> PanelCommission:
    """Publish the panel's report: a summary, and the report itself as a link or a PDF."""
    summary = _text(summary)
    url = _text(url)
    if commission.report_published_at:
        raise ValidationError("The report has already been published.")
    if commission.panel_id is None:
        raise ValidationError("Link the panel that was drawn before you publish its report.")
    if not summary:
        raise ValidationError({"report_summary": "Enter a summary of the report"})
    if len(summary) > 10000:
        raise ValidationError({"report_summary": "The summary must be 10,000 characters or fewer"})
    if not url and upload is None:
        raise ValidationError({"report_url": "Enter the report's web address or choose its PDF"})
    if url and upload is not None:
        raise ValidationError({"report_url": "Add a web address or a PDF, not both"})
    checked = None
    if upload is not None:
        try:
            checked = check_evidence_file(upload)
        except ValidationError as error:
            raise ValidationError({"report_file": error.message_dict["file"]}) from error
        if checked.mime != "application/pdf":
            raise ValidationError({"report_file": "The report must be a PDF"})
    now = timezone.now()
    with transaction.atomic():
        commission = (
            PanelCommission.objects.select_for_update()
            .select_related("meeting__cycle")
            .get(pk=commission.pk)
        )
        if commission.report_published_at:
            raise ValidationError("The report has already been published.")
        commission.report_summary = summary
        commission.report_url = url
        if checked:
            commission.report_file.save(checked.safe_name, checked.upload, save=False)
        commission.report_published_at = now
        commission.status = CommissionStatus.REPORTED
        commission.save()
        record_cycle_decision(
            cycle=commission.meeting.cycle,
            kind="panel_report_published",
            summary=f"The Citizen Panel's report was published: {commission.question}",
            decided_by=secretariat,
            decided_by_role=SECRETARIAT,
        )
        record_audit_entry(
            actor=secretariat,
            action="meetings.commission_report_published",
            summary=(
                f"Published the report of the Citizen Panel on: {commission.question} "
                f"(due {when_words(commission.report_due)})"
            ),
            target=commission,
            data={
                "kind": "file" if checked else "link",
                "on_time": now.date() <= commission.report_due,
            },
            public=True,
        )
    return commission
