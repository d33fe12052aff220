"""The e-mail settings form: one question per kind of message."""

from __future__ import annotations

from django import forms

from nhs_citizen.nhsuk_forms import fields
from nhs_citizen.notifications.kinds import KIND_HINTS, Delivery, Kind


class EmailSettingsForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in Kind:
            message = f"Select how often we email you about {kind.label.lower()}"
            field = fields.ChoiceField(
                label=kind.label,
                legend=kind.label,
                hint=KIND_HINTS[kind],
                choices=Delivery.choices,
                legend_size="m",
                error_messages={"required": message},
            )
            field.error_messages["invalid_choice"] = message
            self.fields[kind.value] = field
