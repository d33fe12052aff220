"""The meeting's public page and the secretariat's pages for the meeting, agenda, remote
posting and minutes."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from nhs_citizen.assembly.models import CycleDecision
from nhs_citizen.meetings.models import Meeting
from nhs_citizen.meetings.services import meetings as services
from nhs_citizen.meetings.tests.factories import (
    citizen_user,
    jury_chooses,
    make_cycle,
    make_meeting,
    make_panel,
    meeting_with_agenda,
    secretariat_user,
)
from nhs_citizen.panels.models import MemberStatus, PanelMember, PanelStatus, PoolMember

pytestmark = pytest.mark.django_db


def test_the_addresses_belong_to_this_app_beside_the_assembly_app():
    assert resolve("/assembly/panels-commissioned/").view_name == "meetings:commission_list"
    assert resolve("/assembly/spring-2027/meeting/").view_name == "meetings:meeting_detail"
    assert reverse("meetings:item_detail", args=["spring-2027", 3]) == (
        "/assembly/spring-2027/meeting/items/3/"
    )


def test_a_cycle_without_a_meeting_says_so_and_offers_the_secretariat_to_set_it_up(
    client, signed_in
):
    cycle = make_cycle()
    url = reverse("meetings:meeting_detail", args=[cycle.slug])
    content = client.get(url).content.decode()
    assert "has not been arranged yet" in content
    assert "Set up the meeting" not in content
    signed_in(secretariat_user())
    assert "Set up the meeting" in client.get(url).content.decode()


def test_an_unknown_cycle_is_not_found(client):
    assert client.get(reverse("meetings:meeting_detail", args=["nope"])).status_code == 404


def test_the_meeting_page_shows_when_where_the_webcast_members_and_agenda_never_names(client):
    secretariat = secretariat_user()
    cycle = make_cycle(by=secretariat)
    panel = make_panel(status=PanelStatus.SEED_REVEALED, size=200)
    jury_chooses(cycle, ["Shorter waits for GP appointments"], by=secretariat)
    members = []
    for index, status in enumerate([MemberStatus.CONFIRMED] * 3 + [MemberStatus.INVITED]):
        person = PoolMember.objects.create(
            pool=panel.pool,
            external_id=f"volunteer-ref-{index}",
            features={},
            household_hash=f"h{index}",
        )
        members.append(PanelMember.objects.create(panel=panel, pool_member=person, status=status))
    meeting = make_meeting(cycle, secretariat, panel=panel)
    services.check_set_agenda(secretariat=secretariat, meeting=meeting)
    response = client.get(meeting.get_absolute_url())
    content = response.content.decode()
    assert "Leeds Town Hall" in content
    assert "https://www.youtube.com/watch?v=example" in content
    assert "3 members have confirmed, of 200 places" in content
    assert reverse("panels:panel_detail", args=[panel.pk]) in content
    assert "Imported person" not in content and "volunteer-ref-0" not in content
    assert "Shorter waits for GP appointments" in content
    assert "Posting is closed at the moment" in content
    assert "The minutes will be published here" in content
    assert "For the secretariat" not in content


def test_the_secretariat_sets_up_the_meeting_through_the_page(client, signed_in):
    secretariat = secretariat_user()
    cycle = make_cycle(by=secretariat)
    panel = make_panel(title="Spring Assembly members")
    signed_in(secretariat)
    url = reverse("meetings:set_up_meeting", args=[cycle.slug])
    page = client.get(url).content.decode()
    assert "Spring Assembly members" in page
    assert reverse("panels:create_panel") in page
    response = client.post(url, {"start_date": "", "start_time": "ten", "end_time": "9am"})
    content = response.content.decode()
    assert "Enter the date of the meeting" in content
    assert "Enter the start time like 10am" in content
    assert "Enter where the meeting is" in content
    response = client.post(
        url,
        {
            "start_date": "15 5 2027",
            "start_time": "4pm",
            "end_time": "10am",
            "place": "Leeds Town Hall",
        },
    )
    assert "The meeting must end after it starts" in response.content.decode()
    response = client.post(
        url,
        {
            "start_date": "15 May 2027",
            "start_time": "10am",
            "end_time": "16:30",
            "place": "Leeds Town Hall",
            "webcast_url": "https://example.org/live",
            "members_panel": panel.pk,
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(cycle=cycle)
    assert meeting.members_panel == panel
    assert meeting.starts_at.isoformat() == "2027-05-15T09:00:00+00:00"  # 10am in summer time
    content = client.get(response["Location"]).content.decode()
    assert "Saturday 15 May 2027 from 10am to 4:30pm" in content
    # The form shows what is saved, and a two-day meeting keeps its end date.
    page = client.get(url).content.decode()
    assert 'value="15 5 2027"' in page and 'value="16:30"' in page
    client.post(
        url,
        {
            "start_date": "15 5 2027",
            "start_time": "10am",
            "end_date": "16 5 2027",
            "end_time": "1pm",
            "place": "Leeds Town Hall",
        },
    )
    meeting.refresh_from_db()
    assert meeting.ends_at.isoformat() == "2027-05-16T12:00:00+00:00"
    assert meeting.members_panel is None
    assert CycleDecision.objects.filter(kind="meeting_changed").count() == 1


def test_the_secretariat_sets_the_agenda_and_changes_its_order(client, signed_in):
    secretariat = secretariat_user()
    cycle = make_cycle(by=secretariat)
    jury_chooses(cycle, ["First", "Second"], rejected=["Rejected"], by=secretariat)
    meeting = make_meeting(cycle, secretariat)
    signed_in(secretariat)
    url = reverse("meetings:manage_agenda", args=[cycle.slug])
    page = client.get(url).content.decode()
    assert "First" in page and "Rejected" not in page
    assert "Put the jury" in page
    response = client.post(url, follow=True)
    assert "2 items have been added to the agenda." in response.content.decode()
    items = list(meeting.items.all())
    client.post(reverse("meetings:move_item", args=[cycle.slug, items[1].pk]), {"direction": "up"})
    assert [i.title for i in meeting.items.all()] == ["Second", "First"]
    public = client.get(meeting.get_absolute_url()).content.decode()
    assert public.index("Second") < public.index("First")
    response = client.post(url, follow=True)
    assert "Every flag the jury chose is already on the agenda." in response.content.decode()


def test_the_secretariat_opens_and_closes_remote_posting_from_the_meeting_page(client, signed_in):
    meeting, items, secretariat = meeting_with_agenda(("One",))
    signed_in(secretariat)
    url = reverse("meetings:remote_posting", args=[meeting.cycle.slug])
    assert client.get(url).status_code == 405
    response = client.post(url, {"open": "yes"}, follow=True)
    assert "Remote posting is open." in response.content.decode()
    assert "Posting is open." in response.content.decode()
    response = client.post(url, {"open": "no"}, follow=True)
    assert "Remote posting is closed." in response.content.decode()


def test_the_secretariat_saves_draft_minutes_then_publishes_them_safely(client, signed_in):
    meeting, items, secretariat = meeting_with_agenda(("One",))
    signed_in(secretariat)
    url = reverse("meetings:write_minutes", args=[meeting.cycle.slug])
    client.post(url, {"minutes": "**Draft** <script>alert(1)</script>", "action": "save"})
    public = client.get(meeting.get_absolute_url()).content.decode()
    assert "Draft" not in public
    response = client.post(url, {"minutes": "", "action": "publish"})
    assert "Enter the minutes" in response.content.decode()
    # The minutes can be published once the meeting has ended (the Assembly timetable).
    with time_machine.travel(meeting.ends_at, tick=False):
        client.post(url, {"minutes": "**Agreed** <script>alert(1)</script>", "action": "publish"})
    public = client.get(meeting.get_absolute_url()).content.decode()
    assert "<strong>Agreed</strong>" in public
    assert "<script>alert(1)" not in public
    page = client.get(url).content.decode()
    assert "What did you change, and why?" in page
    response = client.post(url, {"minutes": "Corrected", "action": "save"})
    assert "Enter what you changed" in response.content.decode()


@pytest.mark.parametrize(
    "name",
    ["meetings:set_up_meeting", "meetings:manage_agenda", "meetings:write_minutes"],
)
def test_secretariat_pages_are_for_the_secretariat_only(client, signed_in, name):
    meeting, items, secretariat = meeting_with_agenda(("One",))
    url = reverse(name, args=[meeting.cycle.slug])
    signed_in(citizen_user())
    assert client.get(url).status_code == 403
    signed_in(secretariat)
    assert client.get(url).status_code == 200


def test_the_meeting_page_makes_the_same_number_of_queries_however_long_the_agenda(client):
    small, _, _ = meeting_with_agenda(("One",))
    secretariat = secretariat_user()
    cycle = make_cycle(name="Autumn 2027", slug="autumn-2027", by=secretariat)
    jury_chooses(cycle, [f"Flag {n}" for n in range(6)], by=secretariat)
    big = make_meeting(cycle, secretariat)
    services.check_set_agenda(secretariat=secretariat, meeting=big)
    with CaptureQueriesContext(connection) as few:
        client.get(small.get_absolute_url())
    with CaptureQueriesContext(connection) as many:
        client.get(big.get_absolute_url())
    assert len(many) == len(few)
