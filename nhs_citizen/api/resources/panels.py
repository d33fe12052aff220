"""Citizen Panels chosen by lot, with their published draw files: what the panel page shows,
the SHA-256 of each file and a link to it. The seed is secret until it is revealed, and
nobody in the pool or on a panel is named or counted one by one here."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Query, Router, Schema

from nhs_citizen.api.conventions import mark_last_modified
from nhs_citizen.api.listing import ListParams, listing
from nhs_citizen.api.schemas import ERRORS, LIST_ERRORS, Envelope
from nhs_citizen.panels.models import HEAVY_PANEL_FIELDS, DrawProtocol, Panel, PanelStatus

router = Router()


class DrawFile(Schema):
    name: str
    url: str
    sha256: str


class PanelOut(Schema):
    id: int
    url: str
    title: str
    purpose: str
    question: str
    size: int
    reserves: int
    status: str
    status_words: str
    protocol: str
    created_at: dt.datetime
    inputs_frozen_at: dt.datetime | None
    lottery_published_at: dt.datetime | None
    seed_hash: str
    seed_committed_at: dt.datetime | None
    public_value_name: str
    public_value_date: dt.date | None
    public_value: str | None
    seed: str | None
    final_seed: str | None
    seed_revealed_at: dt.datetime | None
    drawn_at: dt.datetime | None
    lottery_sha256: str
    certificate_sha256: str
    files: list[DrawFile]


class PanelList(Envelope):
    results: list[PanelOut]


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _files(panel: Panel) -> list[dict]:
    files = []
    if panel.status != PanelStatus.SETTING_UP and panel.inputs_frozen_at:
        files.append(
            {
                "name": "draw.json",
                "url": _absolute(reverse("panels:draw_inputs", args=[panel.pk])),
                "sha256": panel.inputs_sha256,
            }
        )
    if panel.lottery_published_at or (panel.protocol == DrawProtocol.V1 and panel.drawn_at):
        files.append(
            {
                "name": "probabilities.json",
                "url": _absolute(reverse("panels:distribution", args=[panel.pk])),
                "sha256": panel.probabilities_sha256,
            }
        )
    return files


def _panel(panel: Panel) -> dict:
    revealed = panel.status == PanelStatus.SEED_REVEALED
    return {
        "id": panel.pk,
        "url": _absolute(reverse("panels:panel_detail", args=[panel.pk])),
        "title": panel.title,
        "purpose": panel.purpose,
        "question": panel.question,
        "size": panel.size,
        "reserves": panel.reserves,
        "status": panel.status,
        "status_words": panel.get_status_display(),
        "protocol": panel.protocol,
        "created_at": panel.created_at,
        "inputs_frozen_at": panel.inputs_frozen_at,
        "lottery_published_at": panel.lottery_published_at,
        "seed_hash": panel.seed_hash,
        "seed_committed_at": panel.seed_committed_at,
        "public_value_name": panel.public_value_name,
        "public_value_date": panel.public_value_date,
        "public_value": panel.public_value if panel.public_value_entered_at else None,
        "seed": panel.seed if revealed else None,
        "final_seed": panel.final_seed if revealed else None,
        "seed_revealed_at": panel.seed_revealed_at,
        "drawn_at": panel.drawn_at,
        "lottery_sha256": panel.lottery_sha256,
        "certificate_sha256": panel.certificate_sha256,
        "files": _files(panel),
    }


def _panels():
    return Panel.objects.defer(*HEAVY_PANEL_FIELDS)


@router.get("", response={200: PanelList, **LIST_ERRORS}, summary="Panels")
def panel_list(request: HttpRequest, params: Query[ListParams]):
    """Every panel chosen by lot, oldest first, with links to its published draw files.
    `changed_since`: panels made since then (each step of a draw is in the audit log)."""
    return listing(
        request,
        _panels(),
        "panels",
        params,
        lambda rows: [_panel(p) for p in rows],
        changed=lambda qs, since: qs.filter(created_at__gte=since),
    )


@router.get("/{int:id}", response={200: PanelOut, **ERRORS}, summary="One panel")
def panel_detail(request: HttpRequest, id: int):
    panel = _panels().filter(pk=id).first()
    if panel is None:
        raise Http404
    mark_last_modified(request, panel.created_at, panel.inputs_frozen_at, panel.seed_revealed_at)
    return _panel(panel)
