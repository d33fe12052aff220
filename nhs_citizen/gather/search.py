"""Keyword search of flags: PostgreSQL full-text search on a GIN index, LIKE elsewhere.

The index (made in migration 0002) and the query use the same text vector, built here, so
PostgreSQL can answer from the index whatever the number of flags."""

from __future__ import annotations

from django.db import connections
from django.db.models import Q, QuerySet

SEARCH_CONFIG = "english"
MAX_WORDS = 8


def search_vector():
    from django.contrib.postgres.search import SearchVector

    return SearchVector("title", "what_should_change", "why", config=SEARCH_CONFIG)


def search_index_for(name: str):
    from django.contrib.postgres.indexes import GinIndex

    return GinIndex(search_vector(), name=name)


def search_flags(flags: QuerySet, q: str) -> QuerySet:
    """Flags with every word of ``q`` (up to 8 words), in any of their texts."""
    words = q.split()[:MAX_WORDS]
    if not words:
        return flags
    if connections[flags.db].vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery

        query = SearchQuery(" ".join(words), config=SEARCH_CONFIG, search_type="plain")
        return flags.alias(search=search_vector()).filter(search=query)
    for word in words:
        flags = flags.filter(
            Q(title__icontains=word)
            | Q(what_should_change__icontains=word)
            | Q(why__icontains=word)
        )
    return flags


def filter_flag_list(flags: QuerySet, form) -> tuple[QuerySet, str]:
    """Apply the Gather list's filters from a bound ``FlagSearchForm``: (flags, sort key).
    An invalid form filters nothing, as the list page shows its errors and every flag.
    Shared by the list page and its Atom feed, so both read the same filters."""
    sort = "supported"
    if form.is_valid():
        data = form.cleaned_data
        if q := data.get("q"):
            flags = search_flags(flags, q)
        if topic := data.get("topic"):
            flags = flags.filter(topic=topic)
        if area := data.get("area"):
            kind, _, code = area.partition(":")
            if kind == "region":
                flags = flags.filter(region__code=code)
            elif kind == "icb":
                flags = flags.filter(icb__code=code)
        if status := data.get("status"):
            flags = flags.filter(status=status)
        sort = data.get("sort") or "supported"
    return flags, sort
