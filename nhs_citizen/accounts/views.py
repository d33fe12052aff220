"""Your account, your data, and the staff pages for roles."""

from __future__ import annotations

import json

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from nhs_citizen.accounts import services
from nhs_citizen.accounts.forms import (
    DeleteAccountForm,
    GrantRoleForm,
    PersonSearchForm,
    ProfileForm,
    RevokeRoleForm,
)
from nhs_citizen.accounts.models import ROLE_DESCRIPTIONS, Role, User
from nhs_citizen.accounts.presenters import staff_area_for
from nhs_citizen.accounts.sections import account_sections
from nhs_citizen.core.models import Membership
from nhs_citizen.core.pagination import paginate
from nhs_citizen.notifications.models import Notification
from nhs_citizen.notifications.services import do_mark_all_read


@login_required
def your_account(request: HttpRequest) -> HttpResponse:
    user = request.user
    notifications = list(Notification.objects.filter(user=user)[:10])
    # Other apps' sections, such as the flags you follow, registered by those apps.
    section_templates, section_variables = account_sections(request)
    unread = sum(1 for n in notifications if n.read_at is None)
    return render(
        request,
        "accounts/your_account.jinja",
        {
            "page_title": "Your account",
            "user": user,
            "interests": list(user.interests.order_by("name")),
            "memberships": Membership.objects.filter(user=user).select_related("organisation"),
            "roles": [(Role(r).label, ROLE_DESCRIPTIONS[r]) for r in sorted(user.staff_roles)],
            "has_totp": Authenticator.objects.filter(
                user=user, type=Authenticator.Type.TOTP
            ).exists(),
            "primary_email": EmailAddress.objects.filter(user=user, primary=True).first(),
            "notifications": notifications,
            "unread_count": unread,
            "account_sections": section_templates,
            **section_variables,
        },
    )


@login_required
@require_POST
def mark_messages_read(request: HttpRequest) -> HttpResponse:
    do_mark_all_read(user=request.user)
    messages.success(request, "All your messages are marked as read.")
    return redirect("accounts:your_account")


@login_required
def edit_profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(request.POST or None, initial=ProfileForm.initial_for(user))
    if request.method == "POST" and form.is_valid():
        region, icb = form.cleaned_data["area"]
        try:
            services.do_update_profile(
                user=user,
                display_name=form.cleaned_data["display_name"],
                region=region,
                icb=icb,
                interests=form.cleaned_data["interests"],
            )
        except ValidationError as error:
            form.add_error("area", error)
        else:
            messages.success(request, "Your profile has been saved.")
            return redirect("accounts:your_account")
    return render(
        request, "accounts/edit_profile.jinja", {"page_title": "Your profile", "form": form}
    )


@login_required
def your_data(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/your_data.jinja", {"page_title": "Your data"})


@login_required
def download_your_data(request: HttpRequest) -> HttpResponse:
    export = services.build_data_export(request.user)
    response = HttpResponse(
        json.dumps(export, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="nhs-citizen-your-data-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.do_delete_account(user=request.user)
        logout(request)
        return redirect("accounts:account_deleted")
    return render(
        request,
        "accounts/delete_account.jinja",
        {"page_title": "Delete your account", "form": form},
    )


def account_deleted(request: HttpRequest) -> HttpResponse:
    return render(
        request, "accounts/account_deleted.jinja", {"page_title": "Your account has been deleted"}
    )


@login_required
def set_up_second_factor(request: HttpRequest) -> HttpResponse:
    if Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists():
        return redirect("accounts:your_account")
    return render(
        request,
        "accounts/set_up_second_factor.jinja",
        {
            "page_title": "Set up two-step verification",
            "required": request.user.needs_second_factor,
        },
    )


@permission_required("accounts.view_staff_area", raise_exception=True)
def staff_area(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/staff_area.jinja",
        {"page_title": "Staff area", "area": staff_area_for(request.user)},
    )


@permission_required("accounts.manage_roles", raise_exception=True)
def people(request: HttpRequest) -> HttpResponse:
    form = PersonSearchForm(request.GET or None)
    people = (
        User.objects.filter(deleted_at__isnull=True)
        .prefetch_related("role_assignments")
        .order_by("display_name", "email")
    )
    if form.is_valid() and (q := form.cleaned_data.get("q")):
        people = people.filter(Q(display_name__icontains=q) | Q(email__icontains=q))
    page, pagination = paginate(request, people, per_page=25)
    return render(
        request,
        "accounts/people.jinja",
        {
            "page_title": "People and roles",
            "search_form": form,
            "error_form": form,
            "page": page,
            "pagination": pagination,
        },
    )


@permission_required("accounts.manage_roles", raise_exception=True)
def person(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(User.objects.filter(deleted_at__isnull=True), pk=pk)
    grant_form = GrantRoleForm(prefix="grant")
    revoke_form = None
    if request.method == "POST":
        if request.POST.get("action") == "grant":
            grant_form = GrantRoleForm(request.POST, prefix="grant")
            if grant_form.is_valid():
                try:
                    services.check_grant_role(
                        user=person,
                        role=grant_form.cleaned_data["role"],
                        granted_by=request.user,
                        reason=grant_form.cleaned_data["reason"],
                    )
                except ValidationError as error:
                    grant_form.add_error("role", error)
                else:
                    messages.success(
                        request,
                        f"{person.public_name} now has the {Role(grant_form.cleaned_data['role']).label.lower()} role.",
                    )
                    return redirect("accounts:person", pk=person.pk)
        elif request.POST.get("action") == "revoke" and request.POST.get("role") in Role.values:
            role = request.POST["role"]
            revoke_form = RevokeRoleForm(request.POST, prefix=f"revoke-{role}")
            if revoke_form.is_valid():
                try:
                    services.check_revoke_role(
                        user=person,
                        role=role,
                        revoked_by=request.user,
                        reason=revoke_form.cleaned_data["reason"],
                    )
                except ValidationError as error:
                    revoke_form.add_error("reason", error)
                else:
                    messages.success(
                        request,
                        f"{person.public_name} no longer has the {Role(role).label.lower()} role.",
                    )
                    return redirect("accounts:person", pk=person.pk)
    assignments = list(person.role_assignments.all())
    revoke_forms = []
    for assignment in assignments:
        if revoke_form is not None and revoke_form.prefix == f"revoke-{assignment.role}":
            revoke_forms.append((assignment, revoke_form))
        else:
            revoke_forms.append((assignment, RevokeRoleForm(prefix=f"revoke-{assignment.role}")))
    error_form = grant_form if grant_form.errors else revoke_form
    return render(
        request,
        "accounts/person.jinja",
        {
            "page_title": person.public_name,
            "person": person,
            "grant_form": grant_form,
            "revoke_forms": revoke_forms,
            "error_form": error_form,
            "memberships": Membership.objects.filter(user=person).select_related("organisation"),
        },
    )
