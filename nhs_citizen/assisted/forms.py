"""Forms for community helpers. Every field is an NHS.UK field."""

from __future__ import annotations

import re

from django import forms

from nhs_citizen.assisted.models import ConsentHow, ContactBy
from nhs_citizen.assisted.services import Consent
from nhs_citizen.core.models import Organisation
from nhs_citizen.gather.forms import FlagDetailsForm, FlagStartForm
from nhs_citizen.gather.forms_calls import AnswerCallForm
from nhs_citizen.nhsuk_forms import fields
from nhs_citizen.panels.forms import VolunteerForm
from nhs_citizen.tracker.forms import DateField


class LookUpForm(forms.Form):
    reference = fields.CharField(
        label="Look up a reference",
        what="the reference",
        max_length=20,
        width=10,
        hint="The reference you gave the person, for example HWL-7Q3K.",
    )


class PersonForm(forms.Form):
    name = fields.CharField(
        label="Their name",
        what="the person's name",
        max_length=100,
        autocomplete="off",
        hint="Only your organisation's helpers see this. It is never shown in public.",
    )
    contact_by = fields.ChoiceField(
        label="How will you tell them what happens?",
        what="how to tell them what happens",
        choices=ContactBy.choices,
        widget=forms.RadioSelect,
    )
    phone = fields.CharField(
        label="Phone number (if by phone)",
        what="their phone number",
        required=False,
        max_length=30,
        width=20,
        autocomplete="off",
    )
    address = fields.CharField(
        label="Address (if by letter)",
        what="their address",
        required=False,
        multiline=True,
        max_length=300,
        rows=4,
        character_count=False,
        autocomplete="off",
    )


class ConsentFields(forms.Form):
    """Who agreed, how and when; and the paper form's reference, if it came on paper."""

    consent_given_by = fields.CharField(
        label="Who agreed to this being recorded?",
        what="who agreed to this being recorded",
        max_length=100,
        hint="For example: the person themselves, or their son with their agreement.",
    )
    consent_how = fields.ChoiceField(
        label="How did they agree?",
        what="how they agreed",
        choices=ConsentHow.choices,
        widget=forms.RadioSelect,
        inline=True,
    )
    consent_on = DateField(
        label="When did they agree?",
        what="the date they agreed",
        called="the date they agreed",
        hint="For example, 27 11 2026",
    )
    paper_reference = fields.CharField(
        label="Paper form reference (if it came on paper)",
        what="the paper form reference",
        required=False,
        max_length=30,
        width=10,
        hint="The reference written at the top of the form. Each paper form is typed in once.",
    )

    def consent(self) -> Consent:
        data = self.cleaned_data
        return Consent(
            given_by=data["consent_given_by"], how=data["consent_how"], on=data["consent_on"]
        )


class RecordFlagForm(ConsentFields, FlagStartForm, FlagDetailsForm):
    """The flag as the person told it (or wrote it on the paper form), and their consent."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, organisations=None, **kwargs)
        for name in ("links", "file"):
            self.fields.pop(name, None)
        self.fields["title"].label = "What is the flag about?"
        self.fields["what_should_change"].hint = "In their words, as they told you or wrote it."
        self.fields[
            "why"
        ].hint = "Say who it affects and how. Do not include their name or health details."


def _flag_number(text: str) -> int | None:
    """ "123", "flag 123" or the flag's web address give 123."""
    found = re.search(r"flags/(\d+)", text) or re.fullmatch(r"\D*(\d+)\s*", text)
    return int(found.group(1)) if found else None


class RecordSupportForm(ConsentFields):
    flag = fields.CharField(
        label="Which flag do they support?",
        what="the flag's number or web address",
        max_length=200,
        hint="The number of the flag, for example 1234, or its web address.",
    )

    field_order = ["flag", "consent_given_by", "consent_how", "consent_on", "paper_reference"]

    def clean_flag(self) -> int:
        number = _flag_number(self.cleaned_data["flag"])
        if number is None:
            raise forms.ValidationError(
                "Enter the flag's number, for example 1234, or its web address"
            )
        return number


class CallChoiceForm(forms.Form):
    call = fields.ChoiceField(
        label="Which call for views?",
        what="the call for views",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, calls, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].choices = [(str(call.pk), call.title) for call in calls]


class RecordAnswersForm(ConsentFields, AnswerCallForm):
    """The call's questions (as on the paper version), then the consent."""


class RecordStoryForm(ConsentFields):
    title = fields.CharField(
        label="Title of the story",
        what="a title for the story",
        max_length=150,
        hint="For example: The ward changed visiting times after we asked.",
    )
    body = fields.CharField(
        label="Their story",
        what="the story",
        multiline=True,
        max_length=5000,
        rows=8,
        hint="In their words. What changed in how an NHS body listened and acted? Leave out names and health details.",
    )
    organisation = fields.ModelChoiceField(
        label="Which NHS body is it about? (optional)",
        required=False,
        queryset=Organisation.objects.public_bodies(),
        widget=forms.Select,
        empty_label="Not about one body",
    )

    field_order = ["title", "body", "organisation"]


class RecordPoolEntryForm(ConsentFields, VolunteerForm):
    """The same questions as joining the pool online, asked by the helper."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("paper_reference", None)
        self.fields["consent"].label = (
            "They agree that NHS Citizen can keep these answers to choose people fairly by lot. "
            "They know they can ask us to change or delete them at any time."
        )
        self.fields["consent"].error_messages["required"] = (
            "Tick the box to say they agree, or they cannot join the pool"
        )
        self.fields["address"].label = "First line of their address"
        self.fields[
            "consent_given_by"
        ].hint = "Only the person themselves can agree to join the pool, and to us keeping these answers."
