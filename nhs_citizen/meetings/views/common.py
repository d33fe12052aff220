"""Loading what a meeting page is about, scoped to the cycle in its address."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from nhs_citizen.assembly.models import Cycle
from nhs_citizen.meetings.models import AgendaItem, Meeting


def get_cycle(slug: str) -> Cycle:
    return get_object_or_404(Cycle, slug=slug)


def get_meeting(slug: str) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related("cycle", "members_panel"), cycle__slug=slug
    )


def get_item(slug: str, pk: int) -> AgendaItem:
    return get_object_or_404(
        AgendaItem.objects.select_related(
            "meeting__cycle", "entry__flag__topic", "entry__jury_choice"
        ),
        pk=pk,
        meeting__cycle__slug=slug,
    )
