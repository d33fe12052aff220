"""Counts for pages, without COUNT(*) over millions of rows on every view.

``cached_count`` counts once and keeps the answer in the cache for a few minutes: right for
"1,234 flags match" lines that can be a little behind. ``estimated_count`` reads PostgreSQL's own
estimate of a whole table's size (kept up to date by autovacuum and ANALYZE), for "about 1.2
million" figures; on SQLite, where tables are small, it counts.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.db import connections, router
from django.db.models import Model, QuerySet

_PREFIX = "count:"


def cached_count(queryset: QuerySet, key: str | None = None, timeout: int = 300) -> int:
    """The number of rows in ``queryset``, counted at most once per ``timeout`` seconds. The key
    defaults to a hash of the query's SQL, so different filters are counted separately."""
    full_key = _PREFIX + (key or _key_for(queryset))
    value = cache.get(full_key)
    if value is None:
        value = queryset.count()
        cache.set(full_key, value, timeout)
    return value


def _key_for(queryset: QuerySet) -> str:
    sql, params = queryset.query.sql_with_params()
    return hashlib.sha256(f"{sql}|{params!r}".encode()).hexdigest()


def forget_count(key: str) -> None:
    cache.delete(_PREFIX + key)


def estimated_count(model: type[Model]) -> int:
    """About how many rows ``model``'s table holds (PostgreSQL's planner estimate); the exact
    count elsewhere, or when PostgreSQL has not yet estimated the table."""
    alias = router.db_for_read(model)
    connection = connections[alias]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                [model._meta.db_table],
            )
            row = cursor.fetchone()
        if row and row[0] is not None and row[0] >= 0:
            return int(row[0])
    return model._default_manager.using(alias).count()
