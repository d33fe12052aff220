"""Panels: set up, quotas, draw, members (secretariat); the public record and its check."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from nhs_citizen.core.pagination import paginate
from nhs_citizen.nhsuk_forms.errors import flash_errors
from nhs_citizen.panels import categories, presenters
from nhs_citizen.panels.forms import (
    CommitSeedForm,
    OversampleForm,
    PanelForm,
    PublicValueForm,
    QuotaForm,
)
from nhs_citizen.panels.member_needs import member_needs
from nhs_citizen.panels.models import (
    HEAVY_PANEL_FIELDS,
    DrawJob,
    MemberStatus,
    Panel,
    PanelMember,
    PanelStatus,
)
from nhs_citizen.panels.services import draws, jobs
from nhs_citizen.panels.services import quotas as quota_services

PANELS_PER_PAGE = 20
# The progress page of a running job reloads itself this often (a <meta http-equiv="refresh">,
# no JavaScript), unless the reader turns it off with ?refresh=off. A timed refresh is a WCAG
# 2.2.1 concern (axe's "meta-refresh" rule flags it): with AUTO_REFRESH_BY_DEFAULT = False the
# page refreshes only when the reader asks for it with ?refresh=on.
REFRESH_SECONDS = 5
AUTO_REFRESH_BY_DEFAULT = False


def _panels():
    """Panels without their big published documents, which pages do not show."""
    return Panel.objects.defer(*HEAVY_PANEL_FIELDS)


def panel_list(request: HttpRequest) -> HttpResponse:
    panels = _panels().order_by("-created_at", "-pk")
    page, pagination = paginate(request, panels, per_page=PANELS_PER_PAGE)
    return render(
        request,
        "panels/panel_list.jinja",
        {
            "page_title": "Panels chosen by lot",
            "panels": page.object_list,
            "total": page.paginator.count,
            "pagination": pagination,
        },
    )


def panel_detail(request: HttpRequest, pk: int) -> HttpResponse:
    panel = get_object_or_404(_panels().select_related("pool"), pk=pk)
    return render(
        request,
        "panels/panel_detail.jinja",
        {
            "page_title": panel.title,
            "panel": panel,
            "report": presenters.selection_report(panel),
            "summary": presenters.distribution_summary(panel),
            "steps": presenters.protocol_steps(panel),
            "reserves_note": draws.reserves_note(panel),
        },
    )


def check_draw(request: HttpRequest, pk: int) -> HttpResponse:
    """The stored result of the latest check of the draw. Never recomputes: a background job
    checks the draw after the seed is revealed."""
    panel = get_object_or_404(_panels(), pk=pk)
    return render(
        request,
        "panels/check_draw.jinja",
        {"page_title": "Check this draw", "panel": panel, "check": presenters.draw_check(panel)},
    )


def _json_download(data, filename: str) -> JsonResponse:
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def draw_inputs(request: HttpRequest, pk: int) -> JsonResponse:
    panel = get_object_or_404(Panel, pk=pk)
    if not panel.published_inputs or panel.status == PanelStatus.SETTING_UP:
        raise Http404
    # Byte for byte the file the check job hashed, so anyone can compare the SHA-256.
    response = HttpResponse(draws.draw_file(panel), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{draws.draw_file_name(panel)}"'
    return response


@permission_required("panels.run_draws", raise_exception=True)
def create_panel(request: HttpRequest) -> HttpResponse:
    form = PanelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            panel = draws.check_create_panel(created_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            imported = request.session.get("panels.imported_quotas", {}).get(str(panel.pool_id))
            if imported:
                quota_services.check_set_quotas(
                    panel=panel, quotas=[tuple(q) for q in imported], set_by=request.user
                )
                messages.success(
                    request, "The panel has been set up with the quotas from the categories file."
                )
            else:
                messages.success(request, "The panel has been set up. Now set its quotas.")
            return redirect("panels:set_quotas", pk=panel.pk)
    return render(
        request, "panels/create_panel.jinja", {"page_title": "Set up a panel", "form": form}
    )


@permission_required("panels.run_draws", raise_exception=True)
def set_quotas(request: HttpRequest, pk: int) -> HttpResponse:
    panel = get_object_or_404(Panel, pk=pk)
    current = [(q.category, q.value, q.minimum, q.maximum) for q in panel.quotas.all()]
    oversample_form = OversampleForm(request.POST if "from_census" in request.POST else None)
    quota_form = QuotaForm(
        request.POST if "save_quotas" in request.POST else None,
        quotas=current or quota_services.quotas_from_census(panel.size),
    )
    if request.method == "POST" and panel.status == PanelStatus.SETTING_UP:
        chosen = None
        if "from_census" in request.POST and oversample_form.is_valid():
            chosen = quota_services.quotas_from_census(
                panel.size,
                tolerance=oversample_form.cleaned_data["tolerance"] / 100,
                oversample=oversample_form.oversample_factors(),
            )
        elif "save_quotas" in request.POST and quota_form.is_valid():
            chosen = quota_form.quotas()
        if chosen is not None:
            try:
                quota_services.check_set_quotas(panel=panel, quotas=chosen, set_by=request.user)
            except ValidationError as error:
                quota_form.add_error(None, error)
            else:
                messages.success(request, "The quotas have been saved.")
                return redirect("panels:set_quotas", pk=panel.pk)
    feasibility = draws.feasibility(panel) if panel.quotas.exists() else None
    return render(
        request,
        "panels/set_quotas.jinja",
        {
            "page_title": "Quotas",
            "panel": panel,
            "quota_form": quota_form,
            "oversample_form": oversample_form,
            "error_form": quota_form if quota_form.errors else oversample_form,
            "feasibility": feasibility,
            "labels": categories.CATEGORY_LABELS,
        },
    )


def _staff_action(request: HttpRequest, pk: int, action, done: str) -> HttpResponse:
    panel = get_object_or_404(Panel, pk=pk)
    try:
        action(panel)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(
            "panels:set_quotas"
            if panel.status == PanelStatus.SETTING_UP
            else "panels:manage_panel",
            pk=panel.pk,
        )
    messages.success(request, done)
    return redirect("panels:manage_panel", pk=panel.pk)


@permission_required("panels.run_draws", raise_exception=True)
@require_POST
def freeze_inputs(request: HttpRequest, pk: int) -> HttpResponse:
    return _staff_action(
        request,
        pk,
        lambda panel: draws.do_freeze_inputs(panel=panel, frozen_by=request.user),
        "The inputs are fixed and their code is published. Now make the lottery.",
    )


@permission_required("panels.run_draws", raise_exception=True)
@require_POST
def make_lottery(request: HttpRequest, pk: int) -> HttpResponse:
    """Start making the lottery in the background and show its progress."""
    return _start_job(request, pk, jobs.do_request_lottery)


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@permission_required("panels.run_draws", raise_exception=True)
def commit_seed(request: HttpRequest, pk: int) -> HttpResponse:
    """Commit the secret seed and name the public random value, after the lottery is
    published."""
    panel = get_object_or_404(_panels(), pk=pk)
    if panel.status != PanelStatus.LOTTERY_PUBLISHED:
        messages.error(request, draws.NOT_READY_FOR_SEED)
        return redirect("panels:manage_panel", pk=panel.pk)
    form = CommitSeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            draws.do_commit_seed(
                panel=panel,
                committed_by=request.user,
                public_value_name=form.cleaned_data["public_value_name"],
                public_value_date=form.cleaned_data["public_value_date"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                "The seed is committed. Its code, the public value you named and its date are "
                "published. Come back on that date to type in the value.",
            )
            return redirect("panels:manage_panel", pk=panel.pk)
    return render(
        request,
        "panels/commit_seed.jinja",
        {"page_title": "Commit the seed", "panel": panel, "form": form},
    )


@permission_required("panels.run_draws", raise_exception=True)
def enter_public_value(request: HttpRequest, pk: int) -> HttpResponse:
    """Type in the public value named when the seed was committed; the draw then starts."""
    panel = get_object_or_404(_panels(), pk=pk)
    if panel.status != PanelStatus.SEED_COMMITTED or panel.public_value:
        messages.error(request, draws.NOT_WAITING_FOR_VALUE)
        return redirect("panels:manage_panel", pk=panel.pk)
    form = PublicValueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = draws.do_enter_public_value(
                panel=panel, entered_by=request.user, value=form.cleaned_data["public_value"]
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            return redirect("panels:job_progress", pk=panel.pk, job_pk=job.pk)
    return render(
        request,
        "panels/enter_public_value.jinja",
        {"page_title": "Type in the public value", "panel": panel, "form": form},
    )


def _start_job(request: HttpRequest, pk: int, request_job) -> HttpResponse:
    panel = get_object_or_404(Panel.objects.only("pk", "status"), pk=pk)
    try:
        job = request_job(panel=panel, requested_by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("panels:manage_panel", pk=panel.pk)
    return redirect("panels:job_progress", pk=panel.pk, job_pk=job.pk)


@permission_required("panels.run_draws", raise_exception=True)
@require_POST
def run_draw(request: HttpRequest, pk: int) -> HttpResponse:
    """Run the draw again after a try that did not finish, and show its progress."""
    return _start_job(request, pk, jobs.do_request_draw)


@permission_required("panels.run_draws", raise_exception=True)
@require_POST
def check_again(request: HttpRequest, pk: int) -> HttpResponse:
    """Check the draw again from its published file, in the background."""
    return _start_job(request, pk, jobs.do_request_check)


@permission_required("panels.run_draws", raise_exception=True)
def job_progress(request: HttpRequest, pk: int, job_pk: int) -> HttpResponse:
    """How far a draw or a check has got. While it runs the page reloads itself every few
    seconds (no JavaScript needed), unless asked not to."""
    job = get_object_or_404(
        DrawJob.objects.select_related("panel").defer(
            *(f"panel__{name}" for name in HEAVY_PANEL_FIELDS)
        ),
        pk=job_pk,
        panel_id=pk,
    )
    progress = presenters.job_progress(job)
    choice = request.GET.get("refresh")
    auto_refresh = (progress["active"] and not job.seems_stopped) and (
        choice == "on" or (AUTO_REFRESH_BY_DEFAULT and choice != "off")
    )
    return render(
        request,
        "panels/job_progress.jinja",
        {
            "page_title": progress["title"],
            "panel": job.panel,
            "progress": progress,
            "auto_refresh": auto_refresh,
            "refresh_seconds": REFRESH_SECONDS,
        },
    )


@permission_required("panels.run_draws", raise_exception=True)
@require_POST
def reveal_seed(request: HttpRequest, pk: int) -> HttpResponse:
    return _staff_action(
        request,
        pk,
        lambda panel: draws.do_reveal_seed(panel=panel, revealed_by=request.user),
        "The seed is revealed. We are checking the draw now, and anyone can check it too.",
    )


@permission_required("panels.run_draws", raise_exception=True)
def manage_panel(request: HttpRequest, pk: int) -> HttpResponse:
    panel = get_object_or_404(_panels().select_related("pool"), pk=pk)
    members = panel.members.select_related("pool_member__user").order_by(
        "status", "reserve_position", "pk"
    )
    return render(
        request,
        "panels/manage_panel.jinja",
        {
            "page_title": f"Manage {panel.title}",
            "panel": panel,
            "members": members,
            "MemberStatus": MemberStatus,
            "left_since_commit": draws.left_since_inputs_fixed(panel),
            "reserves_note": draws.reserves_note(panel),
            "today": timezone.localdate(),
            "latest_jobs": jobs.latest_jobs(panel),
            "check": presenters.draw_check(panel),
            # Communication needs of confirmed members, for planning (ADR 0036; audited).
            "member_needs": member_needs(panel, request.user, where="the panel's member list"),
        },
    )


@permission_required("panels.run_draws", raise_exception=True)
@require_POST
def member_action(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    member = get_object_or_404(
        PanelMember.objects.select_related("panel"), pk=member_pk, panel_id=pk
    )
    action = request.POST.get("action")
    try:
        if action == "replace":
            draws.check_replace_member(member=member, replaced_by=request.user)
            messages.success(request, "The next reserve who keeps the quotas met has been invited.")
        elif action in {MemberStatus.CONFIRMED, MemberStatus.DECLINED}:
            draws.do_set_member_status(member=member, status=action, set_by=request.user)
            messages.success(request, "The member's answer has been recorded.")
        else:
            messages.error(request, "Choose what to do.")
    except ValidationError as error:
        flash_errors(request, error)
    return redirect("panels:manage_panel", pk=pk)


@login_required
@require_POST
def respond_to_invitation(request: HttpRequest, member_pk: int) -> HttpResponse:
    member = get_object_or_404(
        PanelMember.objects.select_related("panel", "pool_member"), pk=member_pk
    )
    try:
        draws.do_respond_to_invitation(
            member=member, user=request.user, accept=request.POST.get("answer") == "accept"
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, "Thank you. We have your answer.")
    return redirect("panels:your_answers")


def distribution(request: HttpRequest, pk: int) -> JsonResponse:
    panel = get_object_or_404(Panel, pk=pk)
    published = panel.published_lottery or panel.published_result  # v1 kept them in the result
    if not published or not published.get("probabilities"):
        raise Http404
    return _json_download(
        {"panel": panel.title, "probabilities": published["probabilities"]},
        f"panel-{pk}-probabilities.json",
    )
