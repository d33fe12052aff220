"""Calls for views: the public list and page, answering, opening one, publishing what was done,
and the answers as open data."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import BooleanField, Case, Count, F, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from nhs_citizen.core.dates import when_words
from nhs_citizen.core.pagination import paginate
from nhs_citizen.gather.forms_calls import AnswerCallForm, OpenCallForm, PublishOutcomeForm
from nhs_citizen.gather.models import CallForViews, CallSubmission
from nhs_citizen.gather.services import calls as services
from nhs_citizen.nhsuk_forms.errors import add_service_errors as _add_errors
from nhs_citizen.nhsuk_forms.errors import flash_errors


def _calls():
    return CallForViews.objects.select_related("organisation", "region", "icb__region")


def call_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    calls = (
        _calls()
        .annotate(
            is_closed=Case(
                When(closes_on__lt=today, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            answer_count=Count("submissions"),
        )
        # Open calls first, closing soonest first; then closed ones, latest to close first.
        .order_by(
            "is_closed",
            Case(When(closes_on__gte=today, then=F("closes_on"))).asc(nulls_last=True),
            "-closes_on",
            "-pk",
        )
    )
    page, pagination = paginate(request, calls, per_page=20)
    return render(
        request,
        "gather/calls/call_list.jinja",
        {
            "page_title": "Calls for views",
            "page": page,
            "pagination": pagination,
            "today": today,
            "can_open": services.organisations_for_responder(request.user).exists(),
        },
    )


def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(_calls(), pk=pk)
    questions = list(call.questions.order_by("position"))
    submission = None
    if request.user.is_authenticated:
        submission = CallSubmission.objects.filter(call=call, user=request.user).first()
    form = None
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        form = AnswerCallForm(request.POST, questions=questions)
        if form.is_valid():
            try:
                services.check_answer_call(user=request.user, call=call, answers=form.answers())
            except ValidationError as error:
                if not hasattr(error, "error_dict"):
                    # Closed, or already answered: the page says so once reloaded.
                    flash_errors(request, error)
                    return redirect("gather:call_detail", pk=call.pk)
                _add_errors(form, error)
            else:
                messages.success(
                    request,
                    f"Thank you. We have your answers. We will tell you when {call.organisation.name} publishes what it did.",
                )
                return redirect("gather:call_detail", pk=call.pk)
    elif request.user.is_authenticated and submission is None and call.is_open():
        form = AnswerCallForm(questions=questions)
    is_responder = request.user.is_authenticated and services.is_responder_for(
        request.user, call.organisation
    )
    return render(
        request,
        "gather/calls/call_detail.jinja",
        {
            "page_title": call.title,
            "call": call,
            "questions": questions,
            "is_open": call.is_open(),
            "submission": submission,
            "form": form,
            "answer_count": call.submissions.count(),
            "is_responder": is_responder,
            "conversations": list(call.conversations.order_by("-opens_at", "-pk")),
        },
    )


@login_required
def open_call(request: HttpRequest) -> HttpResponse:
    organisations = list(services.organisations_for_responder(request.user))
    if not organisations:
        raise PermissionDenied(
            "Only responders for an NHS or public body can open a call for views."
        )
    form = OpenCallForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            call = services.check_open_call(
                responder=request.user,
                organisation=form.chosen_organisation(),
                title=data["title"],
                background=data["background"],
                place=form.place(),
                closes_on=data["closes_on"],
                questions=form.questions,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                f"Your call for views is open. People can answer until {when_words(call.closes_on)}.",
            )
            return redirect("gather:call_detail", pk=call.pk)
    return render(
        request,
        "gather/calls/open_call.jinja",
        {
            "page_title": "Open a call for views",
            "form": form,
            "organisation": organisations[0] if len(organisations) == 1 else None,
        },
    )


@login_required
def publish_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(_calls(), pk=pk)
    if not services.is_responder_for(request.user, call.organisation):
        raise PermissionDenied(
            f"Only responders for {call.organisation.name} can publish what it did."
        )
    form = PublishOutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.check_publish_outcome(
                responder=request.user,
                call=call,
                we_asked=form.cleaned_data["we_asked"],
                you_said=form.cleaned_data["you_said"],
                we_did=form.cleaned_data["we_did"],
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                # Still open, or already published: the call's page says so.
                flash_errors(request, error)
                return redirect("gather:call_detail", pk=call.pk)
            _add_errors(form, error)
        else:
            messages.success(
                request,
                "You have published what you did. We have told everyone who answered.",
            )
            return redirect("gather:call_detail", pk=call.pk)
    return render(
        request,
        "gather/calls/publish_outcome.jinja",
        {
            "page_title": f"Publish what you did: {call.title}",
            "call": call,
            "form": form,
            "can_publish": not call.is_open() and call.outcome_published_at is None,
            "answer_count": call.submissions.count(),
        },
    )


def download_answers(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(CallForViews, pk=pk)
    if call.is_open():
        messages.info(
            request,
            f"You can download the answers after the call for views closes on "
            f"{when_words(call.closes_on)}.",
        )
        return redirect("gather:call_detail", pk=call.pk)
    # A byte order mark, so that spreadsheets read the file as UTF-8.
    response = HttpResponse(
        services.answers_csv(call).encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="call-for-views-{call.pk}-answers.csv"'
    return response
