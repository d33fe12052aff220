"""The review panel's queue and decisions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from rules.contrib.views import permission_required

from nhs_citizen.core.pagination import keyset_page
from nhs_citizen.gather import presenters
from nhs_citizen.gather.forms import ReviewForm
from nhs_citizen.gather.models import Flag, FlagStatus
from nhs_citizen.gather.services import review as services
from nhs_citizen.nhsuk_forms.errors import add_service_errors as _add_errors


@permission_required("gather.review", raise_exception=True)
def review_queue(request: HttpRequest) -> HttpResponse:
    # Oldest flag first. Flags a curator put forward have no threshold date, so the queue is
    # in the order the flags were raised: a key that is never empty, for keyset paging.
    flags = Flag.objects.visible().filter(status=FlagStatus.IN_REVIEW).for_lists()
    page, pagination = keyset_page(request, flags, ("pk",), per_page=25)
    return render(
        request,
        "gather/review_queue.jinja",
        {
            "page_title": "Flags waiting for review",
            "page": page,
            "cards": presenters.flag_cards(page.object_list),
            "pagination": pagination,
        },
    )


@permission_required("gather.review", raise_exception=True)
def review_flag(request: HttpRequest, pk: int) -> HttpResponse:
    flag = get_object_or_404(Flag.objects.for_lists(), pk=pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and flag.status == FlagStatus.IN_REVIEW and form.is_valid():
        data = form.cleaned_data
        try:
            services.check_record_decision(
                reviewer=request.user,
                flag=flag,
                decision=data["decision"],
                is_national=data["is_national"] == "yes",
                within_remit=data["within_remit"] == "yes",
                reasons=data["reasons"],
                organisation=data.get("organisation"),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Your decision has been recorded and published.")
            return redirect(flag)
    return render(
        request,
        "gather/review_flag.jinja",
        {
            "page_title": "Review a flag",
            "flag": flag,
            "form": form,
            "waiting": flag.status == FlagStatus.IN_REVIEW,
            "due_date": services.default_due_date(),
        },
    )
