"""Setting up the meeting, the agenda, the information packs, remote posting and the minutes."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from nhs_citizen.assembly.models import CycleDecision, JuryChoice, Stage
from nhs_citizen.core.models import AuditEntry
from nhs_citizen.meetings.models import AgendaItem, PackDocument
from nhs_citizen.meetings.services import meetings as services
from nhs_citizen.meetings.tests.factories import (
    enter_flag,
    jury_chooses,
    make_cycle,
    make_flag,
    make_meeting,
    make_panel,
    meeting_with_agenda,
    secretariat_user,
)
from nhs_citizen.panels.models import PanelPurpose

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _details(meeting=None, **changes):
    start = timezone.now() + datetime.timedelta(days=5)
    values = {
        "starts_at": meeting.starts_at if meeting else start,
        "ends_at": meeting.ends_at if meeting else start + datetime.timedelta(hours=6),
        "place": meeting.place if meeting else "Leeds Town Hall",
        "webcast_url": meeting.webcast_url if meeting else "",
        "members_panel": meeting.members_panel if meeting else None,
    }
    values.update(changes)
    return services.MeetingDetails(**values)


# Setting up ----------------------------------------------------------------------------------
def test_setting_up_the_meeting_is_a_public_decision_of_the_cycle():
    secretariat = secretariat_user()
    cycle = make_cycle(by=secretariat)
    panel = make_panel(PanelPurpose.ASSEMBLY)
    meeting = services.check_set_up_meeting(
        secretariat=secretariat, cycle=cycle, details=_details(members_panel=panel)
    )
    assert meeting.members_panel == panel
    decision = CycleDecision.objects.get(cycle=cycle)
    assert decision.kind == "meeting_set_up"
    assert decision.decided_by == secretariat
    assert decision.decided_by_role == "The secretariat"
    assert "Leeds Town Hall" in decision.summary
    entry = AuditEntry.objects.get(action="meetings.meeting_set_up")
    assert entry.is_public and entry.target_id == str(meeting.pk)


def test_a_meeting_must_end_after_it_starts_and_have_a_place():
    secretariat = secretariat_user()
    cycle = make_cycle(by=secretariat)
    start = timezone.now()
    with pytest.raises(ValidationError) as error:
        services.check_set_up_meeting(
            secretariat=secretariat, cycle=cycle, details=_details(starts_at=start, ends_at=start)
        )
    assert "end after it starts" in str(error.value)
    with pytest.raises(ValidationError, match="Enter where the meeting is"):
        services.check_set_up_meeting(
            secretariat=secretariat, cycle=cycle, details=_details(place="   ")
        )


def test_the_members_must_be_a_panel_drawn_for_assembly_membership_and_for_one_meeting_only():
    secretariat = secretariat_user()
    cycle = make_cycle(by=secretariat)
    jury = make_panel(PanelPurpose.JURY, size=15)
    with pytest.raises(ValidationError, match="Assembly Meeting membership"):
        services.check_set_up_meeting(
            secretariat=secretariat, cycle=cycle, details=_details(members_panel=jury)
        )
    panel = make_panel(PanelPurpose.ASSEMBLY)
    make_meeting(cycle, secretariat, panel=panel)
    other = make_cycle(name="Autumn 2027", slug="autumn-2027", by=secretariat)
    with pytest.raises(ValidationError, match="another meeting"):
        services.check_set_up_meeting(
            secretariat=secretariat, cycle=other, details=_details(members_panel=panel)
        )


def test_changing_the_time_or_place_is_a_decision_but_the_webcast_link_is_not():
    secretariat = secretariat_user()
    cycle = make_cycle(by=secretariat)
    meeting = make_meeting(cycle, secretariat)
    services.check_set_up_meeting(
        secretariat=secretariat,
        cycle=cycle,
        details=_details(meeting, webcast_url="https://example.org/live"),
    )
    assert list(CycleDecision.objects.values_list("kind", flat=True)) == ["meeting_set_up"]
    meeting.refresh_from_db()
    services.check_set_up_meeting(
        secretariat=secretariat, cycle=cycle, details=_details(meeting, place="Bradford")
    )
    assert CycleDecision.objects.filter(kind="meeting_changed").count() == 1
    meeting.refresh_from_db()
    assert meeting.place == "Bradford" and meeting.webcast_url == "https://example.org/live"
    assert AuditEntry.objects.filter(action="meetings.meeting_changed").count() == 2
    # Saving again with nothing changed records nothing.
    services.check_set_up_meeting(secretariat=secretariat, cycle=cycle, details=_details(meeting))
    assert AuditEntry.objects.filter(action="meetings.meeting_changed").count() == 2


# The agenda ----------------------------------------------------------------------------------
def test_the_agenda_is_one_item_per_flag_the_jury_chose_in_the_jury_order():
    secretariat = secretariat_user()
    cycle = make_cycle(by=secretariat)
    jury_chooses(cycle, ["First", "Second", "Third"], rejected=["Rejected"], by=secretariat)
    meeting = make_meeting(cycle, secretariat)
    items = services.check_set_agenda(secretariat=secretariat, meeting=meeting)
    assert [i.title for i in meeting.items.all()] == ["First", "Second", "Third"]
    assert [i.position for i in items] == [1, 2, 3]
    decision = CycleDecision.objects.get(kind="agenda_set")
    assert "3 flags the citizens' jury chose" in decision.summary
    assert AuditEntry.objects.get(action="meetings.agenda_set").is_public


def test_setting_the_agenda_again_adds_only_flags_the_jury_chose_since():
    meeting, items, secretariat = meeting_with_agenda(("One", "Two"))
    with pytest.raises(ValidationError, match="already on the agenda"):
        services.check_set_agenda(secretariat=secretariat, meeting=meeting)
    entry = enter_flag(meeting.cycle, make_flag("Late choice"))
    JuryChoice.objects.create(entry=entry, chosen=True, reasons="Late", recorded_by=secretariat)
    added = services.check_set_agenda(secretariat=secretariat, meeting=meeting)
    assert [(i.title, i.position) for i in added] == [("Late choice", 3)]
    assert AgendaItem.objects.filter(meeting=meeting).count() == 3
    assert CycleDecision.objects.filter(kind="agenda_changed").count() == 1


def test_the_agenda_waits_for_the_jury():
    secretariat = secretariat_user()
    cycle = make_cycle(stage=Stage.VOTE_CLOSED, by=secretariat)
    meeting = make_meeting(cycle, secretariat)
    with pytest.raises(ValidationError, match="jury has not chosen"):
        services.check_set_agenda(secretariat=secretariat, meeting=meeting)
    cycle.stage = Stage.JURY
    cycle.save()
    with pytest.raises(ValidationError, match="not been recorded"):
        services.check_set_agenda(secretariat=secretariat, meeting=meeting)


def test_the_secretariat_edits_and_reorders_items():
    meeting, items, secretariat = meeting_with_agenda(("One", "Two", "Three"))
    services.check_edit_agenda_item(
        secretariat=secretariat, item=items[0], title="  Better   title ", briefing="Read this."
    )
    items[0].refresh_from_db()
    assert (items[0].title, items[0].briefing) == ("Better title", "Read this.")
    with pytest.raises(ValidationError, match="Enter the item's title"):
        services.check_edit_agenda_item(
            secretariat=secretariat, item=items[0], title="", briefing=""
        )
    assert services.do_move_agenda_item(secretariat=secretariat, item=items[2], direction="up")
    assert [i.title for i in meeting.items.all()] == ["Better title", "Three", "Two"]
    assert not services.do_move_agenda_item(secretariat=secretariat, item=items[0], direction="up")
    last = meeting.items.last()
    assert not services.do_move_agenda_item(secretariat=secretariat, item=last, direction="down")
    assert AuditEntry.objects.filter(action="meetings.agenda_item_moved").count() == 1


# Information packs ---------------------------------------------------------------------------
def test_a_pack_document_is_a_link_or_a_checked_file(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    meeting, items, secretariat = meeting_with_agenda(("One",))
    item = items[0]
    link = services.check_add_pack_document(
        secretariat=secretariat, item=item, title="NHS report", url="https://example.org/r"
    )
    assert link.url and not link.file
    pdf = services.check_add_pack_document(
        secretariat=secretariat,
        item=item,
        title="Briefing",
        upload=SimpleUploadedFile("briefing.exe", PDF),
    )
    assert pdf.file_type == "application/pdf" and pdf.file.name.endswith(".pdf")
    assert "briefing" not in pdf.file.name  # stored under a random name, not the one given
    with pytest.raises(ValidationError, match="must be a PDF, PNG"):
        services.check_add_pack_document(
            secretariat=secretariat,
            item=item,
            title="Script",
            upload=SimpleUploadedFile("x.pdf", b"<script>alert(1)</script>"),
        )
    with pytest.raises(ValidationError, match="not both"):
        services.check_add_pack_document(
            secretariat=secretariat,
            item=item,
            title="Both",
            url="https://example.org",
            upload=SimpleUploadedFile("b.pdf", PDF),
        )
    with pytest.raises(ValidationError, match="web address or choose a file"):
        services.check_add_pack_document(secretariat=secretariat, item=item, title="Neither")
    assert AuditEntry.objects.filter(action="meetings.pack_document_added").count() == 2
    services.do_remove_pack_document(secretariat=secretariat, document=link)
    assert list(PackDocument.objects.all()) == [pdf]
    assert AuditEntry.objects.filter(action="meetings.pack_document_removed").exists()


# Remote posting ------------------------------------------------------------------------------
def test_remote_posting_opens_only_once_there_is_an_agenda():
    secretariat = secretariat_user()
    meeting = make_meeting(make_cycle(by=secretariat), secretariat)
    with pytest.raises(ValidationError, match="Set the agenda"):
        services.do_set_remote_posting(secretariat=secretariat, meeting=meeting, open=True)


def test_the_secretariat_opens_and_closes_remote_posting():
    meeting, items, secretariat = meeting_with_agenda(("One",))
    assert services.do_set_remote_posting(secretariat=secretariat, meeting=meeting, open=True)
    assert not services.do_set_remote_posting(secretariat=secretariat, meeting=meeting, open=True)
    meeting.refresh_from_db()
    assert meeting.remote_posting_open
    assert services.do_set_remote_posting(secretariat=secretariat, meeting=meeting, open=False)
    actions = list(
        AuditEntry.objects.filter(action__startswith="meetings.remote_posting")
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert actions == ["meetings.remote_posting_opened", "meetings.remote_posting_closed"]


# Minutes -------------------------------------------------------------------------------------
def test_draft_minutes_stay_private_and_publishing_them_closes_remote_posting():
    meeting, items, secretariat = meeting_with_agenda(("One",))
    services.do_set_remote_posting(secretariat=secretariat, meeting=meeting, open=True)
    meeting.refresh_from_db()
    services.check_save_minutes(secretariat=secretariat, meeting=meeting, minutes="Draft")
    meeting.refresh_from_db()
    assert meeting.minutes == "Draft" and meeting.minutes_published_at is None
    assert not AuditEntry.objects.get(action="meetings.minutes_draft_saved").is_public
    with pytest.raises(ValidationError, match="Enter the minutes"):
        services.check_save_minutes(
            secretariat=secretariat, meeting=meeting, minutes=" ", publish=True
        )
    # The minutes can be published once the meeting has ended (the Assembly timetable).
    with time_machine.travel(meeting.ends_at, tick=False):
        services.check_save_minutes(
            secretariat=secretariat, meeting=meeting, minutes="**Final**", publish=True
        )
    meeting.refresh_from_db()
    assert meeting.minutes_published_at is not None
    assert not meeting.remote_posting_open
    assert CycleDecision.objects.filter(kind="minutes_published").exists()
    with pytest.raises(ValidationError, match="threads stay closed"):
        services.do_set_remote_posting(secretariat=secretariat, meeting=meeting, open=True)


def test_correcting_published_minutes_needs_a_public_reason():
    meeting, items, secretariat = meeting_with_agenda(("One",))
    with time_machine.travel(meeting.ends_at, tick=False):
        services.check_save_minutes(
            secretariat=secretariat, meeting=meeting, minutes="Final", publish=True
        )
    meeting.refresh_from_db()
    with pytest.raises(ValidationError, match="what you changed"):
        services.check_save_minutes(secretariat=secretariat, meeting=meeting, minutes="Fixed")
    services.check_save_minutes(
        secretariat=secretariat, meeting=meeting, minutes="Fixed", reason="A typo in item 2"
    )
    entry = AuditEntry.objects.get(action="meetings.minutes_corrected")
    assert entry.is_public and entry.reason == "A typo in item 2"
    assert CycleDecision.objects.filter(kind="minutes_published").count() == 1
