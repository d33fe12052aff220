"""Bodies (organisations) with their culture measures: how many flags were sent to each, how
many it answered on time, the commitments it made and kept, for all time and the last 12
months, from the figures the league table shows. Never who belongs to an organisation."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Query, Router, Schema
from pydantic import Field

from nhs_citizen.api import changes
from nhs_citizen.api.conventions import mark_last_modified
from nhs_citizen.api.listing import ListParams, listing
from nhs_citizen.api.schemas import ERRORS, LIST_ERRORS, Envelope
from nhs_citizen.core.models import Organisation, OrganisationType
from nhs_citizen.culture import presenters as culture_presenters
from nhs_citizen.culture.models import BodyFigures, MeasuresRun
from nhs_citizen.culture.services import figures
from nhs_citizen.culture.services.measures import Period

router = Router()


class Measures(Schema):
    period: str = Field(description="all (all time) or 12m (the last 12 months).")
    place: int | None
    flags_sent: int
    answered: int
    answered_on_time: int
    answers_due: int
    percent_answered_on_time: int | None
    median_days_to_answer: float | int | None
    waiting_for_an_answer: int
    answers_overdue: int
    commitments_made: int
    commitments_kept: int
    commitments_not_done: int
    commitments_open: int
    commitments_overdue: int
    commitments_due: int
    percent_commitments_kept: int | None
    recognised: bool


class BodyOut(Schema):
    id: int
    slug: str
    name: str
    type: str
    type_label: str
    code: str
    region: str | None
    icb_area: str | None
    website: str
    description: str
    url: str
    measures: list[Measures]


class BodyList(Envelope):
    results: list[BodyOut]


class BodyParams(ListParams):
    type: str | None = Field(None, description="One of: " + ", ".join(OrganisationType.values))


MEASURE_KEYS = set(Measures.model_fields) - {"period"}


def _measures(rows: list[BodyFigures]) -> list[dict]:
    out = []
    for row in sorted(rows, key=lambda r: r.period):
        data = culture_presenters.open_data_row(figures.to_ranked(row), settings.SITE_URL)
        out.append({"period": row.period, **{k: data[k] for k in MEASURE_KEYS}})
    return out


def _present(organisations: list[Organisation]) -> list[dict]:
    by_body: dict[int, list[BodyFigures]] = defaultdict(list)
    periods = [value for value, _ in Period.CHOICES]
    for row in BodyFigures.objects.filter(
        organisation_id__in=[o.pk for o in organisations], period__in=periods
    ):
        by_body[row.organisation_id].append(row)
    return [
        {
            "id": o.pk,
            "slug": o.slug,
            "name": o.name,
            "type": o.type,
            "type_label": o.get_type_display(),
            "code": o.code,
            "region": o.region.name if o.region_id else None,
            "icb_area": o.icb.name if o.icb_id else None,
            "website": o.website,
            "description": o.description,
            "url": settings.SITE_URL + reverse("core:organisation_detail", args=[o.slug]),
            "measures": _measures(by_body[o.pk]),
        }
        for o in organisations
    ]


def _organisations():
    """With ``figures_at``: when the newest of its culture figures were worked out (the daily
    job works every body's figures out again), or None for a body that is not measured."""
    periods = [value for value, _ in Period.CHOICES]
    its_periods = BodyFigures.objects.filter(
        organisation_id=OuterRef(OuterRef("pk")), period__in=periods
    ).values("period")
    runs = MeasuresRun.objects.filter(period__in=its_periods).order_by("-refreshed_at")
    return Organisation.objects.select_related("region", "icb").annotate(
        figures_at=Subquery(runs.values("refreshed_at")[:1])
    )


def _changed(queryset, since):
    """Added since then, or its culture figures worked out again since then."""
    return queryset.filter(Q(created_at__gte=since) | Q(figures_at__gte=since))


@router.get("", response={200: BodyList, **LIST_ERRORS}, summary="Bodies")
def body_list(request: HttpRequest, params: Query[BodyParams]):
    """Every organisation, with its culture measures where it is an NHS body that is measured.
    `changed_since` finds organisations added since then, or whose measures were worked out
    again since then (each day)."""
    organisations = _organisations()
    if params.type:
        if params.type not in OrganisationType.values:
            from nhs_citizen.api.conventions import BadParameter

            raise BadParameter("type", "type must be one of: " + ", ".join(OrganisationType.values))
        organisations = organisations.filter(type=params.type)
    return listing(
        request,
        organisations,
        "bodies",
        params,
        _present,
        changed=_changed,
        changed_at=lambda o: changes.newest_of(o, "created_at", "figures_at"),
    )


@router.get("/{slug}", response={200: BodyOut, **ERRORS}, summary="One body")
def body_detail(request: HttpRequest, slug: str):
    organisation = _organisations().filter(slug=slug).first()
    if organisation is None:
        raise Http404
    mark_last_modified(request, organisation.created_at, organisation.figures_at)
    return _present([organisation])[0]
