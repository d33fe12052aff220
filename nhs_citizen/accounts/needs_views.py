"""Your communication needs, asking for a document in another format, and the secretariat's
queue of those requests (ADR 0036)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from rules.contrib.views import permission_required

from nhs_citizen.accounts import needs as terms
from nhs_citizen.accounts import needs_services as services
from nhs_citizen.accounts.models import FormatRequest
from nhs_citizen.accounts.needs_forms import (
    CommunicationNeedsForm,
    FormatRequestForm,
    MarkSentForm,
)
from nhs_citizen.accounts.needs_presenters import request_rows
from nhs_citizen.core.dates import when_words
from nhs_citizen.core.pagination import paginate
from nhs_citizen.nhsuk_forms.errors import add_service_errors


@login_required
def communication_needs(request: HttpRequest) -> HttpResponse:
    record = services.needs_of(request.user)
    if request.method == "POST" and request.POST.get("action") == "remove":
        if services.do_remove_needs(user=request.user):
            messages.success(request, "Your communication needs have been removed.")
        return redirect("accounts:your_account")
    form = CommunicationNeedsForm(
        request.POST or None, initial=CommunicationNeedsForm.initial_for(record)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.check_save_needs(
                user=request.user,
                needs=data["needs"],
                language=data["language"],
                something_else=data["something_else"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                "Your communication needs have been saved."
                if saved
                else "You have no communication needs recorded.",
            )
            return redirect("accounts:your_account")
    return render(
        request,
        "accounts/communication_needs.jinja",
        {"page_title": "Your communication needs", "form": form, "record": record},
    )


def _prefill(query) -> dict:
    """A link may say what to ask for, such as "this email in Polish"."""
    initial = {}
    if (document := query.get("document", "")) and len(document) <= 300:
        initial["document"] = document
    if query.get("format") in terms.FORMATS:
        initial["format"] = query["format"]
    if query.get("language") in terms.LANGUAGES:
        initial["language"] = query["language"]
    return initial


@login_required
def ask_for_format(request: HttpRequest) -> HttpResponse:
    form = FormatRequestForm(request.POST or None, initial=_prefill(request.GET))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            asked = services.check_request_format(
                requester=request.user,
                document=data["document"],
                format=data["format"],
                language=data["language"],
                send_by=data["send_by"],
                postal_address=data["postal_address"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"We have your request. We will send it by {when_words(asked.due_date)}.",
            )
            return redirect("accounts:your_account")
    return render(
        request,
        "accounts/ask_for_format.jinja",
        {
            "page_title": "Ask for a document in another format or language",
            "form": form,
            "working_days": terms.REQUEST_WORKING_DAYS,
        },
    )


@permission_required("accounts.manage_format_requests", raise_exception=True)
def format_requests(request: HttpRequest) -> HttpResponse:
    show = "sent" if request.GET.get("show") == "sent" else "waiting"
    page, pagination = paginate(request, services.format_request_queue(show=show), per_page=25)
    return render(
        request,
        "accounts/format_requests.jinja",
        {
            "page_title": "Requests for other formats",
            "show": show,
            "rows": request_rows(page.object_list, timezone.localdate()),
            "page": page,
            "pagination": pagination,
            "overdue": services.overdue_requests().count(),
            "working_days": terms.REQUEST_WORKING_DAYS,
        },
    )


@permission_required("accounts.manage_format_requests", raise_exception=True)
def format_request(request: HttpRequest, pk: int) -> HttpResponse:
    asked = get_object_or_404(FormatRequest.objects.select_related("requester", "done_by"), pk=pk)
    form = MarkSentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.check_mark_request_sent(
                request=asked, done_by=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The request is marked as sent.")
            return redirect("accounts:format_requests")
    return render(
        request,
        "accounts/format_request.jinja",
        {
            "page_title": f"Request for {asked.format_wanted.lower()}",
            "asked": asked,
            "row": request_rows([asked], timezone.localdate())[0],
            "form": form,
        },
    )
