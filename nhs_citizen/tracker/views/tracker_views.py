"""The public tracker: every commitment and every response, overdue ones first and in red, by
body, and the stock-take agenda of each cycle's Assembly."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from nhs_citizen.assembly.models import Cycle
from nhs_citizen.core.models import Organisation
from nhs_citizen.core.pagination import keyset_page
from nhs_citizen.gather.models import CallForViews, Response
from nhs_citizen.tracker import presenters, queries
from nhs_citizen.tracker.forms import ResponseFilterForm, TrackerFilterForm
from nhs_citizen.tracker.models import BodyCommitmentSummary, Commitment, StockTakeItem
from nhs_citizen.tracker.services import summaries
from nhs_citizen.tracker.services.commitments import nhs_england
from nhs_citizen.tracker.services.stocktake import LEAD_DAYS, last_run
from nhs_citizen.tracker.tasks import generate_stocktake

PER_PAGE = 20
BODIES_PER_PAGE = 50
STOCKTAKE_PER_PAGE = 50
UPDATES_PER_PAGE = 20
OVERDUE_BODIES_SHOWN = 10
LATEST_RESPONSES = 5


def index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    totals = summaries.current_totals(today)
    form = TrackerFilterForm(request.GET or None)
    filters = form.filters()
    commitments, ordering = queries.filtered(filters, today)
    count = queries.count_for(filters, totals, today)
    page, pagination = keyset_page(request, commitments, ordering, PER_PAGE, total=count)
    nhse = nhs_england()
    return render(
        request,
        "tracker/index.jinja",
        {
            "page_title": "Tracker",
            "filter_form": form,
            "body_field": presenters.cached_field(form["body"], summaries.version()),
            "filtered": bool(filters),
            "page": page,
            "count": count,
            "pagination": pagination,
            "rows": presenters.commitment_rows(page.object_list, today),
            "totals": totals,
            "overdue_bodies": list(queries.bodies().filter(overdue__gt=0)[:OVERDUE_BODIES_SHOWN]),
            "body_count": totals.bodies,
            "overdue_body_count": totals.bodies_overdue,
            "latest_responses": queries.load_responses(
                queries.response_keys(nhs_england_id=nhse.pk, limit=LATEST_RESPONSES)
            ),
            "stocktake_cycles": list(queries.stocktake_cycles()[:3]),
        },
    )


def body_list(request: HttpRequest) -> HttpResponse:
    totals = summaries.current_totals()
    page, pagination = keyset_page(
        request, queries.bodies(), queries.BODY_ORDER, BODIES_PER_PAGE, total=totals.bodies
    )
    return render(
        request,
        "tracker/body_list.jinja",
        {
            "page_title": "Commitments by body",
            "bodies": page.object_list,
            "body_count": totals.bodies,
            "page": page,
            "pagination": pagination,
        },
    )


def body_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    today = timezone.localdate()
    summaries.current_totals(today)  # queues the daily refresh if it has not run today
    totals = BodyCommitmentSummary.objects.filter(organisation=organisation).first()
    if totals is None:
        totals = BodyCommitmentSummary(organisation=organisation, name=organisation.name)
    # One list, overdue ones first: each page shows its overdue ones under their own heading.
    commitments = queries.commitments(today).filter(organisation=organisation)
    page, pagination = keyset_page(
        request, commitments, queries.ORDER, PER_PAGE, total=totals.total
    )
    rows = presenters.commitment_rows(page.object_list, today)
    nhse = nhs_england()
    return render(
        request,
        "tracker/body_detail.jinja",
        {
            "page_title": f"{organisation.name}: commitments",
            "organisation": organisation,
            "totals": totals,
            "overdue": [row for row in rows if row.status.overdue],
            "rows": [row for row in rows if not row.status.overdue],
            "other_count": totals.total - totals.overdue,
            "page": page,
            "pagination": pagination,
            "responses": queries.load_responses(
                queries.response_keys(
                    organisation=organisation, nhs_england_id=nhse.pk, limit=LATEST_RESPONSES
                )
            ),
            "is_nhs_england": organisation.pk == nhse.pk,
        },
    )


_RESPONSE_SALT = "nhs_citizen.tracker.responses"


def _response_token(key: queries.ResponseKey, number: int | None) -> str:
    return signing.Signer(salt=_RESPONSE_SALT).sign_object(
        [key.kind, key.pk, key.at.isoformat(), number]
    )


def _response_boundary(token: str | None):
    if not token:
        return None
    try:
        kind, pk, at, number = signing.Signer(salt=_RESPONSE_SALT).unsign_object(token)
        at = datetime.datetime.fromisoformat(at)
        if kind not in dict(queries.RESPONSE_KINDS) or not isinstance(pk, int):
            return None
        return queries.ResponseKey(kind, pk, at, None), number if isinstance(number, int) else None
    except (signing.BadSignature, ValueError, TypeError):
        return None


def _href(request: HttpRequest, direction: str, token: str) -> str:
    query = request.GET.copy()
    for name in ("after", "before", "page"):
        query.pop(name, None)
    query[direction] = token
    return "?" + query.urlencode()


def response_list(request: HttpRequest) -> HttpResponse:
    form = ResponseFilterForm(request.GET or None)
    filters = form.filters()
    asked = {
        "kind": filters.get("kind"),
        "organisation": filters.get("body"),
        "nhs_england_id": nhs_england().pk,
    }
    after = _response_boundary(request.GET.get("after"))
    before = None if after else _response_boundary(request.GET.get("before"))
    keys = queries.response_keys(
        **asked,
        limit=PER_PAGE + 1,
        after=after[0] if after else None,
        before=before[0] if before else None,
    )
    if before:
        has_previous, has_next = len(keys) > PER_PAGE, True
        keys = keys[-PER_PAGE:]
        number = (before[1] - 1) if before[1] and has_previous else 1
    else:
        has_next, has_previous = len(keys) > PER_PAGE, after is not None
        keys = keys[:PER_PAGE]
        number = (after[1] + 1) if after and after[1] else (None if after else 1)
    pagination = None
    if keys and (has_next or has_previous):
        pagination = {}
        if has_previous:
            pagination["previous"] = {
                "href": _href(request, "before", _response_token(keys[0], number))
            }
        if has_next:
            pagination["next"] = {
                "href": _href(request, "after", _response_token(keys[-1], number))
            }
    return render(
        request,
        "tracker/response_list.jinja",
        {
            "page_title": "Every response",
            "filter_form": form,
            "body_field": presenters.cached_field(form["body"]),
            "filtered": bool(filters),
            "count": queries.response_count(**asked),
            "pagination": pagination,
            "rows": queries.load_responses(keys),
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
    # Newest first, a page at a time; the due date's moves are counted on their own, so the
    # summary says how often it moved whatever page is shown.
    updates, updates_pagination = keyset_page(
        request, commitment.updates.all(), ("-created_at", "-pk"), UPDATES_PER_PAGE
    )
    moves = commitment.updates.exclude(due_date=F("previous_due_date"))
    first_move = moves.order_by("created_at", "pk").values_list("previous_due_date").first()
    move_count = moves.count() if first_move else 0
    return render(
        request,
        "tracker/commitment_detail.jinja",
        {
            "page_title": commitment.what,
            "commitment": commitment,
            "status": presenters.status_of(commitment),
            "updates": updates.object_list,
            "updates_page": updates,
            "updates_pagination": updates_pagination,
            "move_count": move_count,
            "original_due_date": first_move[0] if first_move else None,
            "source": presenters.source_link(commitment),
            "flag_title": queries.flag_title(commitment.flag) if commitment.flag_id else None,
            "cycle_link": presenters.link_to(commitment.cycle) if commitment.cycle_id else None,
            "stocktakes": commitment.stocktake_items.select_related("cycle").order_by(
                "-cycle__stocktake_date"
            ),
            "can_update": request.user.has_perm("tracker.update_commitment", commitment),
            "can_withdraw": request.user.has_perm("tracker.withdraw_commitment", commitment),
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
        # Every open commitment is read: a background job does it.
        generate_stocktake.enqueue(cycle.pk, request.user.pk)
        messages.success(
            request,
            "The stock-take agenda is being brought up to date from the tracker. It takes a "
            "minute or so: refresh this page to see it.",
        )
        return redirect("tracker:stocktake", slug=cycle.slug)
    today = timezone.localdate()
    page, pagination = keyset_page(
        request,
        StockTakeItem.objects.filter(cycle=cycle).select_related("commitment__organisation"),
        ("position", "pk"),
        STOCKTAKE_PER_PAGE,
    )
    rows = [
        {
            "item": item,
            "commitment": item.commitment,
            "status": presenters.status_of(item.commitment, today),
        }
        for item in page.object_list
    ]
    made_at, made = last_run(cycle)
    return render(
        request,
        "tracker/stocktake.jinja",
        {
            "page_title": f"Stock-take: {cycle.name}",
            "cycle": cycle,
            "cycle_link": presenters.link_to(cycle),
            "rows": rows,
            "pagination": pagination,
            "item_count": made.get("items", 0),
            "overdue_count": made.get("overdue", 0),
            "last_made": made_at,
            "lead_days": LEAD_DAYS,
            "can_generate": can_generate,
        },
    )
