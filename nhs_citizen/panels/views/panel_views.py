"""Panels: set up, quotas, draw, members (secretariat); the public record and its check."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from nhs_citizen.panels import categories, presenters
from nhs_citizen.panels.forms import OversampleForm, PanelForm, QuotaForm
from nhs_citizen.panels.models import MemberStatus, Panel, PanelMember, PanelStatus
from nhs_citizen.panels.services import draws
from nhs_citizen.panels.services import quotas as quota_services


def panel_list(request: HttpRequest) -> HttpResponse:
    panels = Panel.objects.select_related("pool").order_by("-created_at")
    return render(
        request, "panels/panel_list.jinja", {"page_title": "Panels chosen by lot", "panels": panels}
    )


def panel_detail(request: HttpRequest, pk: int) -> HttpResponse:
    panel = get_object_or_404(Panel.objects.select_related("pool"), pk=pk)
    return render(
        request,
        "panels/panel_detail.jinja",
        {
            "page_title": panel.title,
            "panel": panel,
            "report": presenters.selection_report(panel),
            "summary": presenters.distribution_summary(panel),
        },
    )


def check_draw(request: HttpRequest, pk: int) -> HttpResponse:
    panel = get_object_or_404(Panel, pk=pk)
    problems = draws.check_draw(panel)
    return render(
        request,
        "panels/check_draw.jinja",
        {"page_title": "Check this draw", "panel": panel, "problems": problems},
    )


def _json_download(data, filename: str) -> JsonResponse:
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def draw_inputs(request: HttpRequest, pk: int) -> JsonResponse:
    panel = get_object_or_404(Panel, pk=pk)
    if not panel.published_inputs:
        raise Http404
    return _json_download(
        {
            "panel": panel.title,
            "seed_sha256": panel.seed_hash,
            "seed_committed_at": panel.seed_committed_at.isoformat()
            if panel.seed_committed_at
            else None,
            "seed": panel.seed if panel.status == PanelStatus.SEED_REVEALED else None,
            "inputs": panel.published_inputs,
            "result": panel.published_result,
        },
        f"panel-{panel.pk}-draw.json",
    )


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
def commit_seed(request: HttpRequest, pk: int) -> HttpResponse:
    return _staff_action(
        request,
        pk,
        lambda panel: draws.do_commit_seed(panel=panel, committed_by=request.user),
        "The seed is committed. Its code and the time are published. Now run the draw.",
    )


@permission_required("panels.run_draws", raise_exception=True)
@require_POST
def run_draw(request: HttpRequest, pk: int) -> HttpResponse:
    return _staff_action(
        request,
        pk,
        lambda panel: draws.do_run_draw(panel=panel, drawn_by=request.user),
        "The panel has been drawn. Reveal the seed so that anyone can check it.",
    )


@permission_required("panels.run_draws", raise_exception=True)
@require_POST
def reveal_seed(request: HttpRequest, pk: int) -> HttpResponse:
    return _staff_action(
        request,
        pk,
        lambda panel: draws.do_reveal_seed(panel=panel, revealed_by=request.user),
        "The seed is revealed. Anyone can now check the draw.",
    )


@permission_required("panels.run_draws", raise_exception=True)
def manage_panel(request: HttpRequest, pk: int) -> HttpResponse:
    panel = get_object_or_404(Panel.objects.select_related("pool"), pk=pk)
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
            "left_since_commit": draws.left_since_commit(panel),
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
        messages.error(request, " ".join(error.messages))
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
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Thank you. We have your answer.")
    return redirect("panels:your_answers")


def distribution(request: HttpRequest, pk: int) -> JsonResponse:
    panel = get_object_or_404(Panel, pk=pk)
    if not panel.published_result:
        raise Http404
    return _json_download(
        {"panel": panel.title, "probabilities": panel.published_result.get("probabilities", {})},
        f"panel-{pk}-probabilities.json",
    )
