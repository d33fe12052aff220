"""Curators: merge duplicates, write roundups, put flags forward for review."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from rules.contrib.views import permission_required

from nhs_citizen.gather.forms import MergeForm, PutForwardForm, RoundupForm
from nhs_citizen.gather.models import Flag, Roundup
from nhs_citizen.gather.services import flags as services
from nhs_citizen.gather.services import similar
from nhs_citizen.nhsuk_forms.errors import add_service_errors as _add_errors


@permission_required("gather.curate", raise_exception=True)
def merge_flag(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(Flag.objects.listed(), pk=pk)
    form = MergeForm(request.POST or None)
    target = None
    if request.method == "POST" and form.is_valid():
        target = Flag.objects.filter(pk=form.cleaned_data["target"]).first()
        if target is None:
            form.add_error("target", "There is no flag with that number")
        else:
            try:
                services.check_merge_flags(
                    curator=request.user,
                    source=source,
                    target=target,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, f"“{source.title}” has been merged into this flag.")
                return redirect(target)
    return render(
        request,
        "gather/merge_flag.jinja",
        {
            "page_title": "Merge a duplicate flag",
            "flag": source,
            "form": form,
            "similar": similar.similar_flags_for(source, limit=5),
        },
    )


@permission_required("gather.curate", raise_exception=True)
def write_roundup(request: HttpRequest, pk: int) -> HttpResponse:
    flag = get_object_or_404(Flag.objects.listed(), pk=pk)
    existing = Roundup.objects.filter(flag=flag).first()
    initial = (
        {
            "change_needed": existing.change_needed,
            "action": existing.action,
            "who_should_act": existing.who_should_act,
            "organisation": existing.organisation_id,
        }
        if existing
        else None
    )
    form = RoundupForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.check_write_roundup(curator=request.user, flag=flag, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, "The roundup has been saved. It shows at the top of the flag."
            )
            return redirect(flag)
    return render(
        request,
        "gather/write_roundup.jinja",
        {"page_title": "Write the roundup", "flag": flag, "form": form},
    )


@permission_required("gather.curate", raise_exception=True)
def put_forward(request: HttpRequest, pk: int) -> HttpResponse:
    flag = get_object_or_404(Flag.objects.listed(), pk=pk)
    form = PutForwardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.check_put_forward(
                curator=request.user, flag=flag, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "The flag has gone to the review panel.")
            return redirect(flag)
    return render(
        request,
        "gather/put_forward.jinja",
        {"page_title": "Put a flag forward for review", "flag": flag, "form": form},
    )
