"""Setting up an Assembly Meeting: when and where, its members, the agenda from the jury's
choices, the information packs, remote posting and the minutes.

Remote posting is opened and closed by the secretariat, and only by the secretariat: the
meeting's times are a plan, and real meetings start late and run over. Opening threads by the
clock would either cut people off in the middle of an item or open them when no moderator is on
duty. So the switch is explicit, it may be turned on outside the planned times (for example to
let people try it before the start), the meeting page always says whether it is open, and
publishing the minutes closes it, because the record of the meeting is then final.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from nhs_citizen.assembly import timetable
from nhs_citizen.assembly.models import Cycle, CycleEntry, Stage
from nhs_citizen.core.dates import when_words
from nhs_citizen.core.services.audit import record_audit_entry
from nhs_citizen.gather.services.evidence import check_evidence_file
from nhs_citizen.meetings.models import AgendaItem, Meeting, PackDocument
from nhs_citizen.meetings.services.decisions import SECRETARIAT, record_cycle_decision
from nhs_citizen.notifications.audiences import notify_assembly_dates
from nhs_citizen.panels.models import Panel, PanelPurpose

MAX_PLACE_LENGTH = 200
MAX_TITLE_LENGTH = 150
MAX_BRIEFING_LENGTH = 10000
MAX_MINUTES_LENGTH = 50000


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


# Setting up the meeting ------------------------------------------------------------------------
@dataclass
class MeetingDetails:
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str
    webcast_url: str = ""
    members_panel: Panel | None = None


def _check_details(details: MeetingDetails, meeting: Meeting | None) -> MeetingDetails:
    place = _clean(details.place)
    if not place:
        raise ValidationError({"place": "Enter where the meeting is"})
    if len(place) > MAX_PLACE_LENGTH:
        raise ValidationError({"place": "Where the meeting is must be 200 characters or fewer"})
    if details.ends_at <= details.starts_at:
        raise ValidationError({"end_time": "The meeting must end after it starts"})
    panel = details.members_panel
    if panel is not None:
        if panel.purpose != PanelPurpose.ASSEMBLY:
            raise ValidationError(
                {"members_panel": "Choose a panel drawn for Assembly Meeting membership"}
            )
        others = Meeting.objects.filter(members_panel=panel)
        if meeting is not None:
            others = others.exclude(pk=meeting.pk)
        if others.exists():
            raise ValidationError(
                {"members_panel": "This panel is already the membership of another meeting"}
            )
    return MeetingDetails(
        details.starts_at, details.ends_at, place, (details.webcast_url or "").strip(), panel
    )


def check_set_up_meeting(*, secretariat, cycle: Cycle, details: MeetingDetails) -> Meeting:
    """Arrange the cycle's meeting, or change its arrangements. Both are decisions of the
    cycle, shown on its page."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().filter(cycle=cycle).first()
        details = _check_details(details, meeting)
        if meeting is None:
            meeting = Meeting.objects.create(
                cycle=cycle,
                starts_at=details.starts_at,
                ends_at=details.ends_at,
                place=details.place,
                webcast_url=details.webcast_url,
                members_panel=details.members_panel,
            )
            summary = f"The Assembly Meeting will be on {when_words(meeting.starts_at, weekday=True)} at {meeting.place}"
            record_cycle_decision(
                cycle=cycle,
                kind="meeting_set_up",
                summary=summary,
                decided_by=secretariat,
                decided_by_role=SECRETARIAT,
            )
            notify_assembly_dates(cycle, summary)
            record_audit_entry(
                actor=secretariat,
                action="meetings.meeting_set_up",
                summary=f"Set up the Assembly Meeting of {cycle.name}",
                target=meeting,
                data=_details_data(meeting),
                public=True,
            )
            return meeting
        changes = _describe_changes(meeting, details)
        if not changes:
            return meeting
        meeting.starts_at = details.starts_at
        meeting.ends_at = details.ends_at
        meeting.place = details.place
        meeting.webcast_url = details.webcast_url
        meeting.members_panel = details.members_panel
        meeting.save()
        summary = "Changed the Assembly Meeting's " + ", ".join(changes)
        if "time" in changes or "place" in changes:
            # People plan their day around these: the change is a decision everyone can see.
            record_cycle_decision(
                cycle=cycle,
                kind="meeting_changed",
                summary=f"The Assembly Meeting is now on {when_words(meeting.starts_at, weekday=True)} at {meeting.place}",
                decided_by=secretariat,
                decided_by_role=SECRETARIAT,
            )
            notify_assembly_dates(
                cycle,
                f"The Assembly Meeting is now on {when_words(meeting.starts_at, weekday=True)} at {meeting.place}",
            )
        record_audit_entry(
            actor=secretariat,
            action="meetings.meeting_changed",
            summary=summary,
            target=meeting,
            data=_details_data(meeting),
            public=True,
        )
    return meeting


def _details_data(meeting: Meeting) -> dict:
    return {
        "cycle": meeting.cycle.slug,
        "starts_at": meeting.starts_at.isoformat(),
        "ends_at": meeting.ends_at.isoformat(),
        "place": meeting.place,
        "webcast_url": meeting.webcast_url,
        "members_panel_id": meeting.members_panel_id,
    }


def _describe_changes(meeting: Meeting, details: MeetingDetails) -> list[str]:
    changes = []
    if meeting.starts_at != details.starts_at or meeting.ends_at != details.ends_at:
        changes.append("time")
    if meeting.place != details.place:
        changes.append("place")
    if meeting.webcast_url != details.webcast_url:
        changes.append("webcast link")
    if meeting.members_panel_id != (details.members_panel.pk if details.members_panel else None):
        changes.append("members")
    return changes


# The agenda ------------------------------------------------------------------------------------
def chosen_entries(cycle: Cycle):
    """The flags the jury chose, in the order the jury's choices were recorded."""
    return (
        CycleEntry.objects.filter(cycle=cycle, jury_choice__chosen=True)
        .select_related("flag", "jury_choice")
        .order_by("jury_choice__recorded_at", "jury_choice__pk")
    )


def check_set_agenda(*, secretariat, meeting: Meeting) -> list[AgendaItem]:
    """One agenda item for each flag the jury chose, in the jury's order. Safe to run again:
    flags already on the agenda are left as they are, and any the jury chose since are added at
    the end."""
    cycle = meeting.cycle
    if not cycle.has_reached(Stage.JURY):
        raise ValidationError(
            "The citizens' jury has not chosen the agenda yet. You can set the agenda when it has."
        )
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        entries = list(chosen_entries(cycle).filter(agenda_item__isnull=True))
        if not entries:
            if meeting.items.exists():
                raise ValidationError("Every flag the jury chose is already on the agenda.")
            raise ValidationError("The jury's choices have not been recorded yet.")
        first_time = not meeting.items.exists()
        position = meeting.items.aggregate(last=Max("position"))["last"] or 0
        created = []
        for entry in entries:
            position += 1
            created.append(
                AgendaItem.objects.create(
                    meeting=meeting,
                    entry=entry,
                    position=position,
                    title=entry.flag.title[:MAX_TITLE_LENGTH],
                )
            )
        count = len(created)
        flags = "flag" if count == 1 else "flags"
        if first_time:
            summary = f"The agenda of the Assembly Meeting is the {count} {flags} the citizens' jury chose"
            kind = "agenda_set"
        else:
            summary = f"{count} more {flags} the citizens' jury chose added to the agenda"
            kind = "agenda_changed"
        record_cycle_decision(
            cycle=cycle,
            kind=kind,
            summary=summary,
            reasons="The agenda is the jury's choice, in the order the jury chose.",
            decided_by=secretariat,
            decided_by_role=SECRETARIAT,
        )
        record_audit_entry(
            actor=secretariat,
            action="meetings.agenda_set",
            summary=summary,
            target=meeting,
            data={"items": [item.pk for item in created], "flags": [e.flag_id for e in entries]},
            public=True,
        )
    return created


def check_edit_agenda_item(
    *, secretariat, item: AgendaItem, title: str, briefing: str
) -> AgendaItem:
    title = _clean(title)
    briefing = (briefing or "").strip()
    if not title:
        raise ValidationError({"title": "Enter the item's title"})
    if len(title) > MAX_TITLE_LENGTH:
        raise ValidationError({"title": "The title must be 150 characters or fewer"})
    if len(briefing) > MAX_BRIEFING_LENGTH:
        raise ValidationError({"briefing": "The briefing must be 10,000 characters or fewer"})
    with transaction.atomic():
        item.title = title
        item.briefing = briefing
        item.save(update_fields=["title", "briefing"])
        record_audit_entry(
            actor=secretariat,
            action="meetings.agenda_item_changed",
            summary=f"Changed the title or briefing of the agenda item “{title}”",
            target=item,
            public=True,
        )
    return item


def do_move_agenda_item(*, secretariat, item: AgendaItem, direction: str) -> bool:
    """Swap the item with the one before it ("up") or after it ("down"). False at either end."""
    if direction not in ("up", "down"):
        raise ValidationError("Choose whether to move the item up or down.")
    with transaction.atomic():
        items = list(
            AgendaItem.objects.select_for_update()
            .filter(meeting_id=item.meeting_id)
            .order_by("position", "pk")
        )
        index = next((i for i, other in enumerate(items) if other.pk == item.pk), None)
        if index is None:
            return False
        other_index = index - 1 if direction == "up" else index + 1
        if not 0 <= other_index < len(items):
            return False
        this, other = items[index], items[other_index]
        this_position, other_position = this.position, other.position
        # Positions are unique in a meeting: park one item at 0 (never used) while swapping.
        AgendaItem.objects.filter(pk=this.pk).update(position=0)
        AgendaItem.objects.filter(pk=other.pk).update(position=this_position)
        AgendaItem.objects.filter(pk=this.pk).update(position=other_position)
        record_audit_entry(
            actor=secretariat,
            action="meetings.agenda_item_moved",
            summary=f"Moved “{this.title}” {direction} the agenda",
            target=this,
            public=True,
        )
    item.position = other_position
    return True


# Information packs -----------------------------------------------------------------------------
def check_add_pack_document(
    *, secretariat, item: AgendaItem, title: str, url: str = "", upload=None
) -> PackDocument:
    """A link, or a file checked as Gather checks evidence: by its content, PDF or image,
    under 10MB, stored under a random name."""
    title = _clean(title)
    url = (url or "").strip()
    if not title:
        raise ValidationError({"title": "Enter the document's title"})
    if len(title) > 150:
        raise ValidationError({"title": "The title must be 150 characters or fewer"})
    if not url and upload is None:
        raise ValidationError({"url": "Enter a web address or choose a file"})
    if url and upload is not None:
        raise ValidationError({"url": "Add a web address or a file, not both"})
    checked = check_evidence_file(upload) if upload is not None else None
    with transaction.atomic():
        document = PackDocument(item=item, title=title, url=url, added_by=secretariat)
        if checked:
            document.file_type = checked.mime
            document.file.save(checked.safe_name, checked.upload, save=False)
        document.save()
        record_audit_entry(
            actor=secretariat,
            action="meetings.pack_document_added",
            summary=f"Added “{title}” to the information pack of “{item.title}”",
            target=document,
            data={"item": item.pk, "kind": "file" if checked else "link"},
            public=True,
        )
    return document


def do_remove_pack_document(*, secretariat, document: PackDocument) -> None:
    item = document.item
    with transaction.atomic():
        record_audit_entry(
            actor=secretariat,
            action="meetings.pack_document_removed",
            summary=f"Removed “{document.title}” from the information pack of “{item.title}”",
            target=document,
            data={"item": item.pk},
            public=True,
        )
        stored = document.file.name if document.file else ""
        document.delete()
        if stored:
            storage = document.file.storage
            transaction.on_commit(lambda: storage.delete(stored))


# Remote posting --------------------------------------------------------------------------------
def do_set_remote_posting(*, secretariat, meeting: Meeting, open: bool) -> bool:
    """Open or close every item's thread. Returns False if it was already so."""
    if open:
        if meeting.minutes_published_at:
            raise ValidationError(
                "The minutes have been published, so the meeting is over and its threads stay closed."
            )
        if not meeting.items.exists():
            raise ValidationError("Set the agenda before you open remote posting.")
    with transaction.atomic():
        changed = Meeting.objects.filter(pk=meeting.pk, remote_posting_open=not open).update(
            remote_posting_open=open
        )
        if not changed:
            return False
        meeting.remote_posting_open = open
        record_audit_entry(
            actor=secretariat,
            action="meetings.remote_posting_opened" if open else "meetings.remote_posting_closed",
            summary=(
                f"Opened remote posting at the Assembly Meeting of {meeting.cycle.name}"
                if open
                else f"Closed remote posting at the Assembly Meeting of {meeting.cycle.name}"
            ),
            target=meeting,
            public=True,
        )
    return True


# Minutes ---------------------------------------------------------------------------------------
def minutes_opening(meeting: Meeting, now: datetime.datetime | None = None) -> timetable.Opening:
    """When the minutes can be published (the timetable decides). Drafts can be saved at any
    time."""
    return timetable.opening(
        timetable.MINUTES_PUBLISHED, meeting.cycle, now or timezone.now(), meeting
    )


def minutes_not_yet(meeting: Meeting, now: datetime.datetime | None = None) -> str | None:
    found = minutes_opening(meeting, now)
    return None if found.is_open else found.message


def check_save_minutes(
    *, secretariat, meeting: Meeting, minutes: str, publish: bool = False, reason: str = ""
) -> Meeting:
    """Save the minutes as a draft, or publish them. Published minutes can be corrected, with
    a reason everyone can see."""
    minutes = (minutes or "").strip()
    reason = _clean(reason)
    if len(minutes) > MAX_MINUTES_LENGTH:
        raise ValidationError({"minutes": "The minutes must be 50,000 characters or fewer"})
    already_published = meeting.minutes_published_at is not None
    if (publish or already_published) and not minutes:
        raise ValidationError({"minutes": "Enter the minutes"})
    if already_published and minutes != meeting.minutes and not reason:
        raise ValidationError(
            {"reason": "Enter what you changed in the published minutes, and why"}
        )
    if len(reason) > 300:
        raise ValidationError({"reason": "The reason must be 300 characters or fewer"})
    now = timezone.now()
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().select_related("cycle").get(pk=meeting.pk)
        if publish and not already_published and (wait := minutes_not_yet(meeting, now)):
            raise ValidationError(wait)
        changed = minutes != meeting.minutes
        meeting.minutes = minutes
        if already_published:
            if not changed:
                return meeting
            meeting.save(update_fields=["minutes"])
            record_audit_entry(
                actor=secretariat,
                action="meetings.minutes_corrected",
                summary=f"Corrected the published minutes of the Assembly Meeting of {meeting.cycle.name}",
                target=meeting,
                reason=reason,
                public=True,
            )
        elif publish:
            meeting.minutes_published_at = now
            meeting.remote_posting_open = False
            meeting.save(update_fields=["minutes", "minutes_published_at", "remote_posting_open"])
            record_cycle_decision(
                cycle=meeting.cycle,
                kind="minutes_published",
                summary="The minutes of the Assembly Meeting were published",
                decided_by=secretariat,
                decided_by_role=SECRETARIAT,
            )
            record_audit_entry(
                actor=secretariat,
                action="meetings.minutes_published",
                summary=f"Published the minutes of the Assembly Meeting of {meeting.cycle.name}",
                target=meeting,
                public=True,
            )
        else:
            meeting.save(update_fields=["minutes"])
            record_audit_entry(
                actor=secretariat,
                action="meetings.minutes_draft_saved",
                summary=f"Saved draft minutes of the Assembly Meeting of {meeting.cycle.name}",
                target=meeting,
            )
    return meeting
