"""Forms for the culture-change pages. Every field is an NHS.UK field."""

from __future__ import annotations

from django import forms

from nhs_citizen.core.models import Organisation, OrganisationType
from nhs_citizen.culture.models import Story, Teller
from nhs_citizen.culture.services.measures import Filters, Period
from nhs_citizen.culture.services.stories import REASON_MAX_LENGTH
from nhs_citizen.nhsuk_forms import fields

PUBLIC_BODY_KINDS = [
    (value, label)
    for value, label in OrganisationType.choices
    if value in OrganisationType.public_bodies()
]


class PeriodForm(forms.Form):
    period = fields.ChoiceField(
        label="Time",
        choices=Period.CHOICES,
        required=False,
        widget=forms.Select,
    )

    def filters(self) -> Filters:
        """What was asked for; the default for anything missing or not understood."""
        self.is_valid()  # cleaned_data keeps the fields that are valid
        data = getattr(self, "cleaned_data", {})
        return Filters(period=data.get("period") or Period.ALL_TIME, kind=data.get("kind") or "")


class MeasuresFilterForm(PeriodForm):
    kind = fields.ChoiceField(
        label="Kind of body",
        choices=[("", "Every kind of body"), *PUBLIC_BODY_KINDS],
        required=False,
        widget=forms.Select,
    )


class StoryForm(forms.Form):
    title = fields.CharField(
        label="Give your story a title",
        max_length=150,
        hint="For example: The ward started asking us what we thought.",
        error_messages={"required": "Enter a title for your story"},
    )
    body = fields.CharField(
        label="Your story",
        multiline=True,
        max_length=5000,
        rows=10,
        hint=(
            "What changed in how an NHS body listens or acts? What was it like before, and "
            "what is it like now? Do not include anyone's name or health details."
        ),
        error_messages={"required": "Enter your story"},
    )
    teller = fields.ChoiceField(
        label="Who are you?",
        choices=Teller.choices,
        error_messages={"required": "Select who you are"},
    )
    organisation = fields.ModelChoiceField(
        label="Which NHS body is your story about? (optional)",
        required=False,
        queryset=Organisation.objects.public_bodies().order_by("name"),
        to_field_name="slug",
        widget=forms.Select,
        empty_label="No particular body",
    )


class StoryFilterForm(forms.Form):
    organisation = fields.ModelChoiceField(
        label="About",
        required=False,
        queryset=Organisation.objects.none(),
        to_field_name="slug",
        widget=forms.Select,
        empty_label="Any body",
    )
    teller = fields.ChoiceField(
        label="Told by",
        required=False,
        choices=[("", "Anyone"), *Teller.choices],
        widget=forms.Select,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only bodies that have published stories, so no choice leads to an empty list.
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=Story.objects.published().values("organisation_id")
        ).order_by("name")


class StoryDecisionForm(forms.Form):
    decision = fields.ChoiceField(
        label="Your decision",
        choices=[("publish", "Publish the story"), ("decline", "Do not publish it")],
        error_messages={"required": "Select whether to publish the story"},
    )
    reason = fields.CharField(
        label="Reason",
        what="the reason",
        required=False,
        multiline=True,
        max_length=REASON_MAX_LENGTH,
        rows=3,
        hint="Needed if you do not publish it. The person who told the story will see it.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "decline" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Enter why the story cannot be published, so the person knows")
        return cleaned
