from django.forms.renderers import DjangoTemplates

from nhs_citizen.nhsuk_forms.bound_field import NHSUKBoundField


class NHSUKFormRenderer(DjangoTemplates):
    """Gives every form in the project (ours and third-party ones) NHS.UK bound fields."""

    bound_field_class = NHSUKBoundField
