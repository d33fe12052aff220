"""When a resource last changed, for ``changed_since`` and Last-Modified (ADR 0030, 5).

A row's own timestamps miss changes made to things hanging off it (a flag's answer, a
commitment made about it, a moderator putting it back). Two ways in, both reading what is
already written, so no service has to remember to touch a ``changed_at``:

* the newest of its related rows' timestamps (``newest``, a subquery per related table);
* the public audit log, which every public write already records with its target
  (``audited_since`` / ``last_audited``): a status moved, dates changed, a flag restored.

Filters use ``EXISTS`` (each stops at the first match, through an index); the Last-Modified of
a page uses the annotated newest moments of its rows, in the same query as the page.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast
from django.utils import timezone

from nhs_citizen.core.models import AuditEntry


def _target(model: type[models.Model]) -> str:
    return model._meta.label_lower


def _entries_about(model: type[models.Model]) -> QuerySet:
    return AuditEntry.objects.public().filter(
        target_type=_target(model), target_id=Cast(OuterRef("pk"), CharField())
    )


def audited_since(model: type[models.Model], since: dt.datetime) -> Exists:
    """A public audit entry about the row since then."""
    return Exists(_entries_about(model).filter(created_at__gte=since))


def last_audited(model: type[models.Model]) -> Subquery:
    """The time of the newest public audit entry about the row."""
    return Subquery(_entries_about(model).order_by("-sequence").values("created_at")[:1])


def newest(queryset: QuerySet, field: str) -> Subquery:
    """The newest ``field`` among ``queryset``'s rows (already tied to ``OuterRef``)."""
    return Subquery(queryset.order_by(f"-{field}").values(field)[:1])


def newest_of(row, *names: str) -> dt.datetime | None:
    moments = [getattr(row, name, None) for name in names]
    found = [moment for moment in moments if moment is not None]
    return max(found) if found else None


def days_passed_since(since: dt.datetime, field: str, today: dt.date | None = None) -> Q:
    """Rows whose ``field`` (a date) ended between ``since`` and now: something that changes
    by the date alone (a referral or a commitment becoming overdue at midnight after its due
    day) changed then."""
    today = today or timezone.localdate()
    day = timezone.localdate(since)
    at_midnight = since == timezone.make_aware(dt.datetime.combine(day, dt.time()))
    first = day - dt.timedelta(days=1) if at_midnight else day
    return Q(**{f"{field}__gte": first, f"{field}__lt": today})
