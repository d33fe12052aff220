"""Forms for the Assembly: a cycle's dates, the priority vote, and the jury."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.text import Truncator

from nhs_citizen.assembly.services.cycles import MAX_CHOICES_LIMIT
from nhs_citizen.nhsuk_forms import fields
from nhs_citizen.nhsuk_forms.parsing import parse_date, parse_time

DATE_HINT = "For example, 27 3 2027"
TIME_HINT = "UK time. For example, 17:00 or 5pm"

# The form's fields for each of the cycle's dates: (field, label, what it is in messages).
MOMENTS = [
    ("flag_cutoff", "Flag cut-off", "the flag cut-off"),
    ("vote_opens", "The vote opens", "when the vote opens"),
    ("vote_closes", "The vote closes", "when the vote closes"),
]
DAYS = [
    ("jury_date", "The citizens' jury meets on", "the day the jury meets"),
    ("meeting_date", "Assembly Meeting", "the day of the Assembly Meeting"),
    (
        "response_due",
        "The Board's written response is due by",
        "the day the Board's response is due",
    ),
    ("stocktake_date", "Stock-take", "the day of the stock-take"),
]


def _date_text(value: datetime.date) -> str:
    return f"{value.day} {value.month} {value.year}"


class CycleForm(forms.Form):
    name = fields.CharField(
        label="Name of the cycle",
        what="a name for the cycle",
        max_length=100,
        hint="For example, Spring 2027",
        error_messages={"required": "Enter a name for the cycle, for example Spring 2027"},
    )
    max_choices = fields.IntegerField(
        label="How many flags can each voter choose?",
        min_value=1,
        max_value=MAX_CHOICES_LIMIT,
        initial=5,
        width=2,
        error_messages={
            "required": "Enter how many flags each voter can choose",
            "min_value": "Each voter must be able to choose at least 1 flag",
            "max_value": f"Each voter can choose at most {MAX_CHOICES_LIMIT} flags",
        },
    )
    reasons = fields.CharField(
        label="Why is the cycle changing?",
        multiline=True,
        rows=3,
        max_length=3000,
        required=False,
        hint="This is published with the change.",
    )

    def __init__(self, data=None, *args, cycle=None, **kwargs):
        if cycle is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(cycle)
        super().__init__(data, *args, **kwargs)
        self.cycle = cycle
        if cycle is None:
            del self.fields["reasons"]
        else:
            self.fields["reasons"].required = True
            self.fields["reasons"].error_messages["required"] = (
                "Enter why the cycle is changing. Your reasons are published"
            )
        for name, label, what in MOMENTS:
            self.fields[f"{name}_date"] = fields.CharField(
                label=f"{label}: date",
                hint=DATE_HINT,
                width=10,
                error_messages={"required": f"Enter the date of {what}"},
            )
            self.fields[f"{name}_time"] = fields.CharField(
                label=f"{label}: time",
                hint=TIME_HINT,
                width=5,
                initial="17:00",
                error_messages={"required": f"Enter the time of {what}"},
            )
        for name, label, what in DAYS:
            self.fields[name] = fields.CharField(
                label=label,
                hint=DATE_HINT,
                width=10,
                error_messages={"required": f"Enter {what}"},
            )
        order = ["name"]
        order += [f"{n}_{p}" for n, _, _ in MOMENTS for p in ("date", "time")]
        order += [n for n, _, _ in DAYS] + ["max_choices", "reasons"]
        self.order_fields(order)

    @staticmethod
    def initial_for(cycle) -> dict:
        initial = {"name": cycle.name, "max_choices": cycle.max_choices}
        for name, _, _ in MOMENTS:
            local = timezone.localtime(getattr(cycle, name))
            initial[f"{name}_date"] = _date_text(local.date())
            initial[f"{name}_time"] = local.strftime("%H:%M")
        for name, _, _ in DAYS:
            initial[name] = _date_text(getattr(cycle, name))
        return initial

    def clean(self):
        cleaned = super().clean()
        self.values: dict = {}
        for name, _, what in MOMENTS:
            date_text, time_text = cleaned.get(f"{name}_date"), cleaned.get(f"{name}_time")
            try:
                date = parse_date(date_text, f"the date of {what}") if date_text else None
            except forms.ValidationError as error:
                self.add_error(f"{name}_date", error)
                date = None
            try:
                time = parse_time(time_text, f"the time of {what}") if time_text else None
            except forms.ValidationError as error:
                self.add_error(f"{name}_time", error)
                time = None
            if date and time:
                self.values[name] = timezone.make_aware(datetime.datetime.combine(date, time))
        for name, _, what in DAYS:
            if text := cleaned.get(name):
                try:
                    self.values[name] = parse_date(text, what)
                except forms.ValidationError as error:
                    self.add_error(name, error)
        return cleaned

    def cycle_data(self) -> dict:
        return {
            "name": self.cleaned_data["name"],
            "max_choices": self.cleaned_data["max_choices"],
            **self.values,
        }

    # Where each of the service's errors goes on the form.
    ERROR_FIELDS = {
        "flag_cutoff": "flag_cutoff_date",
        "vote_opens": "vote_opens_date",
        "vote_closes": "vote_closes_date",
    }

    def add_service_errors(self, error) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, messages in error.message_dict.items():
            target = self.ERROR_FIELDS.get(key, key)
            self.add_error(target if target in self.fields else None, messages)


class VoteForm(forms.Form):
    def __init__(self, *args, cycle, entries, labels: bool = True, **kwargs):
        """``labels=False`` checks a sent ballot against the entries' numbers alone (the
        entries need no flag then); the form cannot be shown."""
        super().__init__(*args, **kwargs)
        self.max_choices = cycle.max_choices
        self.entries = entries
        self.fields["entries"] = fields.MultipleChoiceField(
            label=f"Choose up to {cycle.max_choices} flags",
            legend_size="m",
            hint="Choose the flags you most want the Assembly to talk about. You can change your choice until the vote closes.",
            choices=[(str(e.pk), _entry_label(e) if labels else "") for e in entries],
            item_hints={
                str(e.pk): Truncator(e.flag.what_should_change).words(30)
                for e in entries
                if labels and not e.flag.is_hidden
            },
            error_messages={"required": "Select at least one flag"},
        )

    def clean_entries(self):
        chosen = self.cleaned_data["entries"]
        if len(chosen) > self.max_choices:
            raise forms.ValidationError(
                f"Choose up to {self.max_choices} flags. You chose {len(chosen)}"
            )
        return [int(pk) for pk in chosen]


def _entry_label(entry) -> str:
    if entry.flag.is_hidden:
        return f"Flag {entry.flag_id} (hidden by a moderator)"
    return entry.flag.title


class JuryPanelForm(forms.Form):
    panel = fields.ModelChoiceField(
        label="Which panel is this cycle's citizens' jury?",
        queryset=None,
        empty_label="Select a jury panel",
        widget=forms.Select,
        error_messages={"required": "Select the panel that is this cycle's jury"},
    )

    def __init__(self, *args, panels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["panel"].queryset = panels


class JuryChoicesForm(forms.Form):
    """For each flag sent to the jury: chosen or not, and the jury's reasons."""

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.entries = list(entries)
        for entry in self.entries:
            title = _entry_label(entry)
            self.fields[f"chosen_{entry.pk}"] = fields.ChoiceField(
                label=f"Number {entry.place}: {title}",
                legend_size="m",
                hint=f"{entry.votes} vote{'s' if entry.votes != 1 else ''}",
                choices=[("yes", "Chosen for the Assembly Meeting"), ("no", "Not chosen")],
                error_messages={
                    "required": f"Select whether the jury chose number {entry.place}, “{title}”"
                },
            )
            self.fields[f"reasons_{entry.pk}"] = fields.CharField(
                label=f"The jury's reasons on number {entry.place}",
                multiline=True,
                rows=3,
                max_length=3000,
                error_messages={
                    "required": f"Enter the jury's reasons for number {entry.place}, “{title}”",
                    "max_length": "The reasons must be 3,000 characters or fewer",
                },
            )

    def rows(self):
        return [
            (entry, self[f"chosen_{entry.pk}"], self[f"reasons_{entry.pk}"])
            for entry in self.entries
        ]

    def choices(self) -> dict[int, tuple[bool | None, str]]:
        return {
            entry.pk: (
                {"yes": True, "no": False}.get(self.cleaned_data.get(f"chosen_{entry.pk}")),
                self.cleaned_data.get(f"reasons_{entry.pk}") or "",
            )
            for entry in self.entries
        }

    def add_service_errors(self, error) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, messages in error.message_dict.items():
            self.add_error(key if key in self.fields else None, messages)


class MoveOnForm(forms.Form):
    reasons = fields.CharField(
        label="Anything to add? (optional)",
        multiline=True,
        rows=3,
        max_length=3000,
        required=False,
        hint="This is published with the decision on the cycle's page.",
    )


# Paper ballots (ADR 0034) ---------------------------------------------------------------------


class _ServiceErrors:
    def add_service_errors(self, error) -> None:
        from nhs_citizen.nhsuk_forms.errors import add_service_errors

        add_service_errors(self, error)


class IssueToAccountForm(_ServiceErrors, forms.Form):
    email = fields.EmailField(
        label="Email address of their NHS Citizen account",
        what="the email address of the person's account",
        hint="For someone with an account who cannot vote online. We check they can vote in this cycle.",
        max_length=254,
    )


class IssueToOfflineForm(_ServiceErrors, forms.Form):
    offline_voter = fields.ModelChoiceField(
        label="Person on the list of paper voters",
        what="the person to send the paper to",
        queryset=None,
        empty_label="Select a person",
        widget=forms.Select,
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offline_voter"].queryset = people
        self.fields["offline_voter"].label_from_instance = lambda person: (
            f"{person.full_name}, {person.postcode} ({person.reference})"
        )


class OfflineVoterForm(_ServiceErrors, forms.Form):
    full_name = fields.CharField(label="Full name", what="the person's full name", max_length=200)
    postal_address = fields.CharField(
        label="Address",
        what="the address to post the ballot paper to",
        multiline=True,
        rows=3,
        max_length=500,
        hint="Where the ballot paper goes. Do not include the postcode here.",
    )
    postcode = fields.CharField(label="Postcode", what="the postcode", max_length=10, width=10)


class EnterPaperForm(_ServiceErrors, forms.Form):
    number = fields.CharField(
        label="Ballot paper number",
        what="the number printed at the top of the ballot paper",
        hint="Printed at the top of the paper, like 3-00012-2",
        max_length=20,
        width=10,
    )

    def __init__(self, *args, cycle, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_choices = cycle.max_choices
        self.fields["entries"] = fields.MultipleChoiceField(
            label="Flags marked on the paper",
            what="the flags marked on the paper",
            legend_size="m",
            hint=f"Select every flag marked on the paper. A paper can choose up to {cycle.max_choices}.",
            choices=[(str(e.pk), _entry_label(e)) for e in entries],
        )

    def clean_entries(self):
        return [int(pk) for pk in self.cleaned_data["entries"]]


class CancelPaperForm(_ServiceErrors, forms.Form):
    reason = fields.CharField(
        label="Why is the paper being cancelled?",
        what="why the paper is being cancelled",
        multiline=True,
        rows=3,
        max_length=1000,
        hint="For example, lost in the post. This is kept in the audit log.",
        error_messages={"max_length": "Say why in 1,000 characters or fewer"},
    )
    reissue = fields.ChoiceField(
        label="Send them a new paper?",
        what="whether to send a new paper",
        legend_size="s",
        choices=[
            ("yes", "Yes, send a new paper with a new number"),
            ("no", "No. They can vote online instead, if they can"),
        ],
    )
