"""Forms for Discover. Every field is an NHS.UK field."""

from __future__ import annotations

from django import forms

from nhs_citizen.core.models import Icb, Organisation, Region
from nhs_citizen.core.models import Topic as GatherTopic
from nhs_citizen.discover.connectors.tabular import FIELDS
from nhs_citizen.discover.models import Sentiment, SourceKind, Topic
from nhs_citizen.discover.queries import PERIOD_CHOICES, Filters
from nhs_citizen.gather.forms import FlagDetailsForm
from nhs_citizen.gather.services.flags import Place
from nhs_citizen.nhsuk_forms import fields
from nhs_citizen.nhsuk_forms.parsing import parse_date

KIND_CHOICES = [("", "Every kind of source"), *SourceKind.choices]


def _region_field(label="NHS region", empty="All of England"):
    return fields.ModelChoiceField(
        label=label,
        required=False,
        queryset=Region.objects.all(),
        to_field_name="code",
        widget=forms.Select,
        empty_label=empty,
    )


def _icb_field(label="Local NHS area (ICB)", empty="Choose an area"):
    return fields.ModelChoiceField(
        label=label,
        required=False,
        queryset=Icb.objects.select_related("region").all(),
        to_field_name="code",
        widget=forms.Select,
        empty_label=empty,
    )


class DashboardFilterForm(forms.Form):
    region = _region_field()
    kind = fields.ChoiceField(
        label="Where it came from", required=False, choices=KIND_CHOICES, widget=forms.Select
    )
    period = fields.ChoiceField(
        label="When", required=False, choices=PERIOD_CHOICES, widget=forms.Select
    )

    def filters(self) -> Filters:
        self.is_valid()  # keep what is valid; anything not understood is shown as an error
        data = getattr(self, "cleaned_data", {})
        return Filters(
            region=data.get("region"),
            kind=data.get("kind") or "",
            period=data.get("period") or "",
            sentiment=data.get("sentiment") or "",
            topic=data.get("topic"),
            search=(data.get("q") or "").strip(),
        )


class ItemFilterForm(DashboardFilterForm):
    q = fields.CharField(
        label="Search what people said",
        what="the words to search for",
        required=False,
        max_length=100,
    )
    topic = fields.ModelChoiceField(
        label="Topic",
        required=False,
        queryset=Topic.objects.public().order_by("curator_name", "auto_name"),
        widget=forms.Select,
        empty_label="All topics",
    )
    sentiment = fields.ChoiceField(
        label="Feeling",
        required=False,
        choices=[("", "Any feeling"), *Sentiment.choices],
        widget=forms.Select,
    )

    field_order = ["q", "topic", "sentiment", "region", "kind", "period"]


class TellUsForm(forms.Form):
    text = fields.CharField(
        label="What do you want the NHS to know?",
        multiline=True,
        max_length=5000,
        rows=8,
        is_page_heading=False,
        hint=(
            "It can be something good, something that went wrong, or something that should "
            "change. Do not include your name, anyone else's name, or health details that "
            "could show who you are."
        ),
        min_length=10,
        error_messages={
            "required": "Enter what you want the NHS to know",
            "min_length": "Tell us a little more: write at least 10 characters",
        },
    )
    place_text = fields.CharField(
        label="Where are you? (optional)",
        what="where you are",
        required=False,
        max_length=200,
        hint="A town or city, or the first part of your postcode, like LS6. This is not shown.",
    )
    region = _region_field("NHS region (optional)", "Choose a region")
    icb = _icb_field("Local NHS area (optional)")
    agree = fields.BooleanField(
        label="I understand that what I write will be public, after names and contact "
        "details are taken out",
        error_messages={"required": "Tick the box to say you understand your words will be public"},
    )


class UploadForm(forms.Form):
    file = fields.FileField(
        label="Your file of notes",
        hint="A CSV or Excel (.xlsx) file, smaller than 5MB, with a heading at the top of each "
        "column and one comment on each row.",
        error_messages={"required": "Choose a file to upload"},
    )
    event_name = fields.CharField(
        label="Name of the event",
        max_length=150,
        hint="For example: Carers' café, Leeds Central Library.",
        error_messages={"required": "Enter the name of the event"},
    )
    event_date = fields.CharField(
        label="Date of the event",
        max_length=20,
        width=10,
        hint="For example, 14/11/2026. We use it for any comment that has no date of its own.",
        error_messages={"required": "Enter the date of the event"},
    )
    organisation = fields.ModelChoiceField(
        label="Which organisation hosted it?",
        required=False,
        queryset=Organisation.objects.none(),
        to_field_name="slug",
        widget=forms.Select,
        empty_label="No organisation",
    )
    group_name = fields.CharField(
        label="Group or community (optional)",
        what="the group or community",
        required=False,
        max_length=200,
        hint="For example: Leeds Carers Network.",
    )
    region = _region_field("NHS region (optional)", "Choose a region")
    icb = _icb_field("Local NHS area (optional)")
    question = fields.CharField(
        label="The question people were asked (optional)",
        what="the question people were asked",
        required=False,
        max_length=300,
        hint="If everyone answered the same question, write it here. For example: What could "
        "we do better? We use it for any comment that has no question of its own in your file.",
    )

    def __init__(self, *args, organisations=None, allow_none=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations or Organisation.objects.none()
        self.fields["organisation"].required = not allow_none
        if not allow_none:
            self.fields["organisation"].empty_label = "Choose an organisation"
            self.fields["organisation"].error_messages["required"] = (
                "Choose the organisation that hosted the event"
            )

    def clean_event_date(self):
        return parse_date(self.cleaned_data["event_date"], "the date of the event")


FIELD_LABELS = {
    "text": "Which column holds what people said?",
    "said_at": "Which column holds the date? (optional)",
    "place": "Which column holds the place? (optional)",
    "group": "Which column holds the group or table? (optional)",
    "original_id": "Which column holds a reference number for each comment? (optional)",
    "question": "Which column holds the question? (optional)",
}
# What each column choice is about, for its error messages ("Select the column ...").
FIELD_WHAT = {
    "text": "the column that holds what people said",
    "said_at": "the column that holds the date",
    "place": "the column that holds the place",
    "group": "the column that holds the group or table",
    "original_id": "the column that holds a reference number",
    "question": "the column that holds the question",
}
FIELD_HINTS = {
    "question": "The question people were answering, if your file has one for each comment. "
    "This helps us tell good news from bad.",
}


class MappingForm(forms.Form):
    skip_bad_rows = fields.BooleanField(
        label="Leave out rows with problems and add the rest", required=False
    )

    def __init__(self, *args, headers: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Not in my file"), *[(h, h) for h in headers]]
        for name in FIELDS:
            self.fields[name] = fields.ChoiceField(
                label=FIELD_LABELS.get(name, name),
                what=FIELD_WHAT.get(name),
                hint=FIELD_HINTS.get(name),
                required=name == "text",
                choices=choices,
                widget=forms.Select,
                error_messages={"required": "Choose the column that holds what people said"},
            )
        self.order_fields([*FIELDS, "skip_bad_rows"])


class SourceForm(forms.Form):
    name = fields.CharField(label="Name", what="a name for this source", max_length=200)
    kind = fields.ChoiceField(
        label="Kind of source",
        choices=[c for c in SourceKind.choices if c[0] in SourceKind.polled()],
        widget=forms.Select,
        error_messages={"required": "Choose what kind of source this is"},
    )
    url = fields.CharField(
        label="Web address of the feed (news feeds and JSON feeds)",
        what="the web address of the feed",
        required=False,
        max_length=500,
    )
    items_path = fields.CharField(
        label="Where the list of items is in a JSON feed (optional)",
        what="where the list of items is",
        required=False,
        max_length=100,
        hint="Leave empty for a standard JSON Feed. For example: data.stories",
    )
    instance = fields.CharField(
        label="Mastodon server (Mastodon)",
        what="the Mastodon server",
        required=False,
        max_length=200,
        hint="For example: https://mastodon.social",
    )
    hashtag = fields.CharField(
        what="the hashtag", label="Hashtag, without # (Mastodon)", required=False, max_length=100
    )
    access_token = fields.CharField(
        label="Access token (Mastodon, optional)",
        what="the access token",
        required=False,
        max_length=500,
        hint="Leave empty to keep the one we have.",
    )
    query = fields.CharField(
        what="the search words", label="Search words (Bluesky)", required=False, max_length=200
    )
    handle = fields.CharField(
        label="Account handle (Bluesky, optional)",
        what="the account handle",
        required=False,
        max_length=200,
    )
    app_password = fields.CharField(
        label="App password (Bluesky, optional)",
        what="the app password",
        required=False,
        max_length=200,
        hint="Leave empty to keep the one we have.",
    )
    host = fields.CharField(
        what="the mail server", label="Mail server (e-mail inbox)", required=False, max_length=200
    )
    port = fields.IntegerField(label="Port (e-mail inbox)", required=False, width=4)
    ssl = fields.BooleanField(label="Use a secure connection (e-mail inbox)", required=False)
    username = fields.CharField(
        what="the user name", label="User name (e-mail inbox)", required=False, max_length=200
    )
    password = fields.CharField(
        label="Password (e-mail inbox)",
        what="the password",
        required=False,
        max_length=200,
        hint="Leave empty to keep the one we have.",
    )
    folder = fields.CharField(
        what="the folder", label="Folder (e-mail inbox)", required=False, max_length=100
    )
    organisation = fields.ModelChoiceField(
        label="Organisation it comes from (optional)",
        required=False,
        queryset=Organisation.objects.order_by("name"),
        to_field_name="slug",
        widget=forms.Select,
        empty_label="No organisation",
    )
    group_name = fields.CharField(
        label="Group or community (optional)",
        what="the group or community",
        required=False,
        max_length=200,
    )
    region = _region_field("NHS region it covers (optional)", "Choose a region")
    icb = _icb_field("Local NHS area it covers (optional)")
    poll_every_minutes = fields.IntegerField(
        label="How often to check, in minutes",
        what="a number of minutes",
        width=5,
        min_value=5,
        max_value=7 * 24 * 60,
    )

    SETTING_FIELDS = {
        "rss": ["url"],
        "json_feed": ["url", "items_path"],
        "mastodon": ["instance", "hashtag", "access_token"],
        "bluesky": ["query", "handle", "app_password"],
        "imap": ["host", "port", "ssl", "username", "password", "folder"],
    }

    def settings_values(self) -> dict:
        data = self.cleaned_data
        values = {name: data.get(name) for name in self.SETTING_FIELDS.get(data.get("kind"), [])}
        if "port" in values and values["port"] is None:
            values.pop("port")
        return values


class ReasonForm(forms.Form):
    reason = fields.CharField(
        label="Reason (this will be public)",
        what="the reason",
        multiline=True,
        max_length=500,
        rows=3,
        error_messages={"required": "Enter a reason. It will be public"},
    )


class RenameForm(forms.Form):
    name = fields.CharField(
        label="New name",
        what="the new name",
        required=False,
        max_length=100,
        hint="Leave it empty to go back to the name we made from the words people used.",
    )
    reason = fields.CharField(
        what="the reason", label="Reason (optional, public)", required=False, max_length=500
    )


class MergeTopicForm(ReasonForm):
    target = fields.ModelChoiceField(
        label="Merge this topic into",
        queryset=Topic.objects.none(),
        widget=forms.Select,
        empty_label="Choose a topic",
        error_messages={"required": "Choose the topic to merge into"},
    )
    field_order = ["target", "reason"]

    def __init__(self, *args, topic: Topic, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = (
            Topic.objects.live().exclude(pk=topic.pk).order_by("curator_name", "auto_name")
        )


class FlagTopicForm(FlagDetailsForm):
    title = fields.CharField(
        label="Title of the flag",
        max_length=120,
        error_messages={"required": "Enter a title for the flag"},
    )
    what_should_change = fields.CharField(
        label="What should change?",
        multiline=True,
        max_length=2000,
        rows=4,
        error_messages={"required": "Enter what should change"},
    )
    field_order = [
        "title",
        "what_should_change",
        "why",
        "topic",
        "scope",
        "region",
        "icb",
        "place_name",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, organisations=None, **kwargs)
        self.fields["topic"].queryset = GatherTopic.objects.all()
        for name in ("links", "file"):
            self.fields.pop(name, None)

    def place(self) -> Place:
        return super().place()
