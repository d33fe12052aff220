from django import forms

from nhs_citizen.moderation.models import ReportReason
from nhs_citizen.moderation.services import DETAILS_MAX_LENGTH, PUBLIC_REASON_MAX_LENGTH
from nhs_citizen.nhsuk_forms import fields


class ReportForm(forms.Form):
    reason = fields.ChoiceField(
        label="Which house rule does it break?",
        choices=ReportReason.choices,
        legend_size="m",
        error_messages={"required": "Select why you are reporting this"},
    )
    details = fields.CharField(
        label="Tell us what is wrong with it",
        required=False,
        multiline=True,
        max_length=DETAILS_MAX_LENGTH,
        rows=4,
        hint=(
            "You only need to fill this in if you chose Something else. "
            "Only moderators will see what you write here."
        ),
        error_messages={
            "max_length": f"What is wrong with it must be {DETAILS_MAX_LENGTH:,} characters or fewer"
        },
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("reason") == ReportReason.OTHER
            and not (cleaned.get("details") or "").strip()
        ):
            self.add_error("details", "Enter what is wrong with it")
        return cleaned


# What a moderator can decide, by the state the item is in.
HIDE = "hide"
DISMISS = "dismiss"
RESTORE = "restore"
KEEP_HIDDEN = "keep_hidden"

DECISIONS = {
    HIDE: ("Hide it", "It breaks the house rules. Everyone will see your reason in its place."),
    DISMISS: (
        "Leave it in place",
        "It does not break the house rules. The reports about it will be closed.",
    ),
    RESTORE: ("Put it back", "Everyone will be able to see it again."),
    KEEP_HIDDEN: ("Keep it hidden", "Say no to the appeal. The author will be told why."),
}


class ModerationDecisionForm(forms.Form):
    decision = fields.ChoiceField(
        label="What do you want to do?",
        choices=[],
        legend_size="m",
        error_messages={"required": "Select what you want to do"},
    )
    reason = fields.CharField(
        label="Reason",
        multiline=True,
        max_length=PUBLIC_REASON_MAX_LENGTH,
        rows=3,
        hint=(
            "Everyone can see this reason. Say which house rule it breaks, or why it does not. "
            "Do not include names or personal details."
        ),
        error_messages={
            "required": "Enter the reason for your decision",
            "max_length": f"The reason must be {PUBLIC_REASON_MAX_LENGTH} characters or fewer",
        },
    )

    def __init__(self, *args, decisions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["decision"]
        field.choices = [(d, DECISIONS[d][0]) for d in decisions]
        field.item_hints = {d: DECISIONS[d][1] for d in decisions}


class AppealForm(forms.Form):
    reason = fields.CharField(
        label="Why do you think it should be put back?",
        multiline=True,
        max_length=DETAILS_MAX_LENGTH,
        rows=5,
        hint="For example, say why it does not break the house rules. Only moderators will see this.",
        error_messages={
            "required": "Enter why you think it should be put back",
            "max_length": f"Your reason must be {DETAILS_MAX_LENGTH:,} characters or fewer",
        },
    )
