"""Two kinds of message that were never sent (issue 15): a call for views opening in your area,
and Assembly dates set or changed. Through the same fan-out, preferences and summaries as the
rest (ADR 0031)."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from nhs_citizen.assembly.models import CycleEntry
from nhs_citizen.assembly.services import cycles
from nhs_citizen.assembly.tests.factories import cycle_dates, secretariat
from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import Icb, Organisation
from nhs_citizen.gather.models import Scope, Support
from nhs_citizen.gather.services import calls
from nhs_citizen.gather.services.flags import Place
from nhs_citizen.gather.tests.factories import next_email, raise_flag, responder_for
from nhs_citizen.notifications import services
from nhs_citizen.notifications.kinds import Delivery, Kind
from nhs_citizen.notifications.models import Notification

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _person(name: str, *, icb=None, region=None, **choices):
    user = make_user(next_email(name.lower()), display_name=name)
    user.icb, user.region = icb, region or (icb.region if icb else None)
    user.save(update_fields=["icb", "region"])
    if choices:
        services.do_set_preferences(user=user, choices=choices)
    return user


def _open_call(place: Place, responder=None):
    organisation = Organisation.objects.get(slug="nhs-england")
    return calls.check_open_call(
        responder=responder or responder_for(organisation),
        organisation=organisation,
        title="Evening GP appointments",
        background="We are thinking about opening GP surgeries in the evening.",
        place=place,
        closes_on=timezone.localdate() + 20 * DAY,
        questions=[("What would help?", "free_text", [])],
    )


def _told(kind: str) -> dict[int, str]:
    return dict(Notification.objects.filter(kind=kind).values_list("user_id", "delivery"))


def test_a_call_for_views_in_your_area_is_sent_as_you_chose(django_capture_on_commit_callbacks):
    here, there = Icb.objects.order_by("pk")[:2]
    straight_away = _person("Near", icb=here)
    daily = _person("Daily", icb=here, **{Kind.CALLS_FOR_VIEWS: Delivery.DAILY})
    off = _person("Off", icb=here, **{Kind.CALLS_FOR_VIEWS: Delivery.OFF})
    elsewhere = _person("Far", icb=there)
    region_only = _person("Region", region=here.region)
    responder = responder_for(Organisation.objects.get(slug="nhs-england"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call = _open_call(Place(Scope.ICB, icb=here), responder)
    told = _told(Kind.CALLS_FOR_VIEWS)
    assert told == {straight_away.pk: Delivery.IMMEDIATELY, daily.pk: Delivery.DAILY}
    assert off.pk not in told and elsewhere.pk not in told and region_only.pk not in told
    assert call.opened_by_id not in told
    assert [m.to for m in mail.outbox] == [[straight_away.email]]
    message = mail.outbox[0]
    assert "wants your views" in message.subject
    assert "Evening GP appointments" in message.body
    assert "List-Unsubscribe" in message.extra_headers

    # The daily one comes in the day's summary, once.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.do_send_digests("daily")
    assert [m.to for m in mail.outbox] == [[daily.email]]
    assert "Evening GP appointments" in mail.outbox[0].body


def test_a_regional_call_reaches_the_region_and_a_national_one_everyone(
    django_capture_on_commit_callbacks,
):
    here, there = Icb.objects.order_by("pk")[:2]
    other_region = Icb.objects.exclude(region=here.region).first()
    in_icb = _person("Icb", icb=here)
    in_region = _person("Reg", region=here.region)
    outside = _person("Out", icb=other_region)
    with django_capture_on_commit_callbacks(execute=True):
        regional = _open_call(Place(Scope.REGION, region=here.region))
    told = set(
        Notification.objects.filter(broadcast__params__call_id=regional.pk).values_list(
            "user_id", flat=True
        )
    )
    assert {in_icb.pk, in_region.pk} <= told
    assert outside.pk not in told
    with django_capture_on_commit_callbacks(execute=True):
        national = _open_call(Place(Scope.NATIONAL))
    told = set(
        Notification.objects.filter(broadcast__params__call_id=national.pk).values_list(
            "user_id", flat=True
        )
    )
    assert {in_icb.pk, in_region.pk, outside.pk} <= told


def test_assembly_dates_reach_people_taking_part_and_those_who_asked(
    django_capture_on_commit_callbacks,
):
    staff = secretariat()
    cycle = cycles.check_create_cycle(
        created_by=staff, name="Autumn 2027", **cycle_dates(timezone.now() + 10 * DAY)
    )
    flag = raise_flag(title="Buses to the hospital")
    supporter = _person("Backer")
    Support.objects.create(flag=flag, user=supporter)
    CycleEntry.objects.create(cycle=cycle, flag=flag, shortlisted_at=timezone.now())
    weekly = _person("Weekly", **{Kind.ASSEMBLY: Delivery.WEEKLY})
    off = _person("Off", **{Kind.ASSEMBLY: Delivery.OFF})
    Support.objects.create(flag=flag, user=off)
    bystander = _person("Bystander")
    Notification.objects.all().delete()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cycles.check_update_cycle(
            cycle=cycle,
            changed_by=staff,
            reasons="The venue is free a week later",
            meeting_date=cycle.meeting_date + 7 * DAY,
        )
    told = _told(Kind.ASSEMBLY)
    assert told == {
        flag.raised_by_id: Delivery.IMMEDIATELY,
        supporter.pk: Delivery.IMMEDIATELY,
        weekly.pk: Delivery.WEEKLY,
    }
    assert bystander.pk not in told and off.pk not in told
    body = Notification.objects.filter(user=supporter).get().body
    assert "moved the Assembly Meeting to" in body
    assert sorted(m.to[0] for m in mail.outbox) == sorted([flag.raised_by.email, supporter.email])

    # A change that is not a date (the name) tells nobody.
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        cycles.check_update_cycle(
            cycle=cycle, changed_by=staff, reasons="A clearer name", name="Autumn 2027 Assembly"
        )
    assert not Notification.objects.exists()


def test_setting_up_or_moving_the_meeting_tells_people(django_capture_on_commit_callbacks):
    from nhs_citizen.meetings.services.meetings import MeetingDetails, check_set_up_meeting

    staff = secretariat()
    cycle = cycles.check_create_cycle(
        created_by=staff, name="Winter 2027", **cycle_dates(timezone.now() + 10 * DAY)
    )
    weekly = _person("Weekly", **{Kind.ASSEMBLY: Delivery.WEEKLY})
    starts = timezone.make_aware(datetime.datetime.combine(cycle.meeting_date, datetime.time(10)))
    details = MeetingDetails(
        starts_at=starts, ends_at=starts + datetime.timedelta(hours=6), place="The ICC, Birmingham"
    )
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        check_set_up_meeting(secretariat=staff, cycle=cycle, details=details)
    assert "The ICC, Birmingham" in Notification.objects.get(user=weekly).body
    moved = MeetingDetails(
        starts_at=starts, ends_at=starts + datetime.timedelta(hours=6), place="Leeds Town Hall"
    )
    with django_capture_on_commit_callbacks(execute=True):
        check_set_up_meeting(secretariat=staff, cycle=cycle, details=moved)
    assert Notification.objects.filter(user=weekly, body__contains="Leeds Town Hall").exists()
