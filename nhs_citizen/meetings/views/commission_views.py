"""Citizen Panels commissioned by the Assembly: the public list and pages, and the
secretariat's pages to record a commission, link its panel and publish its report."""

from __future__ import annotations

import os

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from rules.contrib.views import permission_required

from nhs_citizen.meetings import presenters
from nhs_citizen.meetings.forms import CommissionForm, LinkPanelForm, ReportForm
from nhs_citizen.meetings.models import Meeting, PanelCommission
from nhs_citizen.meetings.services import commissions as services
from nhs_citizen.meetings.views.common import get_meeting
from nhs_citizen.nhsuk_forms.errors import add_service_errors as add_errors


def commission_list(request: HttpRequest) -> HttpResponse:
    commissions = PanelCommission.objects.select_related("meeting__cycle", "panel").order_by(
        "-commissioned_at", "-pk"
    )
    can_commission = request.user.has_perm("meetings.commission_panel")
    return render(
        request,
        "meetings/commission_list.jinja",
        {
            "page_title": "Citizen Panels commissioned by the Assembly",
            "rows": presenters.commission_rows(commissions),
            "can_commission": can_commission,
            "meetings": list(Meeting.objects.select_related("cycle").order_by("-starts_at"))
            if can_commission
            else [],
        },
    )


def _commission(pk: int) -> PanelCommission:
    return get_object_or_404(
        PanelCommission.objects.select_related("meeting__cycle", "item", "panel"), pk=pk
    )


def commission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    commission = _commission(pk)
    status, colour = presenters.commission_status(commission)
    return render(
        request,
        "meetings/commission_detail.jinja",
        {
            "page_title": commission.question,
            "commission": commission,
            "status": status,
            "status_colour": colour,
            "board_response_url": presenters.board_response_url(commission),
            "report_late": bool(
                commission.report_published_at
                and timezone.localtime(commission.report_published_at).date()
                > commission.report_due
            ),
            "can_commission": request.user.has_perm("meetings.commission_panel"),
        },
    )


@permission_required("meetings.commission_panel", raise_exception=True)
def commission_panel(request: HttpRequest, cycle_slug: str) -> HttpResponse:
    meeting = get_meeting(cycle_slug)
    initial = {}
    if item_pk := request.GET.get("item"):
        initial["item"] = item_pk if item_pk.isdigit() else None
    form = CommissionForm(request.POST or None, meeting=meeting, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            commission = services.check_commission_panel(
                secretariat=request.user, meeting=meeting, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                "The Assembly's decision has been recorded. Set up the panel in Selection by "
                "lot, then link it here.",
            )
            return redirect(commission)
    return render(
        request,
        "meetings/commission_panel.jinja",
        {
            "page_title": "Record a Citizen Panel the Assembly commissioned",
            "meeting": meeting,
            "cycle": meeting.cycle,
            "form": form,
        },
    )


@permission_required("meetings.commission_panel", raise_exception=True)
def link_panel(request: HttpRequest, pk: int) -> HttpResponse:
    commission = _commission(pk)
    panels = services.panels_to_link(commission)
    form = LinkPanelForm(
        request.POST or None, panels=panels, initial={"panel": commission.panel_id}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.check_link_commission_panel(
                secretariat=request.user, commission=commission, panel=form.cleaned_data["panel"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "The panel has been linked to this commission.")
            return redirect(commission)
    return render(
        request,
        "meetings/link_panel.jinja",
        {
            "page_title": "Link the panel drawn by lot",
            "commission": commission,
            "form": form,
            "has_panels": panels.exists(),
        },
    )


@permission_required("meetings.commission_panel", raise_exception=True)
def publish_report(request: HttpRequest, pk: int) -> HttpResponse:
    commission = _commission(pk)
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.check_publish_commission_report(
                secretariat=request.user,
                commission=commission,
                summary=form.cleaned_data["report_summary"],
                url=form.cleaned_data.get("report_url") or "",
                upload=form.cleaned_data.get("report_file"),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "The report has been published.")
            return redirect(commission)
    return render(
        request,
        "meetings/publish_report.jinja",
        {"page_title": "Publish the panel's report", "commission": commission, "form": form},
    )


def report_file(request: HttpRequest, pk: int) -> FileResponse:
    commission = get_object_or_404(PanelCommission, pk=pk)
    if not commission.report_file or not commission.report_published_at:
        raise Http404
    extension = os.path.splitext(commission.report_file.name)[1]
    response = FileResponse(commission.report_file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="citizen-panel-report-{commission.pk}{extension}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; object-src 'self'"
    return response
