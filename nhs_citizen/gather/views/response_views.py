"""Responders see the flags referred to their organisations, and answer them in public."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from rules.contrib.views import permission_required

from nhs_citizen.core.counting import cached_count
from nhs_citizen.core.pagination import keyset_page
from nhs_citizen.gather import presenters
from nhs_citizen.gather.forms import ResponseForm
from nhs_citizen.gather.models import Outcome, Referral, ReferralStatus
from nhs_citizen.gather.services import responses as services
from nhs_citizen.nhsuk_forms.errors import add_service_errors as _add_errors


@permission_required("gather.respond", raise_exception=True)
def referral_queue(request: HttpRequest) -> HttpResponse:
    referrals = services.referrals_for_responder(request.user)
    total = cached_count(referrals, timeout=120)
    page, pagination = keyset_page(
        request,
        referrals.select_related("flag", "organisation", "response"),
        ("status", "due_date", "pk"),
        per_page=25,
        total=total,
    )
    return render(
        request,
        "gather/referral_queue.jinja",
        {
            "page_title": "Flags for you to answer",
            "rows": presenters.referral_rows(page.object_list),
            "page": page,
            "total": total,
            "pagination": pagination,
        },
    )


@permission_required("gather.respond", raise_exception=True)
def respond(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_object_or_404(
        Referral.objects.select_related("flag__topic", "organisation"), pk=pk
    )
    if not request.user.has_perm("gather.answer_referral", referral):
        raise PermissionDenied("You can only answer flags sent to an organisation you answer for.")
    form = ResponseForm(request.POST or None)
    if request.method == "POST" and referral.status == ReferralStatus.AWAITING and form.is_valid():
        try:
            response = services.check_respond(
                responder=request.user,
                referral=referral,
                outcome=form.cleaned_data["outcome"],
                reasons=form.cleaned_data["reasons"],
                responsible_organisation=form.cleaned_data.get("responsible_organisation"),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if response.outcome in (Outcome.WILL_ACT, Outcome.IN_PART):
                # Straight on to what they will do: the commitment, on the tracker.
                messages.success(
                    request,
                    "Your answer has been published. Everyone who follows the flag has been "
                    "told. Now add what you will do, so that people can follow it.",
                )
                return redirect(
                    reverse("tracker:add_answer_commitment", args=[response.pk]) + "?after=answer"
                )
            messages.success(
                request,
                "Your answer has been published. Everyone who follows the flag has been told.",
            )
            return redirect(referral.flag)
    return render(
        request,
        "gather/respond.jinja",
        {
            "page_title": "Answer a flag",
            "referral": referral,
            "flag": referral.flag,
            "form": form,
            "waiting": referral.status == ReferralStatus.AWAITING,
            "overdue": referral.is_overdue(),
        },
    )
