"""Every form's errors are written for its fields: none is built from a question label ("What is
your flag about? must be 120 characters or fewer"), none is Django's "This field is required.",
and none falls back to the plain message that names nothing ("Enter an answer")."""

from __future__ import annotations

import importlib
import pkgutil

from django import forms

import nhs_citizen
from nhs_citizen.nhsuk_forms import fields
from nhs_citizen.nhsuk_forms.fields import GENERIC


def _project_forms() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(nhs_citizen.__path__, "nhs_citizen."):
        parts = module.name.split(".")
        if "tests" in parts or "migrations" in parts or "nonprod" in parts:
            continue
        if parts[-1].startswith("forms") or "views" in parts:
            importlib.import_module(module.name)

    found, todo = [], [forms.BaseForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("nhs_citizen.") and ".tests" not in sub.__module__:
                found.append(sub)
    return sorted(set(found), key=lambda c: (c.__module__, c.__name__))


def _problems(name: str, field: forms.Field) -> list[str]:
    if not isinstance(field, fields.NHSUKFieldMixin) or isinstance(field.widget, forms.HiddenInput):
        return []
    label = str(field.label or "")
    codes = []
    if field.required:
        codes.append("required")
    if isinstance(field, forms.CharField):
        codes += [c for c in ("max_length", "min_length") if getattr(field, c) is not None]
    if isinstance(field, forms.IntegerField):
        codes += [c for c in ("min_value", "max_value") if getattr(field, c) is not None]
    problems = []
    for code in codes:
        message = str(field.error_messages.get(code, ""))
        plain = (
            message in GENERIC.values()
            or message.startswith(("Enter a whole number", "This field", "Ensure this"))
            or (code.endswith("_length") and message.startswith(("Enter 1", "Enter 2")))
            or message.split(" ")[1:2] == [f"{getattr(field, code, '')}"]
        )
        # A question, or a label with "must be" after it, is an error built from the label.
        from_label = label.endswith("?") and label in message or message.startswith(f"{label} must")
        if not message or plain or from_label or "?" in message:
            problems.append(f"{name} ({code}): {message!r}")
    return problems


def test_the_forms_are_found():
    names = {cls.__name__ for cls in _project_forms()}
    assert {"FlagStartForm", "CycleForm", "StoryForm", "VolunteerForm", "TellUsForm"} <= names


def test_every_field_has_messages_of_its_own():
    problems = []
    for cls in _project_forms():
        for name, field in cls.base_fields.items():
            problems += _problems(f"{cls.__module__}.{cls.__name__}.{name}", field)
    assert problems == [], "\n".join(problems)


def test_the_check_finds_messages_built_from_a_question():
    question = fields.CharField(label="What is your flag about?", max_length=120)
    question.error_messages["max_length"] = (
        "What is your flag about? must be 120 characters or fewer"
    )
    assert _problems("q", question)
    assert _problems("q", fields.CharField(label="Anything else?", max_length=10))
    assert _problems("q", fields.ChoiceField(label="Colour", choices=[("r", "Red")]))
    assert _problems("q", fields.IntegerField(label="Size", min_value=2))
    assert not _problems(
        "q", fields.CharField(label="What is your flag about?", max_length=120, what="a title")
    )
