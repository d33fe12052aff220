"""The public league table, each body's page with the lists behind its figures, and the same
figures as open data (CSV and JSON)."""

from __future__ import annotations

import csv

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from nhs_citizen.core.models import Organisation
from nhs_citizen.culture import presenters
from nhs_citizen.culture.forms import MeasuresFilterForm, PeriodForm
from nhs_citizen.culture.measures import RECOGNITION_MINIMUM_DUE
from nhs_citizen.culture.models import Story
from nhs_citizen.culture.services import measures as services
from nhs_citizen.gather.models import Referral
from nhs_citizen.tracker.models import Commitment

STORIES_ON_BODY_PAGE = 5
LICENCE = "Open Government Licence v3.0"


def _filters(request: HttpRequest, form_class=MeasuresFilterForm):
    form = form_class(request.GET or None)
    return form, form.filters()


def league_table(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    today = timezone.localdate()
    rows = services.league_table(filters, today=today)
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
            "rows": rows,
            "ranked_count": sum(1 for row in rows if row.place is not None),
            "recognised": [row.measures for row in rows if row.measures.recognition],
            "recognition_minimum": RECOGNITION_MINIMUM_DUE,
            "how_we_rank": presenters.HOW_WE_RANK,
            "p": presenters,
        },
    )


def body_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    form, filters = _filters(request, PeriodForm)
    today = timezone.localdate()
    row, ranked_count = services.league_row(organisation, filters.period, today=today)
    since = filters.since(today)
    referrals = (
        Referral.objects.filter(organisation=organisation)
        .select_related("flag", "response")
        .order_by("-referred_at", "-pk")
    )
    commitments = Commitment.objects.filter(organisation=organisation).order_by("due_date", "pk")
    if since:
        referrals = referrals.filter(referred_at__gte=since)
        commitments = commitments.filter(created_at__gte=since)
    stories = (
        Story.objects.published()
        .filter(organisation=organisation)
        .select_related("author")[:STORIES_ON_BODY_PAGE]
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
            "ranked_count": ranked_count,
            "referral_rows": [presenters.ReferralRow(r, today) for r in referrals],
            "commitment_rows": [presenters.CommitmentRow(c, today) for c in commitments],
            "stories": list(stories),
            "recognition_minimum": RECOGNITION_MINIMUM_DUE,
            "p": presenters,
        },
    )


def _open_data(request: HttpRequest) -> tuple[services.Filters, list[dict]]:
    _, filters = _filters(request)
    rows = services.league_table(filters)
    return filters, [presenters.open_data_row(row, settings.SITE_URL) for row in rows]


def _csv_cell(value) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    # Spreadsheets run a cell that starts with one of these as a formula.
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + value
    return value


def measures_csv(request: HttpRequest) -> HttpResponse:
    _, rows = _open_data(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="nhs-citizen-culture-measures.csv"'
    writer = csv.DictWriter(response, fieldnames=presenters.OPEN_DATA_FIELDS)
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _csv_cell(value) for key, value in row.items()})
    return response


def measures_json(request: HttpRequest) -> JsonResponse:
    filters, rows = _open_data(request)
    response = JsonResponse(
        {
            "licence": LICENCE,
            "made_on": timezone.localdate().isoformat(),
            "period": filters.period,
            "kind": filters.kind or None,
            "how_we_rank": presenters.HOW_WE_RANK,
            "bodies": rows,
        },
        json_dumps_params={"ensure_ascii": False},
    )
    response["Content-Disposition"] = 'attachment; filename="nhs-citizen-culture-measures.json"'
    return response
