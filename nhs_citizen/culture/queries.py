"""Culture change as open data: the league table's stored rows, a chunk at a time, and how its
CSV is written. Read by the downloads (``views.measures_views``) and the nightly files."""

from __future__ import annotations

import codecs

from django.conf import settings

from nhs_citizen.culture import presenters
from nhs_citizen.culture.services import figures


def open_data_rows(filters):
    """The stored rows in the league table's order, a chunk at a time (by position, which
    is the same order among bodies of one kind)."""
    by_kind = bool(filters.kind)
    table = figures.table(filters)
    last = 0
    while True:
        chunk = list(table.filter(position__gt=last).order_by("position")[:CHUNK])
        for row in chunk:
            yield presenters.open_data_row(figures.to_ranked(row, by_kind), settings.SITE_URL)
        if len(chunk) < CHUNK:
            return
        last = chunk[-1].position


CHUNK = 2000


def csv_cell(value) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    # Spreadsheets run a cell that starts with one of these as a formula.
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + value
    return value


def without_bom(chunks):
    """This file has always been plain UTF-8, without a byte order mark: scripts rely on it."""
    first = True
    for chunk in chunks:
        if first and chunk.startswith(codecs.BOM_UTF8):
            chunk = chunk[len(codecs.BOM_UTF8) :]
        first = False
        yield chunk
