"""The secretariat's exports of a drawn panel: the people selected and the rest of the pool, in
the layout of the tool the pool came from."""

from __future__ import annotations

import io
import re
import zipfile

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from nhs_citizen.panels import formats
from nhs_citizen.panels.forms import ExportPeopleFileForm
from nhs_citizen.panels.models import HEAVY_PANEL_FIELDS, Panel
from nhs_citizen.panels.services import pool as pool_services

WHICH = {"selected": "the people selected", "remaining": "the people remaining"}


def _panel(pk: int) -> Panel:
    return get_object_or_404(Panel.objects.defer(*HEAVY_PANEL_FIELDS).select_related("pool"), pk=pk)


def _why_not(panel: Panel) -> str:
    """Why the panel cannot be exported, or ""."""
    if panel.pool.is_volunteer_pool:
        return "This panel was chosen from the NHS Citizen volunteer pool, not from imported files, so there is no file to export in."
    if not panel.members.exists():
        return (
            "Nobody has been chosen for this panel yet. You can export once the draw has been run."
        )
    return ""


def _file_stem(panel: Panel) -> str:
    return re.sub(r"[^a-z0-9]+", "-", panel.title.lower()).strip("-")[:60] or f"panel-{panel.pk}"


def _csv_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@permission_required("panels.run_draws", raise_exception=True)
def export_panel(request: HttpRequest, pk: int) -> HttpResponse:
    panel = _panel(pk)
    problem = _why_not(panel)
    form = ExportPeopleFileForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and not problem and form.is_valid():
        try:
            split = pool_services.check_split_people_file(panel, form.cleaned_data["people_file"])
        except ValidationError as error:
            problems = error.messages
            form.add_error(
                "people_file",
                "This file cannot be split for this panel. See the problems listed above",
            )
        else:
            pool_services.do_record_export(
                panel=panel, exported_by=request.user, what="the full people file"
            )
            stem = _file_stem(panel)
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                parts = [("selected", split.selected), ("remaining", split.remaining)]
                if split.left_out:
                    parts.append(("not-in-the-pool", split.left_out))
                for which, rows in parts:
                    archive.writestr(
                        f"{stem}-{which}.csv", formats.to_csv([split.header, *rows]).encode()
                    )
            response = HttpResponse(buffer.getvalue(), content_type="application/zip")
            response["Content-Disposition"] = f'attachment; filename="{stem}-people.zip"'
            return response
    source = pool_services.source_layout(panel.pool) if not problem else {}
    return render(
        request,
        "panels/export_panel.jinja",
        {
            "page_title": f"Export the people for {panel.title}",
            "panel": panel,
            "problem": problem,
            "problems": problems,
            "form": form,
            "layout_name": formats.LAYOUT_NAMES.get(source.get("layout") or "", ""),
            "id_column": formats.id_header(source) if source else "",
            "numbered": source.get("numbered", False),
        },
    )


@permission_required("panels.run_draws", raise_exception=True)
@require_POST
def export_stored(request: HttpRequest, pk: int, which: str) -> HttpResponse:
    """The id and category columns NHS Citizen keeps, for the selected or the remaining people."""
    if which not in WHICH:
        raise Http404
    panel = _panel(pk)
    if _why_not(panel):
        raise Http404
    selected, remaining = pool_services.export_tables(panel)
    pool_services.do_record_export(panel=panel, exported_by=request.user, what=WHICH[which])
    rows = selected if which == "selected" else remaining
    return _csv_response(formats.to_csv(rows), f"{_file_stem(panel)}-{which}.csv")
