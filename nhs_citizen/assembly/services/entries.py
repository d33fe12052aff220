"""Which shortlisted flags go into which cycle.

A flag goes into the first cycle whose cut-off comes at or after the moment it was shortlisted
(the latest "shortlist" decision of the review panel). A flag shortlisted after a cycle's cut-off
rolls over: it waits, and goes into the next cycle at that cycle's cut-off."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from nhs_citizen.assembly.models import Cycle, CycleEntry
from nhs_citizen.gather.models import Decision, Flag, FlagStatus, ReviewDecision


def waiting_flags() -> QuerySet[Flag]:
    """Shortlisted flags not yet in any cycle, each with its `shortlisted_at`."""
    latest_shortlisting = (
        ReviewDecision.objects.filter(flag=OuterRef("pk"), decision=Decision.SHORTLIST)
        .order_by("-created_at", "-pk")
        .values("created_at")[:1]
    )
    return (
        Flag.objects.filter(status=FlagStatus.SHORTLISTED, cycle_entry__isnull=True)
        .annotate(shortlisted_at=Subquery(latest_shortlisting))
        .filter(shortlisted_at__isnull=False)
        .order_by("shortlisted_at", "pk")
    )


def previous_cycle(cycle: Cycle) -> Cycle | None:
    return Cycle.objects.filter(flag_cutoff__lt=cycle.flag_cutoff).order_by("-flag_cutoff").first()


def next_cycle(cycle: Cycle) -> Cycle | None:
    return Cycle.objects.filter(flag_cutoff__gt=cycle.flag_cutoff).order_by("flag_cutoff").first()


def flags_due_to_enter(cycle: Cycle) -> QuerySet[Flag]:
    """Before the cut-off: the flags shortlisted so far that will go into this cycle."""
    flags = waiting_flags().filter(shortlisted_at__lte=cycle.flag_cutoff)
    previous = previous_cycle(cycle)
    if previous is not None and not previous.has_reached("cut_off"):
        flags = flags.filter(shortlisted_at__gt=previous.flag_cutoff)
    return flags.select_related("topic")


def flags_after_cutoff(cycle: Cycle) -> tuple[list[Flag], list[CycleEntry]]:
    """Flags shortlisted after this cycle's cut-off: those still waiting for the next cycle, and
    those that have already gone into it."""
    following = next_cycle(cycle)
    waiting = waiting_flags().filter(shortlisted_at__gt=cycle.flag_cutoff)
    if following is not None:
        waiting = waiting.filter(shortlisted_at__lte=following.flag_cutoff)
    moved = (
        CycleEntry.objects.filter(rolled_over_from=cycle)
        .select_related("flag", "cycle")
        .order_by("shortlisted_at", "pk")
    )
    return list(waiting.select_related("topic")), list(moved)
