"""Public pages about organisations, asking to act for one, and checking requests."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from nhs_citizen.core.forms import DecisionForm, MembershipRequestForm, OrganisationSearchForm
from nhs_citizen.core.models import Membership, Organisation
from nhs_citizen.core.pagination import paginate
from nhs_citizen.core.services import organisations as services


def organisation_list(request: HttpRequest) -> HttpResponse:
    form = OrganisationSearchForm(request.GET or None)
    organisations = Organisation.objects.select_related("region", "icb__region").annotate(
        member_count=Count("memberships", filter=Q(memberships__verified_at__isnull=False))
    )
    if form.is_valid():
        if q := form.cleaned_data.get("q"):
            organisations = organisations.filter(name__icontains=q)
        if kind := form.cleaned_data.get("type"):
            organisations = organisations.filter(type=kind)
        if region := form.cleaned_data.get("region"):
            organisations = organisations.filter(region=region)
    page, pagination = paginate(request, organisations.order_by("name"), per_page=25)
    return render(
        request,
        "core/organisations/organisation_list.jinja",
        {
            "page_title": "Organisations",
            "search_form": form,
            "error_form": form,
            "page": page,
            "pagination": pagination,
        },
    )


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(
        Organisation.objects.select_related("region", "icb__region"), slug=slug
    )
    members = (
        Membership.objects.verified()
        .filter(organisation=organisation)
        .select_related("user")
        .order_by("role", "user__display_name")
    )
    own_membership = None
    if request.user.is_authenticated:
        own_membership = Membership.objects.filter(
            organisation=organisation, user=request.user
        ).first()
    return render(
        request,
        "core/organisations/organisation_detail.jinja",
        {
            "page_title": organisation.name,
            "organisation": organisation,
            "members": members,
            "own_membership": own_membership,
        },
    )


@login_required
def request_membership(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    if Membership.objects.filter(organisation=organisation, user=request.user).exists():
        messages.info(request, f"You have already asked to join {organisation.name}.")
        return redirect("core:organisation_detail", slug=slug)
    form = MembershipRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.check_request_membership(
                user=request.user,
                organisation=organisation,
                role=form.cleaned_data["role"],
                job_title=form.cleaned_data["job_title"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"We have your request to act for {organisation.name}. We will tell you when it is checked.",
            )
            return redirect("core:organisation_detail", slug=slug)
    return render(
        request,
        "core/organisations/request_membership.jinja",
        {"page_title": f"Act for {organisation.name}", "organisation": organisation, "form": form},
    )


@login_required
@require_POST
def leave_organisation(request: HttpRequest, slug: str) -> HttpResponse:
    membership = get_object_or_404(Membership, organisation__slug=slug, user=request.user)
    services.do_end_membership(membership=membership, ended_by=request.user)
    messages.success(request, f"You no longer act for {membership.organisation.name}.")
    return redirect("accounts:your_account")


@permission_required("core.verify_memberships", raise_exception=True)
def membership_requests(request: HttpRequest) -> HttpResponse:
    pending = (
        Membership.objects.pending().select_related("user", "organisation").order_by("requested_at")
    )
    page, pagination = paginate(request, pending, per_page=25)
    return render(
        request,
        "core/organisations/membership_requests.jinja",
        {"page_title": "Requests to act for organisations", "page": page, "pagination": pagination},
    )


@permission_required("core.verify_memberships", raise_exception=True)
def decide_membership(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(
        Membership.objects.pending().select_related("user", "organisation"), pk=pk
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["decision"] == "confirm":
            services.do_verify_membership(
                membership=membership, verified_by=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(
                request,
                f"{membership.user.public_name} can now act for {membership.organisation.name}.",
            )
        else:
            services.do_decline_membership(
                membership=membership, declined_by=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, "You declined the request. We have told the person why.")
        return redirect("core:membership_requests")
    return render(
        request,
        "core/organisations/decide_membership.jinja",
        {"page_title": "Check a request", "membership": membership, "form": form},
    )
