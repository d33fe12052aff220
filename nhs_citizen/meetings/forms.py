"""Forms for the Assembly Meeting and the Citizen Panels it commissions. Every field is an
NHS.UK field. Forms check what people typed; the services check the rules."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone

from nhs_citizen.meetings.models import WorkshopQuestion
from nhs_citizen.meetings.services import workshops
from nhs_citizen.nhsuk_forms import fields
from nhs_citizen.nhsuk_forms.parsing import parse_date, parse_time
from nhs_citizen.panels.models import Panel, PanelPurpose


def _time_text(value: datetime.datetime) -> str:
    return timezone.localtime(value).strftime("%H:%M")


def _date_text(value) -> str:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return f"{value.day} {value.month} {value.year}"


class MeetingForm(forms.Form):
    start_date = fields.CharField(
        label="Date",
        hint="The day the meeting starts. For example, 15 5 2027",
        width=10,
        error_messages={"required": "Enter the date of the meeting"},
    )
    start_time = fields.CharField(
        label="Start time",
        hint="For example, 10am or 14:30",
        width=5,
        error_messages={"required": "Enter the start time"},
    )
    end_date = fields.CharField(
        label="End date (if the meeting lasts more than one day)",
        required=False,
        hint="Leave this empty if it ends on the same day.",
        width=10,
    )
    end_time = fields.CharField(
        label="End time",
        hint="For example, 4pm or 16:00",
        width=5,
        error_messages={"required": "Enter the end time"},
    )
    place = fields.CharField(
        label="Where is the meeting?",
        max_length=200,
        hint="The name and address of the place people meet. For example, Leeds Town Hall, The Headrow, Leeds LS1 3AD",
        error_messages={"required": "Enter where the meeting is"},
    )
    webcast_url = fields.URLField(
        label="Webcast link (optional)",
        what="the webcast link",
        required=False,
        max_length=500,
        hint="Where people can watch the meeting live, for example on YouTube.",
    )
    members_panel = fields.ModelChoiceField(
        label="Members",
        required=False,
        queryset=Panel.objects.none(),
        widget=forms.Select,
        empty_label="Not chosen yet",
        hint="The panel drawn by lot for Assembly Meeting membership.",
    )

    def __init__(self, *args, meeting=None, cycle=None, **kwargs):
        if meeting is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                "start_date": _date_text(meeting.starts_at),
                "start_time": _time_text(meeting.starts_at),
                "end_date": ""
                if timezone.localtime(meeting.ends_at).date()
                == timezone.localtime(meeting.starts_at).date()
                else _date_text(meeting.ends_at),
                "end_time": _time_text(meeting.ends_at),
                "place": meeting.place,
                "webcast_url": meeting.webcast_url,
                "members_panel": meeting.members_panel_id,
            }
        elif cycle is not None and not kwargs.get("initial"):
            kwargs["initial"] = {"start_date": _date_text(cycle.meeting_date)}
        super().__init__(*args, **kwargs)
        self.fields["members_panel"].queryset = Panel.objects.filter(
            purpose=PanelPurpose.ASSEMBLY
        ).order_by("-created_at", "-pk")

    def clean_start_date(self):
        return parse_date(self.cleaned_data["start_date"], "the date of the meeting")

    def clean_end_date(self):
        value = self.cleaned_data.get("end_date")
        return parse_date(value, "the end date") if value else None

    def clean_start_time(self):
        return parse_time(self.cleaned_data["start_time"], "the start time")

    def clean_end_time(self):
        return parse_time(self.cleaned_data["end_time"], "the end time")

    def clean(self):
        cleaned = super().clean()
        start_date, start_time = cleaned.get("start_date"), cleaned.get("start_time")
        end_time = cleaned.get("end_time")
        if start_date and start_time and end_time:
            end_date = cleaned.get("end_date") or start_date
            if "end_date" in self.errors:
                return cleaned
            tz = timezone.get_current_timezone()
            cleaned["starts_at"] = timezone.make_aware(
                datetime.datetime.combine(start_date, start_time), tz
            )
            cleaned["ends_at"] = timezone.make_aware(
                datetime.datetime.combine(end_date, end_time), tz
            )
        return cleaned


class AgendaItemForm(forms.Form):
    title = fields.CharField(
        label="Title",
        max_length=150,
        hint="What the item is about, in a few words.",
        error_messages={"required": "Enter the item's title"},
    )
    briefing = fields.CharField(
        label="Briefing",
        what="the briefing",
        required=False,
        multiline=True,
        rows=10,
        max_length=10000,
        hint="The introduction to the information pack: what members need to know before the workshops. Plain words, short sentences.",
    )


class PackDocumentForm(forms.Form):
    title = fields.CharField(
        label="Title of the document",
        max_length=150,
        error_messages={"required": "Enter the document's title"},
    )
    url = fields.URLField(
        label="Web address (if it is online)",
        what="the web address",
        required=False,
        max_length=500,
        hint="For example, https://www.england.nhs.uk/publication/…",
    )
    file = fields.FileField(
        label="Or upload a file",
        required=False,
        hint="A PDF, PNG, JPG, GIF or WEBP, smaller than 10MB.",
    )


class WorkshopNoteForm(forms.Form):
    question = fields.ChoiceField(
        label="Which question is this about?",
        choices=WorkshopQuestion.choices,
        error_messages={"required": "Select which question the note answers"},
    )
    table = fields.CharField(
        label="Table or group",
        what="the table or group",
        max_length=50,
        width=10,
        hint="For example, Table 4",
        error_messages={"required": "Enter the table or group, for example Table 4"},
    )
    text = fields.CharField(
        label="What did the workshop say?",
        multiline=True,
        rows=8,
        max_length=5000,
        hint="Write down what people said in their words, not yours. Do not include anyone's name.",
        error_messages={"required": "Enter what the workshop said"},
    )


GENERAL = "general"


class RemotePostForm(forms.Form):
    question = fields.ChoiceField(
        label="Is your post about one of the three questions?",
        required=False,
        choices=[(GENERAL, "No, it is about the item in general"), *WorkshopQuestion.choices],
        initial=GENERAL,
    )
    body = fields.CharField(
        label="Your post",
        multiline=True,
        rows=5,
        max_length=workshops.MAX_POST_LENGTH,
        hint="Everyone can see your post with your display name. Do not include anyone's personal or medical details.",
        error_messages={"required": "Enter what you want to say"},
    )

    def clean_question(self) -> str:
        value = self.cleaned_data.get("question") or GENERAL
        return "" if value == GENERAL else value


class MinutesForm(forms.Form):
    minutes = fields.CharField(
        label="Minutes",
        required=False,
        multiline=True,
        rows=20,
        max_length=50000,
        character_count=False,
        hint="You can use **bold**, *italic*, lists and links. Everyone can read the minutes once you publish them.",
    )
    reason = fields.CharField(
        label="What did you change, and why?",
        what="what you changed and why",
        required=False,
        max_length=300,
        hint="The minutes are published, so everyone can see each correction and its reason.",
    )

    def __init__(self, *args, published: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not published:
            del self.fields["reason"]


class CommissionForm(forms.Form):
    item = fields.ModelChoiceField(
        label="Which agenda item did it come from? (optional)",
        required=False,
        queryset=None,
        widget=forms.Select,
        empty_label="None of them",
    )
    question = fields.CharField(
        label="The question the panel will answer",
        max_length=300,
        multiline=True,
        rows=2,
        error_messages={"required": "Enter the question the panel will answer"},
    )
    remit = fields.CharField(
        label="Remit",
        multiline=True,
        rows=6,
        max_length=5000,
        hint="What the panel must look at, and what it must not.",
        error_messages={"required": "Enter the panel's remit"},
    )
    size = fields.IntegerField(
        label="How many people?",
        min_value=2,
        max_value=500,
        width=4,
        error_messages={
            "required": "Enter how many people",
            "min_value": "A panel has between 2 and 500 people",
            "max_value": "A panel has between 2 and 500 people",
        },
    )
    quotas_note = fields.CharField(
        label="Who must be on the panel",
        multiline=True,
        rows=4,
        max_length=3000,
        hint="The groups the panel must include, and how many of each, in words. For example: at least 5 people who care for someone.",
        error_messages={"required": "Enter which groups the panel must include"},
    )
    report_due = fields.CharField(
        label="Report due",
        width=10,
        hint="The day the panel must report by. For example, 30 11 2027",
        error_messages={"required": "Enter the date the report is due"},
    )
    reasons = fields.CharField(
        label="Why did the Assembly ask for this panel?",
        multiline=True,
        rows=5,
        max_length=3000,
        error_messages={"required": "Enter why the Assembly asked for this panel"},
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = meeting.items.all()

    def clean_report_due(self) -> datetime.date:
        return parse_date(self.cleaned_data["report_due"], "the date the report is due")


class LinkPanelForm(forms.Form):
    panel = fields.ModelChoiceField(
        label="Which panel was drawn for this question?",
        queryset=Panel.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Select the panel drawn for this question"},
    )

    def __init__(self, *args, panels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["panel"].queryset = panels
        self.fields["panel"].label_from_instance = lambda panel: (
            f"{panel.title} ({panel.get_status_display().lower()})"
        )


class ReportForm(forms.Form):
    report_summary = fields.CharField(
        label="Summary of the report",
        multiline=True,
        rows=8,
        max_length=10000,
        hint="What the panel found and what it recommends, in plain words.",
        error_messages={"required": "Enter a summary of the report"},
    )
    report_url = fields.URLField(
        label="Web address of the report (if it is online)",
        what="the web address of the report",
        required=False,
        max_length=500,
    )
    report_file = fields.FileField(
        label="Or upload the report",
        required=False,
        hint="A PDF, smaller than 10MB.",
    )
