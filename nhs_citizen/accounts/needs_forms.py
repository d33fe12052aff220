"""Forms for communication needs and requests for other formats (ADR 0036). The services check
everything again: a form only says what is wrong before anything changes."""

from __future__ import annotations

from django import forms

from nhs_citizen.accounts import needs as terms
from nhs_citizen.nhsuk_forms import fields

NO_LANGUAGE = ("", "No, English is fine")


def language_choices(first: tuple[str, str]) -> list[tuple[str, str]]:
    return [first] + [(code, names[0]) for code, names in terms.LANGUAGES.items()]


class CommunicationNeedsForm(forms.Form):
    needs = fields.MultipleChoiceField(
        label="What do you need?",
        required=False,
        choices=[(n.code, n.label) for n in terms.NEEDS],
        hint="Select all that apply. Leave them all empty if you need none of these.",
        what="what you need",
        legend_size="m",
    )
    language = fields.ChoiceField(
        label="Do you need information in another language?",
        required=False,
        widget=forms.Select,
        choices=language_choices(NO_LANGUAGE),
        hint="If your language is not on the list, tell us below.",
        what="a language from the list",
    )
    something_else = fields.CharField(
        label="Is there anything else we should know? (optional)",
        required=False,
        multiline=True,
        rows=3,
        max_length=terms.SOMETHING_ELSE_MAX_LENGTH,
        hint="For example, another language, braille, or a quiet room to take breaks.",
        what="your other needs",
    )

    @classmethod
    def initial_for(cls, record) -> dict:
        if record is None:
            return {}
        return {
            "needs": list(record.needs or ()),
            "language": record.language,
            "something_else": record.something_else,
        }


class FormatRequestForm(forms.Form):
    document = fields.CharField(
        label="Which document or page do you want?",
        max_length=300,
        hint="Give its name or its web address. For example: the information pack for the Assembly Meeting.",
        what="which document or page you want",
    )
    format = fields.ChoiceField(
        label="Which format do you want?",
        choices=list(terms.FORMATS.items()),
        what="the format you want",
        legend_size="m",
    )
    language = fields.ChoiceField(
        label="Which language? (only if you chose another language)",
        required=False,
        widget=forms.Select,
        choices=language_choices(("", "Choose a language")),
        what="the language you want",
    )
    send_by = fields.ChoiceField(
        label="How should we send it?",
        choices=list(terms.SEND_BY.items()),
        hint="We email it to the address you use for NHS Citizen.",
        what="how you want us to send it",
        legend_size="m",
    )
    postal_address = fields.CharField(
        label="Address to post it to (only if you want it posted)",
        required=False,
        multiline=True,
        rows=4,
        max_length=500,
        autocomplete="street-address",
        what="the address to post it to",
        character_count=False,
    )


class MarkSentForm(forms.Form):
    note = fields.CharField(
        label="Note (optional)",
        required=False,
        max_length=300,
        hint="For example: posted first class on Monday.",
        what="the note",
    )
