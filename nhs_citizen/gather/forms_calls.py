"""Forms for calls for views: opening one, answering one, and publishing what was done."""

from __future__ import annotations

import datetime
import re

from django import forms

from nhs_citizen.core.models import Icb, Organisation, Region
from nhs_citizen.gather.models import QuestionKind, Scope
from nhs_citizen.gather.services import calls as services
from nhs_citizen.gather.services.flags import Place
from nhs_citizen.nhsuk_forms import fields

QUESTION_SLOTS = 5

MONTHS = {
    name: number
    for number in range(1, 13)
    for name in (
        datetime.date(2000, number, 1).strftime("%B").lower(),
        datetime.date(2000, number, 1).strftime("%b").lower(),
    )
}
DATE_HINT = "The last day people can answer. For example, 27 3 2027"
DATE_ERROR = "Enter the closing date as a day, month and year, for example 27 3 2027"


def parse_day_month_year(value: str) -> datetime.date:
    """Read a date written as people write it: 27 3 2027, 27/03/2027, 27-3-2027, 27 March 2027,
    or 2027-03-27."""
    parts = [part for part in re.split(r"[\s/.,-]+", value.strip().lower()) if part]
    if len(parts) == 3 and len(parts[0]) == 4 and parts[0].isdigit():
        parts = [parts[2], parts[1], parts[0]]  # 2027-03-27
    if len(parts) != 3:
        raise forms.ValidationError(DATE_ERROR)
    day, month, year = parts
    if not month.isdigit():
        month = str(MONTHS.get(month, ""))
    if not (day.isdigit() and month.isdigit() and year.isdigit() and len(year) == 4):
        raise forms.ValidationError(DATE_ERROR)
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError as error:
        raise forms.ValidationError("The closing date must be a real date") from error


class OpenCallForm(forms.Form):
    organisation = fields.ModelChoiceField(
        label="Which organisation is asking?",
        queryset=Organisation.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the organisation that is asking"},
    )
    title = fields.CharField(
        label="Title",
        max_length=services.MAX_TITLE_LENGTH,
        hint="Say in a few words what you are asking about. For example, Changes to GP opening hours in Leeds",
        error_messages={"required": "Enter a title"},
    )
    background = fields.CharField(
        label="Background",
        multiline=True,
        rows=8,
        max_length=services.MAX_TEXT_LENGTH,
        hint="Say what you plan to do and why, and how you will use people's answers.",
        error_messages={
            "required": "Enter the background",
            "max_length": "The background must be 5,000 characters or fewer",
        },
    )
    scope = fields.ChoiceField(
        label="Where does this call for views apply?",
        choices=Scope.choices,
        legend_size="m",
        error_messages={"required": "Select where this call for views applies"},
    )
    region = fields.ModelChoiceField(
        label="NHS region",
        required=False,
        queryset=Region.objects.all(),
        to_field_name="code",
        empty_label="Select a region",
        widget=forms.Select,
        hint="If you chose an NHS region.",
    )
    icb = fields.ModelChoiceField(
        label="Local NHS area (ICB)",
        required=False,
        queryset=Icb.objects.select_related("region"),
        to_field_name="code",
        empty_label="Select a local NHS area",
        widget=forms.Select,
        hint="If you chose a local NHS area. You can also choose one for a town, city or place.",
    )
    place_name = fields.CharField(
        label="Town, city or place",
        required=False,
        max_length=100,
        hint="If you chose a town, city or place. For example, Hull",
        error_messages={"max_length": "The name of the place must be 100 characters or fewer"},
    )
    closes_on = fields.CharField(
        label="Closing date",
        hint=DATE_HINT,
        width=10,
        error_messages={"required": "Enter the closing date"},
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = list(organisations)
        if len(self.organisations) > 1:
            field = self.fields["organisation"]
            field.queryset = Organisation.objects.filter(
                pk__in=[organisation.pk for organisation in self.organisations]
            ).order_by("name")
            field.error_messages["invalid_choice"] = "Select an organisation you answer for"
        else:
            # Someone who answers for one body does not need to choose it.
            del self.fields["organisation"]
        for number in range(1, QUESTION_SLOTS + 1):
            self.fields[f"question_{number}_text"] = fields.CharField(
                label=f"Question {number}",
                required=False,
                max_length=services.MAX_QUESTION_LENGTH,
                hint="Leave the questions you do not need empty." if number == 1 else None,
                error_messages={
                    "max_length": f"Question {number} must be {services.MAX_QUESTION_LENGTH} characters or fewer"
                },
            )
            self.fields[f"question_{number}_kind"] = fields.ChoiceField(
                label=f"How do people answer question {number}?",
                required=False,
                choices=QuestionKind.choices,
                initial=QuestionKind.FREE_TEXT,
                item_hints={
                    QuestionKind.FREE_TEXT: "People write their own answer.",
                    QuestionKind.CHOICE: "People choose one option from a list you give.",
                },
            )
            self.fields[f"question_{number}_choices"] = fields.CharField(
                label=f"Options for question {number}",
                required=False,
                multiline=True,
                rows=4,
                hint=f"Only if people choose one. Write each option on its own line. Give between {services.MIN_OPTIONS} and {services.MAX_OPTIONS} options.",
            )

    def question_numbers(self) -> range:
        return range(1, QUESTION_SLOTS + 1)

    def clean_closes_on(self) -> datetime.date:
        return parse_day_month_year(self.cleaned_data["closes_on"])

    def clean(self):
        cleaned = super().clean()
        self.questions: list[tuple[str, str, list[str]]] = []
        for number in self.question_numbers():
            text = cleaned.get(f"question_{number}_text") or ""
            kind = cleaned.get(f"question_{number}_kind") or ""
            options = (cleaned.get(f"question_{number}_choices") or "").splitlines()
            if not text.strip() and not any(option.strip() for option in options):
                if f"question_{number}_text" not in self.errors:
                    continue  # an empty slot
            try:
                self.questions.append(services.clean_question(number, text, kind, options))
            except forms.ValidationError as error:
                for part, messages in error.message_dict.items():
                    name = f"question_{number}_{part}"
                    if name not in self.errors:
                        self.add_error(name, messages)
        if not self.questions and not any(name.startswith("question_") for name in self.errors):
            self.add_error("question_1_text", "Enter at least one question")
        return cleaned

    def chosen_organisation(self):
        if "organisation" in self.fields:
            return self.cleaned_data["organisation"]
        return self.organisations[0]

    def place(self) -> Place:
        data = self.cleaned_data
        return Place(
            scope=data["scope"],
            region=data.get("region"),
            icb=data.get("icb"),
            place_name=data.get("place_name") or "",
        )


class AnswerCallForm(forms.Form):
    """One field per question, named by the question's id so service errors land on it."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for number, question in enumerate(self.questions, start=1):
            label = f"Question {number}: {question.text}"
            name = services.answer_field_name(question)
            if question.kind == QuestionKind.CHOICE:
                self.fields[name] = fields.ChoiceField(
                    label=label,
                    choices=[(option, option) for option in question.choices],
                    legend_size="m",
                    error_messages={"required": f"Select an answer to question {number}"},
                )
                self.fields[name].error_messages["invalid_choice"] = (
                    f"Select one of the options for question {number}"
                )
            else:
                self.fields[name] = fields.CharField(
                    label=label,
                    multiline=True,
                    rows=5,
                    max_length=services.MAX_TEXT_LENGTH,
                    label_classes="nhsuk-label--m",
                    error_messages={
                        "required": f"Enter your answer to question {number}",
                        "max_length": f"Your answer to question {number} must be 5,000 characters or fewer",
                    },
                )

    def answers(self) -> dict[int, str]:
        return {
            question.pk: self.cleaned_data.get(services.answer_field_name(question), "")
            for question in self.questions
        }


class PublishOutcomeForm(forms.Form):
    we_asked = fields.CharField(
        label="We asked",
        multiline=True,
        rows=5,
        max_length=services.MAX_TEXT_LENGTH,
        label_classes="nhsuk-label--m",
        hint="Remind people what you asked about and why.",
        error_messages={
            "required": "Enter what you asked",
            "max_length": "What you asked must be 5,000 characters or fewer",
        },
    )
    you_said = fields.CharField(
        label="You said",
        multiline=True,
        rows=8,
        max_length=services.MAX_TEXT_LENGTH,
        label_classes="nhsuk-label--m",
        hint="Sum up what people told you. Do not name anyone.",
        error_messages={
            "required": "Enter what people said",
            "max_length": "What people said must be 5,000 characters or fewer",
        },
    )
    we_did = fields.CharField(
        label="We did",
        multiline=True,
        rows=8,
        max_length=services.MAX_TEXT_LENGTH,
        label_classes="nhsuk-label--m",
        hint="Say what you did, or will do, because of what people said. If you will not change anything, say why.",
        error_messages={
            "required": "Enter what you did",
            "max_length": "What you did must be 5,000 characters or fewer",
        },
    )
