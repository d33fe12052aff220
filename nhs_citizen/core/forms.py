from django import forms

from nhs_citizen.core.models import Membership, OrganisationType, Region
from nhs_citizen.nhsuk_forms import fields


class OrganisationSearchForm(forms.Form):
    q = fields.CharField(
        what="the name to search for", label="Search by name", required=False, max_length=100
    )
    type = fields.ChoiceField(
        label="Type of organisation",
        required=False,
        choices=[("", "All types"), *OrganisationType.choices],
        widget=forms.Select,
    )
    region = fields.ModelChoiceField(
        label="Region",
        required=False,
        queryset=Region.objects.all(),
        to_field_name="slug",
        empty_label="All of England",
        widget=forms.Select,
    )


class MembershipRequestForm(forms.Form):
    role = fields.ChoiceField(
        label="How do you act for this organisation?",
        choices=Membership.Role.choices,
        item_hints={
            Membership.Role.MEMBER: "You speak for the organisation, for example as a member of staff or a volunteer.",
            Membership.Role.RESPONDER: "You answer flags and calls for views for this NHS or public body, as part of your job.",
        },
        error_messages={"required": "Select how you act for this organisation"},
    )
    job_title = fields.CharField(
        label="Your job title or role there",
        max_length=100,
        hint="For example, Patient experience lead. We use this to check your request.",
        error_messages={"required": "Enter your job title or role"},
    )


class DecisionForm(forms.Form):
    decision = fields.ChoiceField(
        label="Your decision",
        choices=[("confirm", "Confirm this person"), ("decline", "Decline this request")],
        error_messages={"required": "Select confirm or decline"},
        inline=True,
    )
    reason = fields.CharField(
        label="Reason",
        what="the reason",
        required=False,
        multiline=True,
        max_length=500,
        rows=3,
        hint="Needed if you decline. The person will see it.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "decline" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Enter the reason you are declining this request")
        return cleaned
