"""Forms for flags, curation, review and responses. Every field is an NHS.UK field."""

from __future__ import annotations

from django import forms
from django.core.validators import URLValidator

from nhs_citizen.accounts.forms import area_choices
from nhs_citizen.core.models import Icb, Organisation, Region, Topic
from nhs_citizen.gather.models import Decision, FlagStatus, Outcome, Scope, Stance
from nhs_citizen.gather.services.flags import Place
from nhs_citizen.nhsuk_forms import fields

SORTS = [("supported", "Most supported"), ("newest", "Newest"), ("active", "Recently active")]


class FlagSearchForm(forms.Form):
    q = fields.CharField(
        what="the words to search for", label="Search flags", required=False, max_length=100
    )
    topic = fields.ModelChoiceField(
        label="Topic",
        required=False,
        queryset=Topic.objects.all(),
        to_field_name="slug",
        empty_label="All topics",
        widget=forms.Select,
    )
    area = fields.ChoiceField(label="Area", required=False, widget=forms.Select)
    status = fields.ChoiceField(
        label="Status",
        required=False,
        widget=forms.Select,
        choices=[("", "Any status")] + [c for c in FlagStatus.choices if c[0] != FlagStatus.MERGED],
    )
    sort = fields.ChoiceField(label="Sort by", required=False, widget=forms.Select, choices=SORTS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "All of England"), *area_choices()[1:]]


class FlagStartForm(forms.Form):
    title = fields.CharField(
        label="What is your flag about?",
        max_length=120,
        hint="A short title, like a newspaper headline. For example: Let people book GP appointments online.",
        error_messages={"required": "Enter what your flag is about"},
    )
    what_should_change = fields.CharField(
        label="What should change?",
        multiline=True,
        max_length=2000,
        rows=4,
        error_messages={"required": "Enter what should change"},
    )


def _split_links(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class FlagDetailsForm(forms.Form):
    why = fields.CharField(
        label="Why does this matter?",
        multiline=True,
        max_length=4000,
        rows=6,
        hint="Say who it affects and how. Do not include anyone's name or health details.",
        error_messages={"required": "Enter why this matters"},
    )
    topic = fields.ModelChoiceField(
        label="Topic",
        queryset=Topic.objects.all(),
        to_field_name="slug",
        widget=forms.Select,
        empty_label="Choose a topic",
        error_messages={"required": "Select a topic"},
    )
    scope = fields.ChoiceField(
        label="Where does this apply?",
        choices=Scope.choices,
        error_messages={"required": "Select where this applies"},
    )
    region = fields.ModelChoiceField(
        label="NHS region (if it applies to one region)",
        required=False,
        queryset=Region.objects.all(),
        to_field_name="code",
        widget=forms.Select,
        empty_label="Choose a region",
    )
    icb = fields.ModelChoiceField(
        label="Local NHS area (if it applies to one area, or to a place in it)",
        required=False,
        queryset=Icb.objects.select_related("region").all(),
        to_field_name="code",
        widget=forms.Select,
        empty_label="Choose an area",
    )
    place_name = fields.CharField(
        label="Town, city or place (if it is local)",
        what="the town, city or place",
        required=False,
        max_length=100,
    )
    raised_for = fields.ModelChoiceField(
        label="Are you raising this for an organisation?",
        required=False,
        queryset=Organisation.objects.none(),
        widget=forms.Select,
        empty_label="No, just for me",
    )
    links = fields.CharField(
        label="Links to evidence (optional)",
        what="the links",
        required=False,
        multiline=True,
        max_length=2000,
        rows=3,
        character_count=False,
        hint="One web address on each line. For example, a report or a news article.",
    )
    file = fields.FileField(
        label="Upload a file as evidence (optional)",
        required=False,
        hint="A PDF, PNG, JPG, GIF or WEBP, smaller than 10MB.",
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations:
            self.fields["raised_for"].queryset = organisations
        else:
            del self.fields["raised_for"]

    def clean_links(self) -> list[str]:
        links = _split_links(self.cleaned_data.get("links", ""))
        if len(links) > 5:
            raise forms.ValidationError("Add 5 links or fewer")
        validator = URLValidator(schemes=["http", "https"])
        for link in links:
            try:
                validator(link)
            except forms.ValidationError as error:
                raise forms.ValidationError(
                    f"“{link[:60]}” is not a web address. Web addresses start with https://"
                ) from error
        return links

    def place(self) -> Place:
        data = self.cleaned_data
        return Place(
            data["scope"],
            region=data.get("region"),
            icb=data.get("icb"),
            place_name=data.get("place_name", ""),
        )


class CommentForm(forms.Form):
    stance = fields.ChoiceField(
        label="What are you adding?",
        choices=Stance.choices,
        initial=Stance.COMMENT,
        inline=True,
        error_messages={"required": "Select what you are adding"},
    )
    body = fields.CharField(
        label="Your comment",
        multiline=True,
        max_length=5000,
        rows=5,
        hint="You can use **bold**, *italics*, lists and links. Follow the house rules.",
        error_messages={"required": "Enter your comment"},
    )


class ReplyForm(forms.Form):
    body = fields.CharField(
        label="Your reply",
        multiline=True,
        max_length=5000,
        rows=4,
        error_messages={"required": "Enter your reply"},
    )


class EvidenceForm(forms.Form):
    title = fields.CharField(
        label="What is it?",
        max_length=150,
        hint="For example: Healthwatch report on GP access, 2026",
        error_messages={"required": "Enter what the evidence is"},
    )
    url = fields.URLField(
        label="Web address", required=False, hint="Add a web address or upload a file."
    )
    file = fields.FileField(
        label="Or upload a file",
        required=False,
        hint="A PDF, PNG, JPG, GIF or WEBP, smaller than 10MB.",
    )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("url") and not cleaned.get("file"):
            self.add_error("url", "Enter a web address or choose a file")
        if cleaned.get("url") and cleaned.get("file"):
            self.add_error("file", "Add a web address or a file, not both")
        return cleaned


class MergeForm(forms.Form):
    target = fields.IntegerField(
        label="Number of the flag to merge this one into",
        width=10,
        hint="The number is at the end of the flag's web address. The other flag keeps its title and text.",
        error_messages={"required": "Enter the number of the flag to merge into"},
    )
    reason = fields.CharField(
        label="Why are these the same?",
        multiline=True,
        max_length=1000,
        rows=3,
        error_messages={"required": "Enter why these flags are the same"},
    )


class RoundupForm(forms.Form):
    change_needed = fields.CharField(
        label="The change needed",
        multiline=True,
        max_length=1000,
        rows=3,
        error_messages={"required": "Enter the change needed"},
    )
    action = fields.CharField(
        label="The action",
        multiline=True,
        max_length=1000,
        rows=3,
        hint="What should be done, in one or two sentences.",
        error_messages={"required": "Enter the action"},
    )
    who_should_act = fields.CharField(
        label="Who should act",
        max_length=200,
        hint="For example: NHS England, or the local ICB.",
        error_messages={"required": "Enter who should act"},
    )
    organisation = fields.ModelChoiceField(
        label="The body that should act, if it is listed (optional)",
        required=False,
        queryset=Organisation.objects.public_bodies(),
        widget=forms.Select,
        empty_label="Not listed or more than one",
    )


class PutForwardForm(forms.Form):
    reason = fields.CharField(
        label="Why should the review panel look at this now?",
        multiline=True,
        max_length=1000,
        rows=3,
        error_messages={"required": "Enter why this flag should be reviewed now"},
    )


YES_NO = [("yes", "Yes"), ("no", "No")]


class ReviewForm(forms.Form):
    is_national = fields.ChoiceField(
        label="Is it national?",
        choices=YES_NO,
        inline=True,
        hint="Does it affect people across England, not one area?",
        error_messages={"required": "Select yes if it is national"},
    )
    within_remit = fields.ChoiceField(
        label="Is it within NHS England's remit?",
        choices=YES_NO,
        inline=True,
        hint="Can NHS England itself make this change?",
        error_messages={"required": "Select yes if it is within NHS England's remit"},
    )
    decision = fields.ChoiceField(
        label="What should happen?",
        choices=Decision.choices,
        error_messages={"required": "Select what should happen to this flag"},
    )
    organisation = fields.ModelChoiceField(
        label="If you refer it: the body that must answer",
        required=False,
        queryset=Organisation.objects.public_bodies(),
        widget=forms.Select,
        empty_label="Choose a body",
    )
    reasons = fields.CharField(
        label="Your reasons",
        multiline=True,
        max_length=3000,
        rows=5,
        hint="These are published with your decision.",
        error_messages={"required": "Enter the reasons for your decision"},
    )

    def clean(self):
        # Show every problem at once; the service checks the same rules again.
        cleaned = super().clean()
        if cleaned.get("decision") == Decision.REFER and not cleaned.get("organisation"):
            self.add_error("organisation", "Select the body that must answer")
        if cleaned.get("decision") == Decision.SHORTLIST and not (
            cleaned.get("is_national") == "yes" and cleaned.get("within_remit") == "yes"
        ):
            self.add_error(
                "decision",
                "Only a flag that is national and within NHS England's remit can be shortlisted for the Assembly",
            )
        return cleaned


class ResponseForm(forms.Form):
    outcome = fields.ChoiceField(
        label="Your answer",
        choices=Outcome.choices,
        item_hints={
            Outcome.NOT_OURS: "You must say which body is responsible. We will send the flag to them."
        },
        error_messages={"required": "Select your answer"},
    )
    responsible_organisation = fields.ModelChoiceField(
        label="If it is not yours: the body that is responsible",
        required=False,
        queryset=Organisation.objects.public_bodies(),
        widget=forms.Select,
        empty_label="Choose a body",
    )
    reasons = fields.CharField(
        label="Your reasons",
        multiline=True,
        max_length=5000,
        rows=8,
        hint="This is published in full, with your organisation's name.",
        error_messages={"required": "Enter your reasons"},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == Outcome.NOT_OURS and not cleaned.get(
            "responsible_organisation"
        ):
            self.add_error(
                "responsible_organisation",
                "Select who is responsible. “Not ours” must always say whose it is",
            )
        return cleaned
