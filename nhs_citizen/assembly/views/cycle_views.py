"""The public Assembly pages: the current cycle, past cycles, a cycle's record, its results as
open data, and the calendar of every cycle's dates."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from nhs_citizen.assembly import presenters
from nhs_citizen.assembly.models import Ballot, Cycle, Stage
from nhs_citizen.assembly.services.vote import TIE_RULE, vote_is_open
from nhs_citizen.assembly.views import render_page
from nhs_citizen.core import streaming
from nhs_citizen.core.pagination import keyset_page


def _your_ballot(request: HttpRequest, cycle: Cycle | None) -> Ballot | None:
    if cycle is None or not request.user.is_authenticated:
        return None
    return Ballot.objects.filter(cycle=cycle, voter=request.user, version__gt=0).first()


def index(request: HttpRequest) -> HttpResponse:
    current = Cycle.objects.current()
    coming = list(
        Cycle.objects.exclude(stage=Stage.STOCK_TAKE)
        .exclude(pk=getattr(current, "pk", None))
        .order_by("flag_cutoff")
    )
    return render_page(
        request,
        "assembly/index.jinja",
        {
            "page_title": "Assembly",
            "cycle": current,
            "standing": presenters.standing(current) if current else None,
            "timeline": presenters.timeline(current) if current else [],
            "vote_open": bool(current and vote_is_open(current)),
            "your_ballot": _your_ballot(request, current),
            "coming": coming,
            "has_past": Cycle.objects.past().exists(),
        },
    )


PAST_CYCLES_PER_PAGE = 20


def past_cycles(request: HttpRequest) -> HttpResponse:
    page, pagination = keyset_page(
        request, Cycle.objects.past(), ("-flag_cutoff", "-pk"), PAST_CYCLES_PER_PAGE
    )
    return render_page(
        request,
        "assembly/past_cycles.jinja",
        {
            "page_title": "Past Assembly cycles",
            "cycles": page.object_list,
            "page": page,
            "pagination": pagination,
        },
    )


def cycle_detail(request: HttpRequest, slug: str) -> HttpResponse:
    cycle = get_object_or_404(Cycle.objects.select_related("jury_panel"), slug=slug)
    return render_page(
        request,
        "assembly/cycle_detail.jinja",
        {
            "page_title": cycle.name,
            "page": presenters.cycle_page(cycle),
            "cycle": cycle,
            "decisions": list(cycle.decisions.all()),
            "vote_open": vote_is_open(cycle),
            "your_ballot": _your_ballot(request, cycle),
            "Stage": Stage,
        },
    )


def results_json(request: HttpRequest, slug: str) -> HttpResponse:
    """Open data: the scores, once published. Nothing at all before the vote closes. Streamed:
    the entries are read in chunks and written as they come."""
    cycle = get_object_or_404(Cycle, slug=slug)
    if cycle.scores_published_at is None:
        raise Http404
    head = {
        "cycle": cycle.name,
        "vote_opened": cycle.vote_opens.isoformat(),
        "vote_closed": cycle.vote_closes.isoformat(),
        "scores_published": cycle.scores_published_at.isoformat(),
        "voters": cycle.voters or 0,
        "paper_voters": cycle.paper_voters or 0,
        "tie_rule": TIE_RULE,
    }
    # In place order (every entry has one once the scores are published), read in chunks.
    entries = cycle.entries.select_related("flag", "jury_choice").order_by("place", "pk")
    rows = (_result(entry) for entry in entries.iterator(chunk_size=500))
    return streaming.download(
        streaming.json_document(head, "results", rows),
        streaming.JSON,
        f"assembly-{cycle.slug}-results.json",
    )


def _result(entry) -> dict:
    choice = getattr(entry, "jury_choice", None) if hasattr(entry, "jury_choice") else None
    return {
        "place": entry.place,
        "flag": entry.flag_id,
        "title": None if entry.flag.is_hidden else entry.flag.title,
        "votes": entry.votes,
        "shortlisted_at": entry.shortlisted_at.isoformat(),
        "to_jury": entry.to_jury,
        "jury_chose": choice.chosen if choice else None,
        "jury_reasons": choice.reasons if choice else None,
    }


def calendar_feed(request: HttpRequest) -> HttpResponse:
    cycles = list(Cycle.objects.prefetch_related("decisions").order_by("flag_cutoff"))
    response = HttpResponse(
        presenters.calendar_text(cycles), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="nhs-citizen-assembly.ics"'
    return response
