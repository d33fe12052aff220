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


# Stories of change, as the open API and the nightly files give them ---------------------------

STORY_COLUMNS = [
    "id",
    "url",
    "title",
    "text",
    "told_by",
    "teller",
    "body",
    "body_slug",
    "published_at",
]


def public_stories():
    """Published stories a moderator has not hidden, with their teller and body."""
    from nhs_citizen.culture.models import Story

    return Story.objects.published().select_related("author", "organisation")


def story_record(story, absolute=lambda path: path) -> dict:
    """One story as its page shows it: the name its teller chose to show, never who decided."""
    return {
        "id": story.pk,
        "url": absolute(story.get_absolute_url()),
        "title": story.title,
        "text": story.body,
        "told_by": story.author.public_name,
        "teller": story.teller,
        "body": story.organisation.name if story.organisation_id else None,
        "body_slug": story.organisation.slug if story.organisation_id else None,
        "published_at": story.published_at,
    }


def story_records():
    """Every public story, oldest first, read in keyset chunks (the nightly files)."""
    from nhs_citizen.core.streaming import iterate_keyset

    for story in iterate_keyset(public_stories(), chunk_size=500):
        yield story_record(story)
