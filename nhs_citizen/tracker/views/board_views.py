"""The Board's written responses: what is waiting, recording one with its commitments, the
public page, and whether it reflects what people said."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from rules.contrib.views import permission_required

from nhs_citizen.core.pagination import keyset_page
from nhs_citizen.meetings.models import AgendaItem, PanelCommission
from nhs_citizen.nhsuk_forms.errors import add_service_errors as add_errors
from nhs_citizen.tracker import presenters, queries
from nhs_citizen.tracker.forms import BoardResponseForm, CommitmentForm, ReflectionForm
from nhs_citizen.tracker.models import BoardResponse, Reflection
from nhs_citizen.tracker.services import board as services
from nhs_citizen.tracker.services.commitments import check_add_commitment, nhs_england


@permission_required("tracker.record_board_response", raise_exception=True)
def board_queue(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "tracker/board_queue.jinja",
        {
            "page_title": "Board responses to record",
            "items": list(services.items_awaiting_response()),
            "commissions": list(services.commissions_awaiting_response()),
            "recent": BoardResponse.objects.select_related("agenda_item", "commission")[:10],
        },
    )


def _record(request: HttpRequest, *, agenda_item=None, commission=None) -> HttpResponse:
    target = {"agenda_item": agenda_item} if agenda_item else {"commission": commission}
    existing = BoardResponse.objects.filter(**target).first()
    if existing is not None:
        messages.info(request, "The Board has already responded to this.")
        return redirect(existing)
    nhse = nhs_england()
    # Not offered before the timetable allows: the page says when it opens instead.
    opening = services.response_opening(agenda_item) if agenda_item is not None else None
    too_soon = opening is not None and not opening.is_open
    form = BoardResponseForm(None if too_soon else request.POST or None, nhs_england=nhse)
    adding = request.method == "POST" and request.POST.get("action") == "add"
    if too_soon and request.method == "POST":
        messages.error(request, opening.message)
    elif request.method == "POST" and not adding and form.is_valid():
        try:
            response = services.check_record_board_response(
                by=request.user,
                outcome=form.cleaned_data["outcome"],
                summary=form.cleaned_data["summary"],
                reasons=form.cleaned_data["reasons"],
                commitments=form.drafts,
                **target,
            )
        except ValidationError as error:
            form.service_error(error)
        else:
            messages.success(
                request,
                "The Board's response is published, with its commitments on the tracker. "
                "Everyone behind the flag has been told.",
            )
            return redirect(response)
    if adding:
        # Only room for one more commitment was asked for: nothing is checked yet.
        form.without_errors()
    if agenda_item is not None:
        cycle = agenda_item.meeting.cycle
        heading = agenda_item.title
        caption = f"Assembly Meeting, {cycle.name}: item {agenda_item.position}"
        flag = agenda_item.entry.flag
    else:
        cycle = commission.meeting.cycle
        heading = commission.question
        caption = f"Citizen Panel report, {cycle.name}"
        flag = commission.item.entry.flag if commission.item_id else None
    return render(
        request,
        "tracker/record_response.jinja",
        {
            "page_title": f"Record the Board's response: {heading}",
            "form": form,
            "heading": heading,
            "caption": caption,
            "agenda_item": agenda_item,
            "commission": commission,
            "commission_link": presenters.link_to(commission) if commission else None,
            "item_link": presenters.link_to(agenda_item) if agenda_item else None,
            "flag": flag,
            "due_date": services.response_due_date(**target),
            "opening": opening,
            "nhs_england": nhse,
        },
    )


@permission_required("tracker.record_board_response", raise_exception=True)
def respond_to_item(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(
        AgendaItem.objects.select_related("meeting__cycle", "entry__flag"), pk=pk
    )
    return _record(request, agenda_item=item)


@permission_required("tracker.record_board_response", raise_exception=True)
def respond_to_commission(request: HttpRequest, pk: int) -> HttpResponse:
    commission = get_object_or_404(
        PanelCommission.objects.select_related("meeting__cycle", "item__entry__flag"), pk=pk
    )
    return _record(request, commission=commission)


REFLECTION_COMMENTS_PER_PAGE = 50


def board_response(request: HttpRequest, pk: int) -> HttpResponse:
    response = get_object_or_404(
        BoardResponse.objects.select_related(
            "agenda_item__meeting__cycle",
            "agenda_item__entry__flag",
            "commission__meeting__cycle",
            "commission__item__entry__flag",
        ),
        pk=pk,
    )
    can_reflect = request.user.has_perm("tracker.reflect", response)
    mine = (
        Reflection.objects.filter(response=response, user=request.user).first()
        if can_reflect
        else None
    )
    form = None
    if can_reflect:
        initial = {"verdict": mine.verdict, "comment": mine.comment} if mine else None
        form = ReflectionForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                services.check_reflect(
                    user=request.user,
                    response=response,
                    verdict=form.cleaned_data["verdict"],
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request,
                    "Thank you. We have your answer. It is counted below, without your name.",
                )
                return redirect(response)
    if response.agenda_item_id:
        item = response.agenda_item
        cycle = item.meeting.cycle
        heading = item.title
        flag = item.entry.flag
        about = presenters.link_to(item)
    else:
        commission = response.commission
        cycle = commission.meeting.cycle
        heading = commission.question
        flag = commission.item.entry.flag if commission.item_id else None
        about = presenters.link_to(commission)
    totals = queries.reflection_totals(response)
    comments, comments_pagination = keyset_page(
        request,
        queries.reflection_comments(response),
        queries.REFLECTION_COMMENT_ORDER,
        REFLECTION_COMMENTS_PER_PAGE,
    )
    if comments_pagination:
        for link in comments_pagination.values():
            link["href"] += "#reflects"
    return render(
        request,
        "tracker/board_response.jinja",
        {
            "page_title": f"The Board's response: {heading}",
            "response": response,
            "heading": heading,
            "cycle": cycle,
            "cycle_link": presenters.link_to(cycle),
            "about_link": about,
            "flag": flag,
            "flag_title": queries.flag_title(flag) if flag else None,
            "commitments": presenters.commitment_rows(
                queries.commitments().filter(board_response=response)
            ),
            "totals": totals,
            "comments": [
                (reflection.get_verdict_display(), presenters.public_comment(reflection.comment))
                for reflection in comments
            ],
            "comments_page": comments,
            "comments_pagination": comments_pagination,
            "form": form,
            "mine": mine,
            "can_add": request.user.has_perm("tracker.add_commitment", response),
        },
    )


@permission_required("tracker.record_board_response", raise_exception=True)
def add_board_commitment(request: HttpRequest, pk: int) -> HttpResponse:
    response = get_object_or_404(BoardResponse, pk=pk)
    form = CommitmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            commitment = check_add_commitment(by=request.user, to=response, draft=form.draft())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "The commitment is on the tracker.")
            return redirect(commitment)
    return render(
        request,
        "tracker/add_commitment.jinja",
        {
            "page_title": "Add a commitment to the Board's response",
            "form": form,
            "heading": "Add a commitment to the Board's response",
            "caption": response.summary,
            "organisation_name": "NHS England",
            "back": response.get_absolute_url(),
        },
    )
