"""Form fields with the extra options NHS.UK components need.

Use these in every form: ``hint``, ``is_page_heading`` (the label or legend is the page's h1),
``visually_hidden_label``, ``width`` (input width: 2, 3, 4, 5, 10, 20, 30), ``autocomplete``,
``inline`` (radios and checkboxes side by side), ``item_hints`` (a hint under each choice),
``rows`` for text areas and ``character_count`` (False to drop the counter on a long text area). Error messages default to NHS.UK style: "Enter …", "Select …".
"""

from __future__ import annotations

from typing import Any

from django import forms


class NHSUKFieldMixin:
    def __init__(
        self,
        *args: Any,
        hint: str | None = None,
        is_page_heading: bool = False,
        visually_hidden_label: bool = False,
        label_classes: str = "",
        width: int | None = None,
        autocomplete: str | None = None,
        inline: bool = False,
        item_hints: dict[str, str] | None = None,
        rows: int | None = None,
        legend_size: str = "s",
        legend: str | None = None,
        character_count: bool = True,
        **kwargs: Any,
    ) -> None:
        self.character_count = character_count
        self.hint = hint
        self.is_page_heading = is_page_heading
        self.visually_hidden_label = visually_hidden_label
        self.label_classes = label_classes
        self.width = width
        self.autocomplete = autocomplete
        self.inline = inline
        self.item_hints = item_hints or {}
        self.rows = rows
        self.legend_size = legend_size
        self.legend = legend
        super().__init__(*args, **kwargs)


def _required_message(kwargs: dict[str, Any], message: str) -> None:
    messages = kwargs.setdefault("error_messages", {})
    messages.setdefault("required", message)


class CharField(NHSUKFieldMixin, forms.CharField):
    def __init__(self, *args: Any, multiline: bool = False, **kwargs: Any) -> None:
        label = kwargs.get("label") or "this"
        _required_message(kwargs, f"Enter {str(label).lower()}")
        if multiline:
            kwargs.setdefault("widget", forms.Textarea)
        super().__init__(*args, **kwargs)
        if self.max_length:
            self.error_messages.setdefault(
                "max_length", f"{label} must be {self.max_length} characters or fewer"
            )


class EmailField(NHSUKFieldMixin, forms.EmailField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        _required_message(kwargs, "Enter your email address")
        kwargs.setdefault("error_messages", {}).setdefault(
            "invalid", "Enter an email address in the correct format, like name@example.com"
        )
        kwargs.setdefault("autocomplete", "email")
        super().__init__(*args, **kwargs)


class PasswordField(NHSUKFieldMixin, forms.CharField):
    def __init__(self, *args: Any, new_password: bool = False, **kwargs: Any) -> None:
        _required_message(kwargs, "Enter your password")
        kwargs.setdefault("autocomplete", "new-password" if new_password else "current-password")
        kwargs.setdefault("strip", False)
        kwargs.setdefault("widget", forms.PasswordInput)
        super().__init__(*args, **kwargs)


class URLField(NHSUKFieldMixin, forms.URLField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {}).setdefault(
            "invalid", "Enter a web address in the correct format, like https://www.nhs.uk"
        )
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(*args, **kwargs)


class IntegerField(NHSUKFieldMixin, forms.IntegerField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {}).setdefault("invalid", "Enter a whole number")
        super().__init__(*args, **kwargs)


class ChoiceField(NHSUKFieldMixin, forms.ChoiceField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        label = kwargs.get("label") or "an option"
        _required_message(kwargs, f"Select {str(label).lower()}")
        kwargs.setdefault("widget", forms.RadioSelect)
        super().__init__(*args, **kwargs)
        self.error_messages.setdefault("invalid_choice", "Select one of the options")
        self.error_messages["invalid_choice"] = "Select one of the options"


class TypedChoiceField(NHSUKFieldMixin, forms.TypedChoiceField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.RadioSelect)
        super().__init__(*args, **kwargs)
        self.error_messages["invalid_choice"] = "Select one of the options"


class MultipleChoiceField(NHSUKFieldMixin, forms.MultipleChoiceField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(*args, **kwargs)
        self.error_messages["invalid_choice"] = "Select only the options shown"


class ModelChoiceField(NHSUKFieldMixin, forms.ModelChoiceField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.error_messages["invalid_choice"] = "Select one of the options"


class ModelMultipleChoiceField(NHSUKFieldMixin, forms.ModelMultipleChoiceField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(*args, **kwargs)
        self.error_messages["invalid_choice"] = "Select only the options shown"
        self.error_messages["invalid_pk_value"] = "Select only the options shown"


class BooleanField(NHSUKFieldMixin, forms.BooleanField):
    pass


class FileField(NHSUKFieldMixin, forms.FileField):
    pass
