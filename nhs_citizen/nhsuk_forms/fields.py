"""Form fields with the extra options NHS.UK components need.

Use these in every form: ``hint``, ``is_page_heading`` (the label or legend is the page's h1),
``visually_hidden_label``, ``width`` (input width: 2, 3, 4, 5, 10, 20, 30), ``autocomplete``,
``inline`` (radios and checkboxes side by side), ``item_hints`` (a hint under each choice),
``rows`` for text areas and ``character_count`` (False to drop the counter on a long text area). Error messages are written for each field, never built from its label (a question makes a poor
error: "What is your flag about? must be 120 characters or fewer"). Give ``what``, the words
for the answer that follow "Enter" or "Select" ("what your flag is about"), and every message
follows from it: "Enter what your flag is about", "Enter what your flag is about in 120
characters or fewer", "Select your age band". A field given only its "required" message in that
form ("Enter what your flag is about") takes ``what`` from it. Messages given in
``error_messages`` always win.
"""

from __future__ import annotations

import re
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
        what: str | None = None,
        **kwargs: Any,
    ) -> None:
        self.explicit_messages = frozenset(kwargs.get("error_messages") or ())
        self.what = what or _what_from(kwargs.get("error_messages") or {}, self.verb)
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
        for code, message in self.written_messages().items():
            if code not in self.explicit_messages:
                self.error_messages[code] = message

    # "Enter" for what people type, "Select" for what they choose.
    verb = "Enter"

    def written_messages(self) -> dict[str, str]:
        """This field's messages, from ``what`` (or plain ones that name nothing, if the form
        gave neither ``what`` nor its own messages: a test makes sure every form does)."""
        messages = {"required": f"{self.verb} {self.what}" if self.what else GENERIC[self.verb]}
        if isinstance(self, forms.CharField):
            messages.update(_length_messages(self))
        return messages


GENERIC = {"Enter": "Enter an answer", "Select": "Select an option"}


def _what_from(messages: dict[str, str], verb: str) -> str | None:
    """ "Enter what your flag is about" gives "what your flag is about"; a longer message (with
    an example or a second sentence) gives nothing, so each further message is written out."""
    found = re.fullmatch(rf"{verb} ([^,.;:!?]+)", str(messages.get("required", "")))
    return found.group(1) if found else None


def _length_messages(field: forms.CharField) -> dict[str, str]:
    messages = {}
    if field.max_length is not None:
        messages["max_length"] = (
            f"Enter {field.what} in {field.max_length:,} characters or fewer"
            if field.what
            else f"Enter {field.max_length:,} characters or fewer"
        )
    if field.min_length is not None:
        messages["min_length"] = (
            f"Enter {field.what} in {field.min_length:,} characters or more"
            if field.what
            else f"Enter {field.min_length:,} characters or more"
        )
    return messages


class CharField(NHSUKFieldMixin, forms.CharField):
    def __init__(self, *args: Any, multiline: bool = False, **kwargs: Any) -> None:
        if multiline:
            kwargs.setdefault("widget", forms.Textarea)
        super().__init__(*args, **kwargs)


class EmailField(NHSUKFieldMixin, forms.EmailField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("what", "your email address")
        kwargs.setdefault("error_messages", {}).setdefault(
            "invalid", "Enter an email address in the correct format, like name@example.com"
        )
        kwargs.setdefault("autocomplete", "email")
        super().__init__(*args, **kwargs)


class PasswordField(NHSUKFieldMixin, forms.CharField):
    def __init__(self, *args: Any, new_password: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("what", "your password")
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
    def written_messages(self) -> dict[str, str]:
        low, high = self.min_value, self.max_value
        what = self.what or "a whole number"
        messages = {**super().written_messages(), "invalid": f"Enter {what} as a whole number"}
        if not self.what:
            messages["invalid"] = "Enter a whole number"
        if low is not None and high is not None:
            messages["min_value"] = messages["max_value"] = f"Enter {what} from {low} to {high}"
        elif low is not None:
            messages["min_value"] = f"Enter {what} of {low} or more"
        elif high is not None:
            messages["max_value"] = f"Enter {what} of {high} or less"
        return messages


class _Choosing(NHSUKFieldMixin):
    verb = "Select"
    # What a choice that is not on the list (a changed or forged form) says.
    not_listed = "Select one of the options"

    def written_messages(self) -> dict[str, str]:
        return {
            **super().written_messages(),
            "invalid_choice": self.not_listed,
            "invalid_pk_value": self.not_listed,
        }


class ChoiceField(_Choosing, forms.ChoiceField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.RadioSelect)
        super().__init__(*args, **kwargs)


class TypedChoiceField(_Choosing, forms.TypedChoiceField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.RadioSelect)
        super().__init__(*args, **kwargs)


class MultipleChoiceField(_Choosing, forms.MultipleChoiceField):
    not_listed = "Select only the options shown"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(*args, **kwargs)


class ModelChoiceField(_Choosing, forms.ModelChoiceField):
    pass


class ModelMultipleChoiceField(_Choosing, forms.ModelMultipleChoiceField):
    not_listed = "Select only the options shown"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(*args, **kwargs)


class BooleanField(NHSUKFieldMixin, forms.BooleanField):
    verb = "Select"


class FileField(NHSUKFieldMixin, forms.FileField):
    verb = "Select"
