"""Account forms. allauth's forms are subclassed only to use our words; the NHS.UK form
renderer draws every field."""

from __future__ import annotations

from allauth.account import forms as allauth_forms
from allauth.mfa.base import forms as mfa_base_forms
from allauth.mfa.recovery_codes import forms as recovery_forms
from allauth.mfa.totp import forms as totp_forms
from django import forms

from nhs_citizen.accounts.models import Role
from nhs_citizen.core.models import Icb, Region, Topic
from nhs_citizen.nhsuk_forms import fields

PASSWORD_HINT = "Use at least 10 characters. A few unrelated words together make a strong password."


EMAIL_MESSAGES = {
    "required": "Enter your email address",
    "invalid": "Enter an email address in the correct format, like name@example.com",
}


def _relabel(form: forms.Form, name: str, label: str, hint: str = "", **messages: str) -> None:
    field = form.fields[name]
    field.label = label
    field.help_text = ""
    field.hint = hint
    field.widget.attrs.pop("placeholder", None)
    field.error_messages.update(messages)


class SignInForm(allauth_forms.LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _relabel(self, "login", "Email address", **EMAIL_MESSAGES)
        _relabel(self, "password", "Password", required="Enter your password")


def display_name_field() -> fields.CharField:
    return fields.CharField(
        label="Your name on NHS Citizen",
        max_length=60,
        hint="We show this with what you write. It does not have to be your real name.",
        autocomplete="nickname",
        error_messages={"required": "Enter the name to show with what you write"},
    )


def clean_display_name(value: str) -> str:
    name = " ".join(value.split())
    if len(name) < 2:
        raise forms.ValidationError("Your name must be at least 2 characters long")
    return name


class SignUpForm(allauth_forms.SignupForm):
    display_name = display_name_field()
    field_order = ["display_name", "email", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _relabel(
            self,
            "email",
            "Email address",
            "We will send you a link to confirm it. We never show it to anyone.",
            **EMAIL_MESSAGES,
        )
        _relabel(
            self, "password1", "Create a password", PASSWORD_HINT, required="Create a password"
        )
        _relabel(self, "password2", "Type your password again", required="Type your password again")

    def clean_display_name(self):
        return clean_display_name(self.cleaned_data["display_name"])

    def clean(self):
        cleaned = super().clean()
        # allauth's own wording for this is technical; ours says what to do.
        if "password2" in self.errors:
            self.errors["password2"] = self.error_class(
                ["The passwords do not match. Type the same password twice"]
                if any("same password" in str(e) for e in self.errors["password2"])
                else self.errors["password2"]
            )
        return cleaned


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _relabel(
            self,
            "email",
            "Email address",
            "Use the email address you signed up with.",
            **EMAIL_MESSAGES,
        )


class ResetPasswordKeyForm(allauth_forms.ResetPasswordKeyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _relabel(self, "password1", "New password", PASSWORD_HINT, required="Enter a new password")
        _relabel(
            self,
            "password2",
            "Type your new password again",
            required="Type your new password again",
        )


class ChangePasswordForm(allauth_forms.ChangePasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _relabel(self, "oldpassword", "Current password", required="Enter your current password")
        _relabel(self, "password1", "New password", PASSWORD_HINT, required="Enter a new password")
        _relabel(
            self,
            "password2",
            "Type your new password again",
            required="Type your new password again",
        )


def _code_field(form: forms.Form) -> None:
    field = form.fields["code"]
    field.label = "Security code"
    field.hint = "The 6-digit code from your authenticator app, or one of your backup codes."
    field.width = 10
    field.autocomplete = "one-time-code"
    field.spellcheck = False
    field.widget.attrs.pop("placeholder", None)
    field.widget.attrs["inputmode"] = "numeric"
    field.error_messages["required"] = "Enter the security code"


class SecondFactorForm(mfa_base_forms.AuthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _code_field(self)


class SecondFactorReauthenticateForm(mfa_base_forms.ReauthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _code_field(self)


class ActivateTOTPForm(totp_forms.ActivateTOTPForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _code_field(self)
        self.fields[
            "code"
        ].hint = "Enter the 6-digit code your authenticator app shows for NHS Citizen."


class DeactivateTOTPForm(totp_forms.DeactivateTOTPForm):
    pass


class GenerateRecoveryCodesForm(recovery_forms.GenerateRecoveryCodesForm):
    pass


def area_choices() -> list[tuple[str, str]]:
    """One list of every region and ICB area, each area under its region."""
    choices: list[tuple[str, str]] = [("", "I would rather not say")]
    icbs_by_region: dict[int, list[Icb]] = {}
    for icb in Icb.objects.order_by("name"):
        icbs_by_region.setdefault(icb.region_id, []).append(icb)
    for region in Region.objects.order_by("name"):
        choices.append((f"region:{region.code}", f"{region.name} (the whole region)"))
        for icb in icbs_by_region.get(region.pk, []):
            choices.append((f"icb:{icb.code}", f"{region.name}: {icb.name}"))
    return choices


class ProfileForm(forms.Form):
    display_name = display_name_field()
    area = fields.ChoiceField(
        label="Your area (optional)",
        required=False,
        widget=forms.Select,
        hint="Choose your local NHS area, or your region. We use it to show you flags and people near you.",
    )
    interests = fields.ModelMultipleChoiceField(
        label="What are you interested in? (optional)",
        required=False,
        queryset=Topic.objects.all(),
        hint="Select all that apply. We use these to suggest flags and people who care about the same things.",
        to_field_name="slug",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = area_choices()

    def clean_display_name(self):
        return clean_display_name(self.cleaned_data["display_name"])

    def clean_area(self) -> tuple[Region | None, Icb | None]:
        value = self.cleaned_data.get("area") or ""
        if not value:
            return None, None
        kind, _, code = value.partition(":")
        if kind == "region":
            region = Region.objects.filter(code=code).first()
            if region:
                return region, None
        elif kind == "icb":
            icb = Icb.objects.select_related("region").filter(code=code).first()
            if icb:
                return icb.region, icb
        raise forms.ValidationError("Select your area from the list")

    @staticmethod
    def initial_for(user) -> dict:
        area = ""
        if user.icb_id:
            area = f"icb:{user.icb.code}"
        elif user.region_id:
            area = f"region:{user.region.code}"
        return {
            "display_name": user.display_name,
            "area": area,
            "interests": [topic.slug for topic in user.interests.all()],
        }


class DeleteAccountForm(forms.Form):
    password = fields.PasswordField(
        label="Enter your password to confirm",
        error_messages={"required": "Enter your password to confirm"},
    )
    confirm = fields.BooleanField(
        label="I understand that my account will be deleted and this cannot be undone",
        error_messages={"required": "Confirm that you understand your account will be deleted"},
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("The password is not right")
        return password


class PersonSearchForm(forms.Form):
    q = fields.CharField(
        label="Search by name or email address",
        what="a name or email address",
        required=False,
        max_length=100,
    )


class GrantRoleForm(forms.Form):
    role = fields.ChoiceField(label="Role to give", what="the role to give", choices=Role.choices)
    reason = fields.CharField(
        label="Reason",
        max_length=300,
        multiline=True,
        rows=3,
        hint="For example, appointed to the review panel by the secretariat on 3 March. This is public.",
        error_messages={"required": "Enter the reason for giving this role"},
    )


class RevokeRoleForm(forms.Form):
    """One per role held; the role comes from the button pressed, the prefix keeps ids apart."""

    reason = fields.CharField(
        label="Reason for removing the role",
        max_length=300,
        multiline=True,
        rows=3,
        hint="This is public.",
        error_messages={"required": "Enter the reason for removing this role"},
    )
