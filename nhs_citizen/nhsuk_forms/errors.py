"""Showing a service's ValidationError on the form that was submitted."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's errors on the fields they name, and any others above the form, so the
    error summary lists them all."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def flash_errors(request, error: ValidationError, then: str = "") -> None:
    """Show a service's errors at the top of the next page, each as a message of its own (never
    run together in one), with `then` (like "Nothing has been saved.") after the last."""
    from django.contrib import messages

    lines = list(error.messages)
    for number, line in enumerate(lines, 1):
        if then and number == len(lines):
            line = f"{line.rstrip('.')}. {then}"
        messages.error(request, line)
