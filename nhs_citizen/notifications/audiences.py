"""Audiences for the fan-out (ADR 0031) that are about people's places and the Assembly rather
than one app's rows: a new call for views in someone's area, and Assembly dates set or changed.
Each returns ``[(kind, Q on users)]``; the ``notify_*`` helpers queue one job on commit.

Both leave out people who turned the kind off: at national scale a message nobody will read
would still be a row per person."""

from __future__ import annotations

from django.db.models import Q

from nhs_citizen.notifications.kinds import Delivery, Kind

CALL_AREA_AUDIENCE = "nhs_citizen.notifications.audiences.call_area_audience"
ASSEMBLY_AUDIENCE = "nhs_citizen.notifications.audiences.assembly_audience"


def not_off(kind: str) -> Q:
    from nhs_citizen.notifications.models import Preference

    return ~Q(pk__in=Preference.objects.filter(kind=kind, delivery=Delivery.OFF).values("user_id"))


def area_q(scope: str, region_id: int | None, icb_id: int | None) -> Q:
    """People whose area (their ICB, or only their region) is in a place of Gather's kind:
    all of England, a region, an ICB, or a town in an ICB."""
    if scope == "national":
        return Q()
    if scope in ("icb", "local") and icb_id:
        return Q(icb_id=icb_id)
    if region_id:
        return Q(region_id=region_id) | Q(icb__region_id=region_id)
    return Q(pk__in=[])  # a place we cannot match to anyone's area


def call_area_audience(
    call_id: int, scope: str, region_id: int | None, icb_id: int | None, opened_by_id: int
) -> list[tuple[str, Q]]:
    """Everyone in the call's area but whoever opened it."""
    who = area_q(scope, region_id, icb_id) & not_off(Kind.CALLS_FOR_VIEWS) & ~Q(pk=opened_by_id)
    return [(Kind.CALLS_FOR_VIEWS, who)]


def assembly_audience(cycle_id: int, change: str = "") -> list[tuple[str, Q]]:
    """People taking part in a cycle (raised, support or follow a flag in it, or voted), and
    everyone who chose to hear about Assembly dates (set it to anything but never)."""
    from nhs_citizen.assembly.models import Ballot, CycleEntry
    from nhs_citizen.gather.models import Follow, Support
    from nhs_citizen.notifications.models import Preference

    flags = CycleEntry.objects.filter(cycle_id=cycle_id).values("flag_id")
    taking_part = (
        Q(pk__in=CycleEntry.objects.filter(cycle_id=cycle_id).values("flag__raised_by_id"))
        | Q(pk__in=Support.objects.filter(flag_id__in=flags).values("user_id"))
        | Q(pk__in=Follow.objects.filter(flag_id__in=flags).values("user_id"))
        | Q(pk__in=Ballot.objects.filter(cycle_id=cycle_id).values("voter_id"))
    )
    chose = Q(
        pk__in=Preference.objects.filter(kind=Kind.ASSEMBLY)
        .exclude(delivery=Delivery.OFF)
        .values("user_id")
    )
    return [(Kind.ASSEMBLY, (taking_part | chose) & not_off(Kind.ASSEMBLY))]


def notify_call_opened(call) -> None:
    """Tell people in the call's area that it is open (once the call is saved)."""
    from django.urls import reverse

    from nhs_citizen.core.dates import when_words
    from nhs_citizen.notifications.services import notify_audience

    notify_audience(
        CALL_AREA_AUDIENCE,
        subject=f"{call.organisation.name} wants your views",
        body=(
            f"{call.organisation.name} has opened a call for views in your area: "
            f"“{call.title}”. You can answer until {when_words(call.closes_on, show='date')}."
        ),
        link=reverse("gather:call_detail", args=[call.pk]),
        call_id=call.pk,
        scope=call.scope,
        region_id=call.region_id,
        icb_id=call.icb_id,
        opened_by_id=call.opened_by_id,
    )


def notify_assembly_dates(cycle, what: str) -> None:
    """Tell people taking part that a cycle's dates, or its meeting's, were set or changed.
    ``what`` is the change in a sentence, as on the cycle's page."""
    from nhs_citizen.notifications.services import notify_audience

    notify_audience(
        ASSEMBLY_AUDIENCE,
        subject=f"Dates for the Citizens' Assembly: {cycle.name}",
        body=f"{what.rstrip('.')}. See every date on the cycle's page.",
        link=cycle.get_absolute_url(),
        cycle_id=cycle.pk,
        change=what,
    )
