"""Adding commitments to a body's answers, and posting updates on commitments."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from rules.contrib.views import permission_required

from nhs_citizen.accounts.models import Role
from nhs_citizen.core.pagination import keyset_page
from nhs_citizen.gather.models import CallForViews, Outcome, Response
from nhs_citizen.nhsuk_forms.errors import add_service_errors as add_errors
from nhs_citizen.tracker import presenters, queries
from nhs_citizen.tracker.forms import (
    CommitmentForm,
    CommitmentUpdateForm,
    WithdrawCommitmentForm,
)
from nhs_citizen.tracker.models import BodyCommitmentSummary, Commitment
from nhs_citizen.tracker.services import commitments as services
from nhs_citizen.tracker.services import summaries


def _add(
    request: HttpRequest,
    thing,
    *,
    heading: str,
    caption: str,
    back: str,
    flag_href: str | None = None,
) -> HttpResponse:
    if not request.user.has_perm("tracker.add_commitment", thing):
        raise PermissionDenied(services._why_not_add(thing))
    # Straight after answering a flag: the responder can add several, one after another.
    after_answer = (request.GET.get("after") or request.POST.get("after")) == "answer"
    form = CommitmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            commitment = services.check_add_commitment(
                by=request.user, to=thing, draft=form.draft()
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                "The commitment is on the tracker. Everyone who took part has been told, and "
                "will be told of every update.",
            )
            if "another" in request.POST:
                suffix = "?after=answer" if after_answer else ""
                return redirect(request.path + suffix)
            return redirect(commitment)
    return render(
        request,
        "tracker/add_commitment.jinja",
        {
            "page_title": heading,
            "form": form,
            "heading": heading,
            "caption": caption,
            "organisation_name": services.source_of(thing).organisation.name,
            "back": back,
            "after_answer": after_answer,
            "flag_href": flag_href,
            "added": _added_so_far(thing),
        },
    )


def _added_so_far(thing) -> list:
    """The commitments already added to this answer or call, newest last (at most 20)."""
    if isinstance(thing, (Response, CallForViews)):
        return list(thing.commitments.order_by("created_at", "pk")[:20])
    return []


@login_required
def add_answer_commitment(request: HttpRequest, pk: int) -> HttpResponse:
    answer = get_object_or_404(
        Response.objects.select_related("referral__flag__topic", "referral__organisation"), pk=pk
    )
    return _add(
        request,
        answer,
        heading="Add a commitment to this answer",
        caption=queries.flag_title(answer.referral.flag),
        back=reverse("tracker:answer_detail", args=[answer.pk]),
        flag_href=answer.referral.flag.get_absolute_url(),
    )


@login_required
def add_call_commitment(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(CallForViews.objects.select_related("organisation"), pk=pk)
    return _add(
        request,
        call,
        heading="Add a commitment to what you did",
        caption=call.title,
        back=reverse("tracker:call_outcome", args=[call.pk]),
    )


@login_required
def update_commitment(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = get_object_or_404(Commitment.objects.select_related("organisation", "flag"), pk=pk)
    if commitment.is_withdrawn:
        messages.info(request, "This commitment has been withdrawn. It cannot be updated.")
        return redirect(commitment)
    if not request.user.has_perm("tracker.update_commitment", commitment):
        raise PermissionDenied(
            f"Only responders for {commitment.organisation.name} and the secretariat can update "
            "this commitment."
        )
    form = CommitmentUpdateForm(request.POST or None, commitment=commitment)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.check_update_commitment(
                by=request.user,
                commitment=commitment,
                status=data["status"],
                note=data["note"],
                reasons=data["reasons"],
                evidence_title=data["evidence_title"],
                evidence_url=data["evidence_url"],
                due_date=data["due_date"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                "Your update is published. Everyone behind the flag has been told.",
            )
            return redirect(commitment)
    return render(
        request,
        "tracker/update_commitment.jinja",
        {
            "page_title": f"Update: {commitment.what}",
            "form": form,
            "commitment": commitment,
            "status": presenters.status_of(commitment),
            "posted_as": services.speaks_as(request.user, commitment),
        },
    )


@login_required
def withdraw_commitment(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw a commitment with a public reason. It stays on the tracker, marked withdrawn."""
    commitment = get_object_or_404(Commitment.objects.select_related("organisation", "flag"), pk=pk)
    if commitment.is_withdrawn:
        messages.info(request, "This commitment has already been withdrawn.")
        return redirect(commitment)
    if services.speaks_as(request.user, commitment) is None:
        raise PermissionDenied(
            f"Only responders for {commitment.organisation.name} and the secretariat can "
            "withdraw this commitment."
        )
    form = WithdrawCommitmentForm(request.POST or None)
    if not commitment.is_open():
        form = None  # done or not done: it stays on the record
    elif request.method == "POST" and form.is_valid():
        try:
            services.check_withdraw_commitment(
                by=request.user, commitment=commitment, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                "The commitment is withdrawn. It stays on the tracker with your reason, and "
                "everyone behind the flag has been told.",
            )
            return redirect(commitment)
    return render(
        request,
        "tracker/withdraw_commitment.jinja",
        {
            "page_title": f"Withdraw: {commitment.what}",
            "form": form,
            "commitment": commitment,
            "status": presenters.status_of(commitment),
            "posted_as": services.speaks_as(request.user, commitment),
        },
    )


@permission_required("tracker.see_own_commitments", raise_exception=True)
def your_commitments(request: HttpRequest) -> HttpResponse:
    """For responders: their bodies' answers and call outcomes, to add commitments to, and the
    commitments to keep up to date. For the Board: NHS England's. For the secretariat: all."""
    user = request.user
    today = timezone.localdate()
    organisation_ids = set(user.responder_organisation_ids)
    if user.has_role(Role.BOARD_MEMBER):
        organisation_ids.add(services.nhs_england().pk)
    commitments = queries.commitments(today)
    if not user.has_role(Role.SECRETARIAT):
        commitments = commitments.filter(organisation_id__in=organisation_ids)
    page, pagination = keyset_page(
        request, commitments.filter(finished=False), queries.ORDER_ONE_STATUS, 25
    )
    open_commitments = presenters.commitment_rows(page.object_list, today)
    # How many, from the stored figures: never a count of every commitment.
    if user.has_role(Role.SECRETARIAT):
        open_count = summaries.current_totals(today).open
    else:
        open_count = (
            BodyCommitmentSummary.objects.filter(organisation_id__in=organisation_ids).aggregate(
                n=Sum("open")
            )["n"]
            or 0
        )
    responder_ids = user.responder_organisation_ids
    answers = (
        Response.objects.filter(referral__organisation_id__in=responder_ids)
        .exclude(outcome=Outcome.NOT_OURS)
        .select_related("referral__flag", "referral__organisation")
        .annotate(n=Count("commitments"))
        .order_by("-created_at", "-pk")[:50]
    )
    calls = (
        CallForViews.objects.filter(
            organisation_id__in=responder_ids, outcome_published_at__isnull=False
        )
        .select_related("organisation")
        .annotate(n=Count("commitments"))
        .order_by("-outcome_published_at", "-pk")[:50]
    )
    return render(
        request,
        "tracker/your_commitments.jinja",
        {
            "page_title": "Commitments to keep up to date",
            "rows": open_commitments,
            "page": page,
            "open_count": open_count,
            "pagination": pagination,
            "answers": [(a, queries.flag_title(a.referral.flag)) for a in answers],
            "calls": calls,
            "everyone": user.has_role(Role.SECRETARIAT),
        },
    )
