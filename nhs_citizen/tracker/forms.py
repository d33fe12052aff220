"""Forms for the tracker. Every field is an NHS.UK field; the services check everything again."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.forms.utils import ErrorDict

from nhs_citizen.assembly.models import Cycle
from nhs_citizen.core.models import Organisation, Topic
from nhs_citizen.gather.forms_calls import parse_day_month_year
from nhs_citizen.nhsuk_forms import fields
from nhs_citizen.tracker.models import BoardOutcome, Commitment, CommitmentStatus, Verdict
from nhs_citizen.tracker.queries import RESPONSE_KINDS, STATUS_FILTERS
from nhs_citizen.tracker.services import commitments as services
from nhs_citizen.tracker.services.commitments import CommitmentDraft

DATE_EXAMPLE = "For example, 31 3 2027"
MAX_COMMITMENT_SLOTS = 20


class DateField(fields.CharField):
    """A date written as people write it (31 3 2027, 31/03/2027, 31 March 2027). ``called``
    names it in error messages, for example "the due date of commitment 2"."""

    def __init__(self, *args: Any, called: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("width", 10)
        super().__init__(*args, **kwargs)
        self.called = called or f"the {str(self.label or 'date').lower()}"

    def to_python(self, value: Any) -> datetime.date | None:
        if isinstance(value, datetime.date):
            return value
        value = super().to_python(value)
        if not value:
            return None
        try:
            return parse_day_month_year(value)
        except ValidationError as error:
            if "real date" in " ".join(error.messages):
                called = self.called[0].upper() + self.called[1:]
                raise ValidationError(f"{called} must be a real date") from error
            raise ValidationError(
                f"Enter {self.called} as a day, month and year, for example 31 3 2027"
            ) from error


# Finding commitments -------------------------------------------------------------------------


class TrackerFilterForm(forms.Form):
    """The tracker's filters: a GET form that works without JavaScript."""

    body = fields.ModelChoiceField(
        label="Body",
        required=False,
        queryset=Organisation.objects.none(),
        to_field_name="slug",
        empty_label="All bodies",
        widget=forms.Select,
    )
    status = fields.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), *STATUS_FILTERS],
        widget=forms.Select,
    )
    cycle = fields.ModelChoiceField(
        label="Assembly cycle",
        required=False,
        queryset=Cycle.objects.none(),
        to_field_name="slug",
        empty_label="All cycles",
        widget=forms.Select,
    )
    topic = fields.ModelChoiceField(
        label="Topic",
        required=False,
        queryset=Topic.objects.none(),
        to_field_name="slug",
        empty_label="All topics",
        widget=forms.Select,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only choices that find something: bodies from their stored figures, cycles and
        # topics by looking up one commitment each on an index (never every commitment).
        self.fields["body"].queryset = Organisation.objects.filter(
            commitment_summary__total__gt=0
        ).order_by("name")
        self.fields["cycle"].queryset = Cycle.objects.filter(
            Exists(Commitment.objects.filter(cycle=OuterRef("pk")))
        ).order_by("-flag_cutoff")
        self.fields["topic"].queryset = Topic.objects.filter(
            Exists(Commitment.objects.filter(topic=OuterRef("pk")))
        ).order_by("name")

    def filters(self) -> dict[str, Any]:
        """The valid choices; a choice that is not valid is ignored (and shown as an error)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v}


class ResponseFilterForm(forms.Form):
    kind = fields.ChoiceField(
        label="Kind of response",
        required=False,
        choices=[("", "Every kind"), *RESPONSE_KINDS],
        widget=forms.Select,
    )
    body = fields.ModelChoiceField(
        label="Body",
        required=False,
        queryset=Organisation.objects.public_bodies().order_by("name"),
        to_field_name="slug",
        empty_label="All bodies",
        widget=forms.Select,
    )

    def filters(self) -> dict[str, Any]:
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v}


# Commitments ---------------------------------------------------------------------------------


def _commitment_fields(prefix: str, number: int | None, with_organisation: bool) -> dict:
    """The fields of one commitment. With a ``number``, it is one of several: each sits in a
    fieldset named "Commitment <number>", and its errors say which one they are about."""
    single = number is None
    said = "" if single else f"Commitment {number}: "
    # Hints once, on the first commitment: the others are the same.
    first = number in (None, 1)
    result = {
        f"{prefix}what": fields.CharField(
            label="What will be done",
            required=single,
            max_length=services.MAX_WHAT,
            hint="One clear action, in plain words. For example, Publish waiting times for "
            "every GP practice each month."
            if first
            else None,
            error_messages={
                "required": "Enter what will be done",
                "max_length": f"{said}what will be done must be {services.MAX_WHAT} characters or fewer".capitalize(),
            },
        ),
        f"{prefix}detail": fields.CharField(
            label="More detail (optional)",
            required=False,
            multiline=True,
            rows=3,
            max_length=services.MAX_DETAIL,
            character_count=False,
            error_messages={
                "max_length": f"{said}the detail must be 5,000 characters or fewer".capitalize()
            },
        ),
        f"{prefix}owner": fields.CharField(
            label="Who owns it",
            required=single,
            max_length=services.MAX_OWNER,
            hint="A named team or role, not a person. For example, Director of Primary Care."
            if first
            else None,
            error_messages={
                "required": "Enter the team or role that owns it",
                "max_length": f"{said}the owner must be {services.MAX_OWNER} characters or fewer".capitalize(),
            },
        ),
    }
    if with_organisation:
        result[f"{prefix}organisation"] = fields.ModelChoiceField(
            label="Which body will do it",
            required=False,
            queryset=Organisation.objects.public_bodies().order_by("name"),
            to_field_name="slug",
            empty_label=None,
            widget=forms.Select,
        )
    result[f"{prefix}due_date"] = DateField(
        label="Due date",
        required=single,
        hint=DATE_EXAMPLE,
        called="the due date" if single else f"the due date of commitment {number}",
        error_messages={"required": "Enter the date it is due"},
    )
    return result


def _add_errors_from(
    form: forms.Form, error: ValidationError, prefix: str = "", number: int | None = None
) -> None:
    for field, messages in error.message_dict.items():
        name = f"{prefix}{field}"
        if name in form.fields and name not in form.errors:
            if number is not None:
                messages = [f"Commitment {number}: {m[0].lower()}{m[1:]}" for m in messages]
            form.add_error(name, messages)


class BoardResponseForm(forms.Form):
    """The Board's response and its commitments. "Add another commitment" posts the form back
    with one more empty commitment, so it works without JavaScript."""

    outcome = fields.ChoiceField(
        label="What will the Board do?",
        choices=BoardOutcome.choices,
        legend_size="m",
        error_messages={"required": "Select what the Board will do"},
    )
    summary = fields.CharField(
        label="The response in one sentence",
        max_length=300,
        hint="This is what people see first, on the tracker and in the e-mail we send them.",
        error_messages={"required": "Enter the response in one sentence"},
    )
    reasons = fields.CharField(
        label="The Board's reasons",
        multiline=True,
        rows=8,
        max_length=10000,
        hint="Say what the Board heard, what it decided and why. Everything here is published.",
        error_messages={
            "required": "Enter the Board's reasons",
            "max_length": "The reasons must be 10,000 characters or fewer",
        },
    )
    commitment_count = forms.IntegerField(widget=forms.HiddenInput, min_value=1, initial=1)

    def __init__(self, *args: Any, nhs_england: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.nhs_england = nhs_england
        count = 1
        if self.is_bound:
            try:
                count = int(self.data.get("commitment_count") or 1)
            except ValueError:
                count = 1
            if self.data.get("action") == "add":
                count += 1
        self.slots = max(1, min(count, MAX_COMMITMENT_SLOTS))
        for number in self.commitment_numbers():
            for name, field in _commitment_fields(f"commitment_{number}_", number, True).items():
                self.fields[name] = field
            self.fields[f"commitment_{number}_organisation"].initial = nhs_england.slug
        if self.is_bound:
            self.data = self.data.copy()
            self.data["commitment_count"] = str(self.slots)
            for number in self.commitment_numbers():
                # A commitment just added is NHS England's until the Board chooses otherwise.
                self.data.setdefault(f"commitment_{number}_organisation", nhs_england.slug)
        self.initial["commitment_count"] = self.slots

    def without_errors(self) -> BoardResponseForm:
        """Shown again with one more commitment: nothing has been checked yet."""
        self._errors = ErrorDict()
        self.cleaned_data = {}
        return self

    def commitment_numbers(self) -> range:
        return range(1, self.slots + 1)

    def can_add_more(self) -> bool:
        return self.slots < MAX_COMMITMENT_SLOTS

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.drafts: list[CommitmentDraft] = []
        for number in self.commitment_numbers():
            prefix = f"commitment_{number}_"
            raw = [
                self.data.get(prefix + part, "").strip()
                for part in ("what", "detail", "owner", "due_date")
            ]
            if not any(raw):
                continue  # an empty commitment is left out
            draft = CommitmentDraft(
                what=cleaned.get(prefix + "what") or "",
                detail=cleaned.get(prefix + "detail") or "",
                owner=cleaned.get(prefix + "owner") or "",
                organisation=cleaned.get(prefix + "organisation") or self.nhs_england,
                due_date=cleaned.get(prefix + "due_date"),
            )
            if prefix + "due_date" in self.errors:
                # The date could not be read (and says so): check the rest of it all the same.
                draft = CommitmentDraft(
                    draft.what, draft.owner, datetime.date.max, draft.detail, draft.organisation
                )
            try:
                self.drafts.append(
                    services.clean_commitment(draft, default_organisation=self.nhs_england)
                )
            except ValidationError as error:
                _add_errors_from(self, error, prefix, number)
        if (
            not self.drafts
            and cleaned.get("outcome") in (BoardOutcome.WILL_ACT, BoardOutcome.IN_PART)
            and not any(name.startswith("commitment_") for name in self.errors)
        ):
            self.add_error(
                "commitment_1_what",
                "Enter at least one commitment: what the Board will do, who owns it and by when. "
                "Only a response that says the Board will not act can have none",
            )
        return cleaned

    def service_error(self, error: ValidationError) -> None:
        """Put a service's errors on the fields they name."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, messages in error.message_dict.items():
            name = "commitment_1_what" if field == "commitments" else field
            self.add_error(name if name in self.fields else None, messages)


class CommitmentForm(forms.Form):
    """One commitment added to a body's answer: the body is the one that answered."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(_commitment_fields("", None, False))

    def clean_due_date(self) -> datetime.date | None:
        due_date = self.cleaned_data.get("due_date")
        try:
            services.check_due_date(due_date)
        except ValidationError as error:
            raise ValidationError(error.message_dict["due_date"]) from error
        return due_date

    def draft(self) -> CommitmentDraft:
        data = self.cleaned_data
        return CommitmentDraft(
            what=data["what"], owner=data["owner"], due_date=data["due_date"], detail=data["detail"]
        )


class CommitmentUpdateForm(forms.Form):
    status = fields.ChoiceField(
        label="Where has it got to?",
        # Withdrawing has its own form, with a public reason.
        choices=[c for c in CommitmentStatus.choices if c[0] != CommitmentStatus.WITHDRAWN],
        legend_size="m",
        item_hints={
            CommitmentStatus.NOT_DONE: "It will not be done. Say why below: the reasons are published.",
        },
        error_messages={"required": "Select where the commitment has got to"},
    )
    note = fields.CharField(
        label="What has happened",
        multiline=True,
        rows=5,
        max_length=services.MAX_NOTE,
        hint="Say what has been done since the last update, and what happens next.",
        error_messages={
            "required": "Enter what has happened",
            "max_length": "Enter what has happened in 5,000 characters or fewer",
        },
    )
    reasons = fields.CharField(
        label="If it will not be done: why not",
        required=False,
        multiline=True,
        rows=4,
        max_length=services.MAX_REASONS,
        hint="You must give reasons if you choose “Not done”.",
        error_messages={"max_length": "The reasons must be 3,000 characters or fewer"},
    )
    evidence_title = fields.CharField(
        label="Evidence: what it is (optional)",
        what="what the evidence is",
        required=False,
        max_length=services.MAX_EVIDENCE_TITLE,
        hint="For example, Board paper, March 2027",
    )
    evidence_url = fields.URLField(
        label="Evidence: web address (optional)",
        what="the web address of the evidence",
        required=False,
        max_length=500,
        hint="A link to a public page that shows what was done.",
    )
    due_date = DateField(
        label="New due date (optional)",
        required=False,
        hint="Only if the due date has to move. The old date stays on show. " + DATE_EXAMPLE,
    )

    def __init__(self, *args: Any, commitment, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("status", commitment.status)
        super().__init__(*args, **kwargs)
        self.commitment = commitment

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("status") == CommitmentStatus.NOT_DONE and not cleaned.get("reasons"):
            if "reasons" not in self.errors:
                self.add_error(
                    "reasons", "Enter why it was not done. The reasons will be published"
                )
        return cleaned


class ReflectionForm(forms.Form):
    verdict = fields.ChoiceField(
        label="Does the Board's response reflect what you said?",
        choices=Verdict.choices,
        legend_size="m",
        inline=True,
        error_messages={"required": "Select whether the response reflects what you said"},
    )
    comment = fields.CharField(
        label="Anything you want to add (optional)",
        required=False,
        multiline=True,
        rows=4,
        max_length=2000,
        hint="Your comment is published without your name. Do not include anyone's name or health details.",
        error_messages={"max_length": "Your comment must be 2,000 characters or fewer"},
    )


class WithdrawCommitmentForm(forms.Form):
    """Withdraw a commitment, with the reason people will read."""

    reason = fields.CharField(
        label="Why is it withdrawn?",
        multiline=True,
        rows=5,
        max_length=services.MAX_REASONS,
        hint="For example, it was added to the wrong flag, or another body now owns the work. "
        "This is published on the tracker and the flag, and everyone behind the flag is told.",
        error_messages={
            "required": "Enter why the commitment is withdrawn. It will be published",
            "max_length": "The reason must be 3,000 characters or fewer",
        },
    )
