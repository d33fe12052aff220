"""Who the open data and the API say raised a flag: the same words as the flag page. A flag a
helper recorded says "Recorded by Healthwatch Leeds for a local resident"; one the secretariat
typed in from paper says "Sent in on paper by a member of the public"; never the helper's or
the staff member's name (ADR 0035)."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from nhs_citizen.assisted.models import OnBehalfRecord, RecordKind
from nhs_citizen.assisted.rules import SECRETARIAT_ORGANISATION

SENT_ON_PAPER = "Sent in on paper by a member of the public"


def public_line(organisation_name: str) -> str:
    return f"Recorded by {organisation_name} for a local resident"


def with_public_raiser(flags: QuerySet) -> QuerySet:
    """Flags with the organisation that recorded each on someone's behalf, if any: one
    subquery in the same query, so a list costs the same number of queries at any size."""
    record = OnBehalfRecord.objects.filter(flag=OuterRef("pk"), kind=RecordKind.FLAG).order_by("pk")
    return flags.annotate(
        on_behalf_name=Subquery(record.values("organisation__name")[:1]),
        on_behalf_slug=Subquery(record.values("organisation__slug")[:1]),
    )


def public_raiser(flag) -> str:
    """For a flag read through ``with_public_raiser``."""
    slug = getattr(flag, "on_behalf_slug", None)
    if slug == SECRETARIAT_ORGANISATION:
        return SENT_ON_PAPER
    if slug:
        return public_line(flag.on_behalf_name)
    return flag.raised_by.public_name
