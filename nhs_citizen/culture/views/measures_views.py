"""The public league table, each body's page with the lists behind its figures, and the same
figures as open data (CSV and JSON)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from nhs_citizen.core.models import Organisation
from nhs_citizen.core.pagination import keyset_page
from nhs_citizen.core.streaming import (
    CSV,
    JSON,
    JSONL,
    csv_rows,
    download,
    json_document,
    json_lines,
)
from nhs_citizen.culture import presenters
from nhs_citizen.culture.forms import MeasuresFilterForm, PeriodForm
from nhs_citizen.culture.measures import RECOGNITION_MINIMUM_DUE
from nhs_citizen.culture.models import Story
from nhs_citizen.culture.queries import csv_cell, open_data_rows, without_bom
from nhs_citizen.culture.services import figures
from nhs_citizen.gather.models import Referral
from nhs_citizen.tracker.models import Commitment

STORIES_ON_BODY_PAGE = 5
BODIES_PER_PAGE = 50
RECOGNISED_SHOWN = 20
ROWS_ON_BODY_PAGE = 20
FLAGS_PER_PAGE = 50
LICENCE = "Open Government Licence v3.0"


def _filters(request: HttpRequest, form_class=MeasuresFilterForm):
    form = form_class(request.GET or None)
    return form, form.filters()


def league_table(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    today = timezone.localdate()
    run = figures.current_run(filters.period, today)
    by_kind = bool(filters.kind)
    table = figures.table(filters)
    page, pagination = keyset_page(request, table, ("position", "pk"), BODIES_PER_PAGE, total=None)
    kind = filters.kind or figures.ALL_KINDS
    recognised = [
        figures.to_ranked(row, by_kind).measures
        for row in table.filter(recognised=True).order_by("position", "pk")[:RECOGNISED_SHOWN]
    ]
    return render(
        request,
        "culture/league_table.jinja",
        {
            "page_title": "How well NHS bodies answer and keep their word",
            "filter_form": form,
            "error_form": form,
            "filters": filters,
            "period_label": presenters.period_label(filters),
            "table_caption": presenters.table_caption(filters),
            "today": today,
            "as_of": run.refreshed_at if run else None,
            "rows": [figures.to_ranked(row, by_kind) for row in page.object_list],
            "page": page,
            "pagination": pagination,
            "ranked_count": figures.ranked_count(run, kind),
            "recognised": recognised,
            "recognised_count": figures.recognised_count(run, kind),
            "recognition_minimum": RECOGNITION_MINIMUM_DUE,
            "how_we_rank": presenters.HOW_WE_RANK,
            "p": presenters,
        },
    )


def _referrals(organisation: Organisation, since):
    referrals = Referral.objects.filter(organisation=organisation).select_related(
        "flag", "response"
    )
    return referrals.filter(referred_at__gte=since) if since else referrals


def body_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    form, filters = _filters(request, PeriodForm)
    today = timezone.localdate()
    run = figures.current_run(filters.period, today)
    row = figures.body_row(organisation, filters.period)
    since = filters.since(today)
    referrals = _referrals(organisation, since).order_by("-referred_at", "-pk")
    # Open ones first, by due date (so the overdue ones lead), then finished ones.
    commitments = Commitment.objects.filter(organisation=organisation).order_by("list_key", "pk")
    if since:
        commitments = commitments.filter(created_at__gte=since)
    stories = (
        Story.objects.published()
        .filter(organisation=organisation)
        .select_related("author", "on_behalf__organisation")
        .order_by("-published_at", "-pk")[:STORIES_ON_BODY_PAGE]
    )
    return render(
        request,
        "culture/body_detail.jinja",
        {
            "page_title": f"{organisation.name}: answers and commitments",
            "organisation": organisation,
            "filter_form": form,
            "error_form": form,
            "filters": filters,
            "period_label": presenters.period_label(filters),
            "today": today,
            "row": row,
            "m": row.measures,
            "ranked_count": figures.ranked_count(run),
            "referral_rows": [
                presenters.ReferralRow(r, today) for r in referrals[:ROWS_ON_BODY_PAGE]
            ],
            "commitment_rows": [
                presenters.CommitmentRow(c, today) for c in commitments[:ROWS_ON_BODY_PAGE]
            ],
            "rows_shown": ROWS_ON_BODY_PAGE,
            "stories": list(stories),
            "recognition_minimum": RECOGNITION_MINIMUM_DUE,
            "p": presenters,
        },
    )


def body_flags(request: HttpRequest, slug: str) -> HttpResponse:
    """Every flag sent to a body, newest first, page by page."""
    organisation = get_object_or_404(Organisation, slug=slug)
    form, filters = _filters(request, PeriodForm)
    today = timezone.localdate()
    row = figures.body_row(organisation, filters.period)
    page, pagination = keyset_page(
        request,
        _referrals(organisation, filters.since(today)),
        ("-referred_at", "-pk"),
        FLAGS_PER_PAGE,
        total=row.measures.referrals.received,
    )
    return render(
        request,
        "culture/body_flags.jinja",
        {
            "page_title": f"Flags sent to {organisation.name}",
            "organisation": organisation,
            "filters": filters,
            "period_label": presenters.period_label(filters),
            "count": row.measures.referrals.received,
            "referral_rows": [presenters.ReferralRow(r, today) for r in page.object_list],
            "pagination": pagination,
        },
    )


def measures_csv(request: HttpRequest) -> StreamingHttpResponse:
    _, filters = _filters(request)
    figures.current_run(filters.period)
    fields = presenters.OPEN_DATA_FIELDS
    rows = ([csv_cell(row[key]) for key in fields] for row in open_data_rows(filters))
    return download(without_bom(csv_rows(fields, rows)), CSV, "nhs-citizen-culture-measures.csv")


def measures_json(request: HttpRequest) -> StreamingHttpResponse:
    _, filters = _filters(request)
    figures.current_run(filters.period)
    head = {
        "licence": LICENCE,
        "made_on": timezone.localdate().isoformat(),
        "period": filters.period,
        "kind": filters.kind or None,
        "how_we_rank": presenters.HOW_WE_RANK,
    }
    return download(
        json_document(head, "bodies", open_data_rows(filters)),
        JSON,
        "nhs-citizen-culture-measures.json",
    )


def measures_jsonl(request: HttpRequest) -> StreamingHttpResponse:
    """The same rows as the CSV, one JSON object per line."""
    _, filters = _filters(request)
    figures.current_run(filters.period)
    return download(
        json_lines(open_data_rows(filters)), JSONL, "nhs-citizen-culture-measures.jsonl"
    )
