"""Volunteering for selection by lot, and the secretariat's pool imports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from nhs_citizen.core.words import count_words
from nhs_citizen.nhsuk_forms.errors import flash_errors
from nhs_citizen.panels import categories
from nhs_citizen.panels.forms import ImportPoolForm, VolunteerForm
from nhs_citizen.panels.importing import PreparedImport
from nhs_citizen.panels.models import PoolMember
from nhs_citizen.panels.services import pool as services


def _own_membership(user) -> PoolMember | None:
    return PoolMember.objects.filter(
        pool__is_volunteer_pool=True, user=user, withdrawn_at__isnull=True
    ).first()


def about_selection(request: HttpRequest) -> HttpResponse:
    member = _own_membership(request.user) if request.user.is_authenticated else None
    return render(
        request,
        "panels/about_selection.jinja",
        {"page_title": "Be chosen by lot", "member": member},
    )


@login_required
def volunteer(request: HttpRequest) -> HttpResponse:
    member = _own_membership(request.user)
    initial = dict(member.features) if member else None
    form = VolunteerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.check_volunteer(
                user=request.user,
                answers={k: data[k] for k in categories.CATEGORY_LABELS},
                address=data["address"],
                postcode=data["postcode"],
                consent=data["consent"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                "Your answers have been changed."
                if member
                else "You have joined the pool. You may be invited to a jury, the Assembly or a Citizen Panel.",
            )
            return redirect("panels:your_answers")
    return render(
        request,
        "panels/volunteer.jinja",
        {
            "page_title": "Change your answers" if member else "Join the pool",
            "form": form,
            "member": member,
        },
    )


@login_required
def your_answers(request: HttpRequest) -> HttpResponse:
    member = _own_membership(request.user)
    rows = []
    if member:
        rows = [
            (label, categories.label_for(key, member.features.get(key, "")))
            for key, label in categories.CATEGORY_LABELS.items()
        ]
    chances = (
        list(member.probabilities.filter(probability__isnull=False).select_related("panel"))
        if member
        else []
    )
    invitations = (
        list(member.panel_places.filter(status="invited").select_related("panel")) if member else []
    )
    return render(
        request,
        "panels/your_answers.jinja",
        {
            "page_title": "Your answers for selection by lot",
            "member": member,
            "rows": rows,
            "chances": chances,
            "invitations": invitations,
        },
    )


@login_required
@require_POST
def withdraw(request: HttpRequest) -> HttpResponse:
    if services.do_withdraw(user=request.user):
        messages.success(request, "You have left the pool. We have deleted your answers.")
    return redirect("panels:about_selection")


PREVIEW_SESSION_KEY = "panels.import_preview"


@permission_required("panels.run_draws", raise_exception=True)
def import_pool(request: HttpRequest) -> HttpResponse:
    """Step 1: upload the files. Nothing is saved: they are read and checked, and what would be
    imported waits (anonymised) in the session for the secretariat to confirm."""
    form = ImportPoolForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            name, prepared = services.check_import_preview(
                name=form.cleaned_data["name"],
                categories_text=form.cleaned_data["categories_file"],
                respondents_text=form.cleaned_data["respondents_file"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                problems = error.messages
                form.add_error(
                    "respondents_file",
                    f"The files have {len(problems)} problem{'s' if len(problems) != 1 else ''}. Fix them and try again",
                )
        else:
            request.session[PREVIEW_SESSION_KEY] = {"name": name, "prepared": prepared.to_json()}
            return redirect("panels:import_pool_preview")
    return render(
        request,
        "panels/import_pool.jinja",
        {"page_title": "Import a pool", "form": form, "problems": problems},
    )


@permission_required("panels.run_draws", raise_exception=True)
def import_pool_preview(request: HttpRequest) -> HttpResponse:
    """Step 2: what was found in the files; confirm to save the pool."""
    waiting = request.session.get(PREVIEW_SESSION_KEY)
    if not waiting:
        messages.info(request, "Choose the files to import.")
        return redirect("panels:import_pool")
    prepared = PreparedImport.from_json(waiting["prepared"])
    if request.method == "POST":
        try:
            pool, quotas = services.check_import_pool(
                name=waiting["name"], prepared=prepared, created_by=request.user
            )
        except ValidationError as error:
            request.session.pop(PREVIEW_SESSION_KEY, None)
            flash_errors(request, error, then="Nothing has been saved.")
            return redirect("panels:import_pool")
        request.session.pop(PREVIEW_SESSION_KEY, None)
        request.session["panels.imported_quotas"] = {str(pool.pk): quotas}
        messages.success(
            request,
            f"The pool “{pool.name}” has been imported with {count_words(len(prepared.people), 'person', 'people')}. Create a panel to draw from it.",
        )
        return redirect("panels:panel_list")
    return render(
        request,
        "panels/import_pool_preview.jinja",
        {
            "page_title": "Check the import",
            "name": waiting["name"],
            "preview": prepared.preview,
            "quotas": prepared.quotas,
        },
    )
