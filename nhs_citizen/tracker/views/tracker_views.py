"""The public tracker: every commitment and every response, overdue ones first and in red, by
body, and the stock-take agenda of each cycle's Assembly."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from nhs_citizen.assembly.models import Cycle
from nhs_citizen.core.models import Organisation
from nhs_citizen.core.pagination import paginate
from nhs_citizen.gather.models import CallForViews, Response
from nhs_citizen.tracker import presenters, queries
from nhs_citizen.tracker.forms import ResponseFilterForm, TrackerFilterForm
from nhs_citizen.tracker.models import Commitment, StockTakeItem
from nhs_citizen.tracker.services.commitments import nhs_england
from nhs_citizen.tracker.services.stocktake import LEAD_DAYS, do_generate_stocktake, last_made

PER_PAGE = 20


def index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = TrackerFilterForm(request.GET or None)
    filters = form.filters()
    commitments = queries.commitments(today)
    if body := filters.get("body"):
        commitments = commitments.filter(organisation=body)
    if status := filters.get("status"):
        commitments = queries.filter_by_status(commitments, status, today)
    if cycle := filters.get("cycle"):
        commitments = commitments.filter(cycle=cycle)
    if topic := filters.get("topic"):
        commitments = commitments.filter(topic=topic)
    page, pagination = paginate(request, commitments, per_page=PER_PAGE)
    bodies = list(queries.bodies_with_commitments(today))
    nhse = nhs_england()
    return render(
        request,
        "tracker/index.jinja",
        {
            "page_title": "Tracker",
            "filter_form": form,
            "filtered": bool(filters),
            "page": page,
            "pagination": pagination,
            "rows": presenters.commitment_rows(page.object_list, today),
            "totals": queries.totals(today=today),
            "overdue_bodies": [b for b in bodies if b.overdue],
            "body_count": len(bodies),
            "latest_responses": queries.load_responses(
                queries.responses(nhs_england_id=nhse.pk)[:5]
            ),
            "stocktake_cycles": Cycle.objects.filter(stocktake_items__isnull=False)
            .distinct()
            .order_by("-stocktake_date")[:3],
        },
    )


def body_list(request: HttpRequest) -> HttpResponse:
    bodies = list(queries.bodies_with_commitments())
    return render(
        request,
        "tracker/body_list.jinja",
        {"page_title": "Commitments by body", "bodies": bodies},
    )


def body_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    today = timezone.localdate()
    commitments = queries.commitments(today).filter(organisation=organisation)
    # Every overdue commitment, on one page: this list is the reason the page exists.
    overdue = presenters.commitment_rows(commitments.filter(queries.overdue_q(today)), today)
    others = commitments.exclude(queries.overdue_q(today))
    page, pagination = paginate(request, others, per_page=PER_PAGE)
    nhse = nhs_england()
    return render(
        request,
        "tracker/body_detail.jinja",
        {
            "page_title": f"{organisation.name}: commitments",
            "organisation": organisation,
            "totals": queries.totals(Commitment.objects.filter(organisation=organisation), today),
            "overdue": overdue,
            "page": page,
            "pagination": pagination,
            "rows": presenters.commitment_rows(page.object_list, today),
            "responses": queries.load_responses(
                queries.responses(organisation=organisation, nhs_england_id=nhse.pk)[:5]
            ),
            "is_nhs_england": organisation.pk == nhse.pk,
        },
    )


def response_list(request: HttpRequest) -> HttpResponse:
    form = ResponseFilterForm(request.GET or None)
    filters = form.filters()
    rows = queries.responses(
        kind=filters.get("kind"),
        organisation=filters.get("body"),
        nhs_england_id=nhs_england().pk,
    )
    page, pagination = paginate(request, rows, per_page=PER_PAGE)
    return render(
        request,
        "tracker/response_list.jinja",
        {
            "page_title": "Every response",
            "filter_form": form,
            "filtered": bool(filters),
            "page": page,
            "pagination": pagination,
            "rows": queries.load_responses(page.object_list),
        },
    )


def _commitments_of(**source) -> list[presenters.CommitmentRow]:
    return presenters.commitment_rows(queries.commitments().filter(**source))


def commitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = get_object_or_404(
        Commitment.objects.select_related(
            "organisation",
            "cycle",
            "topic",
            "flag",
            "board_response__agenda_item",
            "board_response__commission",
            "referral_response__referral__flag",
            "referral_response__referral__organisation",
            "call_for_views__organisation",
        ),
        pk=pk,
    )
    updates = list(commitment.updates.order_by("created_at", "pk"))
    moves = [u for u in updates if u.due_date != u.previous_due_date]
    return render(
        request,
        "tracker/commitment_detail.jinja",
        {
            "page_title": commitment.what,
            "commitment": commitment,
            "status": presenters.status_of(commitment),
            "updates": list(reversed(updates)),
            "moves": moves,
            "original_due_date": moves[0].previous_due_date if moves else None,
            "source": presenters.source_link(commitment),
            "flag_title": queries.flag_title(commitment.flag) if commitment.flag_id else None,
            "cycle_link": presenters.link_to(commitment.cycle) if commitment.cycle_id else None,
            "stocktakes": commitment.stocktake_items.select_related("cycle").order_by(
                "-cycle__stocktake_date"
            ),
            "can_update": request.user.has_perm("tracker.update_commitment", commitment),
        },
    )


def answer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A body's answer to a referred flag, as the tracker holds it: with its commitments."""
    answer = get_object_or_404(
        Response.objects.select_related(
            "referral__flag__topic", "referral__organisation", "responsible_organisation"
        ),
        pk=pk,
    )
    return render(
        request,
        "tracker/answer_detail.jinja",
        {
            "page_title": f"{answer.referral.organisation.name}'s answer",
            "answer": answer,
            "flag": answer.referral.flag,
            "flag_title": queries.flag_title(answer.referral.flag),
            "rows": _commitments_of(referral_response=answer),
            "can_add": request.user.has_perm("tracker.add_commitment", answer),
        },
    )


def call_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    """What a body did about its call for views, with its commitments."""
    call = get_object_or_404(
        CallForViews.objects.select_related("organisation").annotate(
            answer_count=Count("submissions")
        ),
        pk=pk,
    )
    if call.outcome_published_at is None:
        raise Http404("This call for views has no published outcome yet.")
    return render(
        request,
        "tracker/call_outcome.jinja",
        {
            "page_title": f"What {call.organisation.name} did: {call.title}",
            "call": call,
            "rows": _commitments_of(call_for_views=call),
            "can_add": request.user.has_perm("tracker.add_commitment", call),
        },
    )


def stocktake(request: HttpRequest, slug: str) -> HttpResponse:
    cycle = get_object_or_404(Cycle, slug=slug)
    can_generate = request.user.has_perm("tracker.generate_stocktake")
    if request.method == "POST":
        if not can_generate:
            raise PermissionDenied("Only the secretariat can make the stock-take agenda.")
        items = do_generate_stocktake(cycle, by=request.user)
        messages.success(
            request,
            f"The stock-take agenda is up to date: {len(items)} open "
            f"commitment{'' if len(items) == 1 else 's'}.",
        )
        return redirect("tracker:stocktake", slug=cycle.slug)
    today = timezone.localdate()
    items = list(
        StockTakeItem.objects.filter(cycle=cycle)
        .select_related("commitment__organisation")
        .order_by("position")
    )
    rows = [
        {
            "item": item,
            "commitment": item.commitment,
            "status": presenters.status_of(item.commitment, today),
        }
        for item in items
    ]
    return render(
        request,
        "tracker/stocktake.jinja",
        {
            "page_title": f"Stock-take: {cycle.name}",
            "cycle": cycle,
            "cycle_link": presenters.link_to(cycle),
            "rows": rows,
            "overdue_count": sum(1 for item in items if item.was_overdue),
            "last_made": last_made(cycle),
            "lead_days": LEAD_DAYS,
            "can_generate": can_generate,
        },
    )
