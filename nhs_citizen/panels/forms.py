from django import forms

from nhs_citizen.nhsuk_forms import fields
from nhs_citizen.panels import categories
from nhs_citizen.panels.models import PanelPurpose


class VolunteerForm(forms.Form):
    age_band = fields.ChoiceField(
        label="How old are you?",
        choices=categories.choices_for("age_band"),
        error_messages={"required": "Select your age band"},
    )
    sex = fields.ChoiceField(
        label="What is your sex?",
        choices=categories.choices_for("sex"),
        hint="This is the question the 2021 Census asked.",
        inline=True,
        error_messages={"required": "Select your sex"},
    )
    ethnic_group = fields.ChoiceField(
        label="What is your ethnic group?",
        choices=categories.choices_for("ethnic_group"),
        error_messages={"required": "Select your ethnic group"},
    )
    disability = fields.ChoiceField(
        label="Are you disabled?",
        choices=[("disabled", "Yes"), ("not_disabled", "No")],
        hint="You are disabled under the Equality Act 2010 if you have a physical or mental condition that has a substantial, long-term effect on your ability to do normal daily activities.",
        inline=True,
        error_messages={"required": "Select yes if you are disabled"},
    )
    region = fields.ChoiceField(
        label="Which NHS region do you live in?",
        choices=categories.choices_for("region"),
        widget=forms.Select,
        error_messages={"required": "Select your NHS region"},
    )
    deprivation = fields.ChoiceField(
        label="Which deprivation quintile is your area in?",
        choices=categories.choices_for("deprivation", dont_know=True),
        hint="You can find this by entering your postcode on the government's English indices of deprivation website. If you are not sure, choose “I do not know”.",
        error_messages={"required": "Select your area's deprivation quintile, or I do not know"},
    )
    address = fields.CharField(
        label="First line of your address",
        max_length=200,
        autocomplete="address-line1",
        hint="We only use this with your postcode to make sure that no more than one person from a household is chosen. We do not keep your address: we keep a code made from it.",
        error_messages={"required": "Enter the first line of your address"},
    )
    postcode = fields.CharField(
        label="Postcode",
        max_length=10,
        width=10,
        autocomplete="postal-code",
        error_messages={"required": "Enter your postcode"},
    )
    consent = fields.BooleanField(
        label="I agree that NHS Citizen can keep these answers to choose people fairly by lot. I know I can change or delete them at any time.",
        legend="Your consent",
        error_messages={"required": "Tick the box to say you agree, or you cannot join the pool"},
    )


MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def _upload_text(upload) -> str:
    if upload.size > MAX_UPLOAD_BYTES:
        raise forms.ValidationError("The file must be smaller than 10MB")
    try:
        return upload.read().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise forms.ValidationError("The file must be a CSV file saved as UTF-8 text") from error


class ImportPoolForm(forms.Form):
    name = fields.CharField(
        label="Name of the pool",
        max_length=150,
        hint="For example: Winter 2026 jury recruitment",
        error_messages={"required": "Enter a name for this pool"},
    )
    categories_file = fields.FileField(
        label="Categories file (CSV)",
        hint="The targets file, as the Sortition Foundation's tools or Panelot use it: columns feature, value, min and max, or category, name, min and max, or category, feature, min and max.",
        error_messages={"required": "Choose the categories file"},
    )
    respondents_file = fields.FileField(
        label="People file (CSV)",
        hint="One row for each person and one column for each category. An id column (like nationbuilder_id or id) is used if there is one. Address and postcode columns (like primary_address1 and zip_royal_mail) are used to check households.",
        error_messages={"required": "Choose the people file"},
    )

    def clean_categories_file(self):
        return _upload_text(self.cleaned_data["categories_file"])

    def clean_respondents_file(self):
        return _upload_text(self.cleaned_data["respondents_file"])


class ExportPeopleFileForm(forms.Form):
    """The people file a pool was imported from, uploaded again to split it for an export."""

    people_file = fields.FileField(
        label="The people file this pool was imported from (CSV)",
        hint="We do not keep names or addresses. Upload the file again and we give it back to you in two files, selected and remaining, with every column.",
        error_messages={"required": "Choose the people file"},
    )

    def clean_people_file(self):
        return _upload_text(self.cleaned_data["people_file"])


class PanelForm(forms.Form):
    purpose = fields.ChoiceField(
        label="What is the panel for?",
        choices=PanelPurpose.choices,
        error_messages={"required": "Select what the panel is for"},
    )
    title = fields.CharField(
        label="Title",
        max_length=150,
        hint="For example: Jury for the spring 2027 Assembly",
        error_messages={"required": "Enter a title"},
    )
    question = fields.CharField(
        label="The question (for a Citizen Panel)",
        what="the question",
        required=False,
        multiline=True,
        max_length=2000,
        rows=3,
    )
    size = fields.IntegerField(
        label="How many people?",
        min_value=2,
        max_value=500,
        width=4,
        error_messages={
            "required": "Enter how many people",
            "min_value": "A panel needs at least 2 people",
            "max_value": "A panel can have up to 500 people",
        },
    )
    reserves = fields.IntegerField(
        label="How many reserves?",
        min_value=0,
        max_value=200,
        width=4,
        initial=10,
        hint=(
            "People who can stand in if a member cannot come, in an order fixed by the draw. If "
            "fewer people could stand in without breaking a target or sharing a household, the "
            "panel's page says how many there are and why."
        ),
        error_messages={
            "required": "Enter how many reserves",
            "max_value": "Choose up to 200 reserves",
        },
    )
    pool = fields.ModelChoiceField(
        label="Choose people from",
        queryset=None,
        widget=forms.Select,
        empty_label=None,
        error_messages={"required": "Select a pool"},
    )

    def __init__(self, *args, **kwargs):
        from nhs_citizen.panels.models import Pool

        super().__init__(*args, **kwargs)
        self.fields["pool"].queryset = Pool.objects.all()


class QuotaForm(forms.Form):
    """A minimum and a maximum for every category value."""

    def __init__(self, *args, quotas, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for category, value, minimum, maximum in quotas:
            label = f"{categories.CATEGORY_LABELS.get(category, category)}: {categories.label_for(category, value)}"
            key = f"{category}|{value}"
            self.fields[f"{key}|min"] = fields.IntegerField(
                label=f"Minimum for {label}",
                what=f"the minimum for {label}",
                min_value=0,
                max_value=500,
                initial=minimum,
                width=3,
                error_messages={
                    "required": f"Enter the minimum for {label}",
                    "min_value": f"The minimum for {label} must be 0 or more",
                },
            )
            self.fields[f"{key}|max"] = fields.IntegerField(
                label=f"Maximum for {label}",
                what=f"the maximum for {label}",
                min_value=0,
                max_value=500,
                initial=maximum,
                width=3,
                error_messages={"required": f"Enter the maximum for {label}"},
            )
            self.rows.append((label, f"{key}|min", f"{key}|max", category, value))

    def clean(self):
        cleaned = super().clean()
        for label, low, high, _, _ in self.rows:
            if (
                cleaned.get(low) is not None
                and cleaned.get(high) is not None
                and cleaned[high] < cleaned[low]
            ):
                self.add_error(high, f"The maximum for {label} must not be less than its minimum")
        return cleaned

    def quotas(self) -> list[tuple[str, str, int, int]]:
        return [
            (c, v, self.cleaned_data[low], self.cleaned_data[high])
            for _, low, high, c, v in self.rows
        ]


class OversampleForm(forms.Form):
    tolerance = fields.IntegerField(
        label="How far can each group be from its share of England's population? (percent)",
        min_value=0,
        max_value=50,
        initial=10,
        width=2,
        error_messages={
            "required": "Enter a percentage from 0 to 50",
            "max_value": "Enter a percentage from 0 to 50",
        },
    )
    oversample = fields.MultipleChoiceField(
        label="Give these groups more seats than their share (one and a half times)",
        required=False,
        choices=[
            (f"{v.category}:{v.value}", f"{categories.CATEGORY_LABELS[v.category]}: {v.label}")
            for v in categories.census_values()
            if v.category in {"ethnic_group", "disability", "deprivation", "age_band"}
        ],
        hint="Groups that are usually not heard. Optional.",
    )

    def oversample_factors(self) -> dict[str, float]:
        return {key: 1.5 for key in self.cleaned_data.get("oversample", [])}


class CommitSeedForm(forms.Form):
    """The secretariat names, in advance, a public random value that nobody knows yet."""

    public_value_name = fields.CharField(
        label="Which public random value will be mixed with the secret seed?",
        what="the name of the public random value",
        hint=(
            "Name a value that nobody can know or choose yet, and that anyone can look up "
            "afterwards. For example: UK National Lottery Lotto draw on Saturday 12 December "
            "2026: the six main balls in the order drawn."
        ),
        multiline=True,
        rows=3,
        max_length=300,
        error_messages={
            "required": (
                "Enter the name of a public random value that nobody knows yet, for example the "
                "balls of a named National Lottery draw"
            )
        },
    )
    public_value_date = fields.CharField(
        label="On what date will it be known?",
        hint="It must be after today. For example, 12 12 2026",
        width=10,
        error_messages={"required": "Enter the date the public value will be known"},
    )

    def clean_public_value_date(self):
        from nhs_citizen.nhsuk_forms.parsing import parse_date

        return parse_date(self.cleaned_data["public_value_date"], "the date it will be known")


class PublicValueForm(forms.Form):
    public_value = fields.CharField(
        label="The public value",
        hint=(
            "Type it exactly as it was published, for example the balls in the order drawn: "
            "7 12 23 31 40 52. Spaces, commas and leading zeros do not matter."
        ),
        max_length=300,
        error_messages={"required": "Enter the public value"},
    )
