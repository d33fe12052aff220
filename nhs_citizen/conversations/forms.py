"""Forms for conversations. Every field is an NHS.UK field."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone

from nhs_citizen.conversations.models import STATEMENT_MAX_LENGTH, Choice
from nhs_citizen.gather.forms_calls import parse_day_month_year
from nhs_citizen.nhsuk_forms import fields


class VoteForm(forms.Form):
    """One statement's vote. The page shows it as three buttons named "choice"."""

    choice = fields.TypedChoiceField(
        label="Your vote",
        choices=[(str(value), label) for value, label in Choice.choices],
        coerce=int,
        what="agree, disagree or pass",
    )


class StatementForm(forms.Form):
    text = fields.CharField(
        label="Add your own statement",
        hint=(
            f"One idea in {STATEMENT_MAX_LENGTH} characters or fewer, that other people can agree "
            "or disagree with. Do not include anyone's name or health details."
        ),
        max_length=STATEMENT_MAX_LENGTH,
        multiline=True,
        rows=3,
        what="your statement",
    )


class OpenConversationForm(forms.Form):
    question = fields.CharField(
        label="The question",
        hint="What you want people to say what they think about. For example: How should the "
        "hospital make it easier to get to appointments?",
        max_length=200,
        what="the question people will answer",
    )
    about = fields.CharField(
        label="Background (optional)",
        hint="A few sentences that help people answer.",
        required=False,
        multiline=True,
        rows=4,
        max_length=2000,
        what="the background",
    )
    seeds = fields.CharField(
        label="Seed statements",
        hint=(
            "Statements to start the conversation, one on each line. Each is one idea in "
            f"{STATEMENT_MAX_LENGTH} characters or fewer. Write statements people could agree or "
            "disagree with, from different points of view."
        ),
        multiline=True,
        rows=8,
        max_length=5000,
        character_count=False,
        what="at least 3 seed statements",
    )
    closes_on = fields.CharField(
        label="Closing date",
        hint="The last day people can vote. For example, 27 3 2027",
        width=10,
        what="the closing date",
    )

    def clean_closes_on(self) -> datetime.datetime:
        day = parse_day_month_year(self.cleaned_data["closes_on"])
        # Open to the end of the closing day, in the site's time.
        return timezone.make_aware(
            datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
        )

    def clean_seeds(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["seeds"].splitlines() if line.strip()]
        if len(lines) < 3:
            raise forms.ValidationError("Enter at least 3 seed statements, one on each line")
        return lines


class ChangeConversationForm(forms.Form):
    question = fields.CharField(
        label="The question",
        max_length=200,
        what="the question people will answer",
    )
    closes_on = fields.CharField(
        label="Closing date",
        hint="The last day people can vote. For example, 27 3 2027",
        width=10,
        what="the closing date",
    )
    reason = fields.CharField(
        label="Why are you changing it?",
        hint="Everyone can see this in the public log. For example: We moved the meeting.",
        max_length=300,
        what="why you are changing it",
    )

    clean_closes_on = OpenConversationForm.clean_closes_on


class CloseConversationForm(forms.Form):
    reason = fields.CharField(
        label="Why are you closing it now?",
        hint="Everyone will see this on the conversation. For example: The Board has decided.",
        max_length=300,
        what="why you are closing it",
    )


class HideStatementForm(forms.Form):
    reason = fields.CharField(
        label="Why are you hiding it?",
        hint="Everyone will see this in its place. For example: It names a member of staff.",
        max_length=300,
        what="why you are hiding it",
    )
