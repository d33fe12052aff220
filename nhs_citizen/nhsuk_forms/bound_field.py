"""A BoundField that renders itself with the matching NHS.UK macro.

Every form in the project gets this bound field through the form renderer (see
``renderers.py``), so ``{{ form.email }}`` in a template renders the NHS.UK input with its
label, hint and error message, and no page writes form HTML by hand. Fields from
``nhsuk_forms.fields`` carry extra options (hint, widths, page-heading labels); plain Django
fields (for example allauth's) render with sensible defaults.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from markupsafe import Markup, escape

from nhs_citizen.nhsuk_forms.macros import render_macro

TEXT_INPUT_TYPES = {
    forms.EmailInput: "email",
    forms.URLInput: "url",
    forms.NumberInput: "text",
    forms.TextInput: "text",
    forms.DateInput: "date",
}


def _label_params(field: forms.Field, text: str) -> dict[str, Any]:
    classes = getattr(field, "label_classes", "")
    if getattr(field, "visually_hidden_label", False):
        classes = (classes + " nhsuk-u-visually-hidden").strip()
    params: dict[str, Any] = {"text": text}
    if classes:
        params["classes"] = classes
    if getattr(field, "is_page_heading", False):
        params["isPageHeading"] = True
        params.setdefault("classes", "nhsuk-label--l")
    return params


class NHSUKBoundField(BoundField):
    def __str__(self) -> str:
        return self.as_nhsuk()

    def __html__(self) -> str:
        return self.as_nhsuk()

    # Information the templates and the error summary need ------------------------------------
    @property
    def element_id(self) -> str:
        return self.auto_id or self.html_name

    def error_message(self) -> dict[str, Any] | None:
        """The NHS.UK errorMessage parameter: one error as text; two or more each on a line of
        its own, each read out after "Error:" like the first."""
        if not self.errors:
            return None
        if len(self.errors) == 1:
            return {"text": str(self.errors[0])}
        lines = [escape(str(e)) for e in self.errors]
        more = Markup('<br><span class="nhsuk-u-visually-hidden">Error: </span>')
        return {"html": lines[0] + Markup("").join(more + line for line in lines[1:])}

    def _hint(self) -> str | None:
        hint = getattr(self.field, "hint", None) or self.help_text
        return str(hint) if hint else None

    def _common(self) -> dict[str, Any]:
        params: dict[str, Any] = {}
        if self._hint():
            params["hint"] = {"text": self._hint()}
        if self.errors:
            params["errorMessage"] = self.error_message()
        return params

    def _attributes(self) -> dict[str, Any]:
        attrs = {}
        for key, value in self.field.widget.attrs.items():
            if key in {"class", "placeholder", "autocomplete", "maxlength", "minlength", "type"}:
                continue
            if value is True:
                attrs[key] = key
            elif value not in (False, None):
                attrs[key] = str(value)
        if self.field.disabled:
            attrs["disabled"] = "disabled"
        return attrs

    def _autocomplete(self) -> str | None:
        return getattr(self.field, "autocomplete", None) or self.field.widget.attrs.get(
            "autocomplete"
        )

    # Rendering -------------------------------------------------------------------------------
    def as_nhsuk(self, **overrides: Any) -> Markup:
        widget = self.field.widget
        if isinstance(widget, forms.HiddenInput | forms.MultipleHiddenInput):
            return Markup(self.as_widget())
        if isinstance(widget, forms.CheckboxSelectMultiple):
            html = self._choices("checkboxes", multiple=True, **overrides)
        elif isinstance(widget, forms.RadioSelect):
            html = self._choices("radios", multiple=False, **overrides)
        elif isinstance(widget, forms.CheckboxInput):
            html = self._single_checkbox(**overrides)
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            html = self._select(**overrides)
        elif isinstance(widget, forms.Textarea):
            html = self._textarea(**overrides)
        elif isinstance(widget, forms.ClearableFileInput | forms.FileInput):
            html = self._file(**overrides)
        elif isinstance(widget, forms.PasswordInput):
            html = self._password(**overrides)
        else:
            html = self._input(**overrides)
        return Markup(html)

    def _input(self, **overrides: Any) -> str:
        input_type = next(
            (
                kind
                for widget_class, kind in TEXT_INPUT_TYPES.items()
                if isinstance(self.field.widget, widget_class)
            ),
            "text",
        )
        value = self.value()
        params: dict[str, Any] = {
            "id": self.element_id,
            "name": self.html_name,
            "type": getattr(self.field, "input_type", None)
            or self.field.widget.attrs.get("type")
            or input_type,
            "label": _label_params(self.field, self.label),
            "value": "" if value is None else str(value),
            **self._common(),
        }
        if isinstance(self.field.widget, forms.NumberInput):
            params["inputmode"] = "numeric"
        if input_type == "email" or getattr(self.field, "spellcheck", None) is False:
            params["spellcheck"] = False
        if autocomplete := self._autocomplete():
            params["autocomplete"] = autocomplete
        if width := getattr(self.field, "width", None):
            params["classes"] = f"nhsuk-input--width-{width}"
        if attributes := self._attributes():
            params["attributes"] = attributes
        params.update(overrides)
        return render_macro("input", "input", params)

    def _password(self, **overrides: Any) -> str:
        params: dict[str, Any] = {
            "id": self.element_id,
            "name": self.html_name,
            "label": _label_params(self.field, self.label),
            "autocomplete": self._autocomplete() or "current-password",
            **self._common(),
        }
        if attributes := self._attributes():
            params["attributes"] = attributes
        params.update(overrides)
        return render_macro("password-input", "passwordInput", params)

    def _textarea(self, **overrides: Any) -> str:
        value = self.value()
        params: dict[str, Any] = {
            "id": self.element_id,
            "name": self.html_name,
            "label": _label_params(self.field, self.label),
            "value": "" if value is None else str(value),
            "rows": getattr(self.field, "rows", None)
            or int(self.field.widget.attrs.get("rows", 5)),
            **self._common(),
        }
        if attributes := self._attributes():
            params["attributes"] = attributes
        params.update(overrides)
        max_length = getattr(self.field, "max_length", None)
        if max_length and getattr(self.field, "character_count", True):
            params["maxlength"] = max_length
            return render_macro("character-count", "characterCount", params)
        return render_macro("textarea", "textarea", params)

    def _file(self, **overrides: Any) -> str:
        params: dict[str, Any] = {
            "id": self.element_id,
            "name": self.html_name,
            "label": _label_params(self.field, self.label),
            **self._common(),
        }
        if accept := self.field.widget.attrs.get("accept"):
            params["attributes"] = {"accept": accept}
        params.update(overrides)
        return render_macro("file-upload", "fileUpload", params)

    def _select(self, **overrides: Any) -> str:
        selected = self.value()
        selected_values = {
            str(v)
            for v in (selected if isinstance(selected, list | tuple) else [selected])
            if v not in (None, "")
        }
        items = []
        for value, text in self.field.choices:
            value = "" if value is None else str(getattr(value, "value", value))
            items.append({"value": value, "text": str(text), "selected": value in selected_values})
        params: dict[str, Any] = {
            "id": self.element_id,
            "name": self.html_name,
            "label": _label_params(self.field, self.label),
            "items": items,
            **self._common(),
        }
        params.update(overrides)
        return render_macro("select", "select", params)

    def _fieldset(self) -> dict[str, Any]:
        legend: dict[str, Any] = {"text": self.label}
        size = getattr(self.field, "legend_size", "s")
        if getattr(self.field, "is_page_heading", False):
            legend.update({"isPageHeading": True, "size": "l"})
        elif size:
            legend["size"] = size
        if getattr(self.field, "visually_hidden_label", False):
            legend["classes"] = "nhsuk-u-visually-hidden"
        return {"legend": legend}

    def _choices(self, component: str, multiple: bool, **overrides: Any) -> str:
        current = self.value()
        if multiple:
            current_values = {str(v) for v in (current or [])}
        else:
            current_values = {str(current)} if current not in (None, "") else set()
        item_hints = getattr(self.field, "item_hints", {}) or {}
        items = []
        for value, text in self.field.choices:
            value = str(getattr(value, "value", value))
            if value == "" and not multiple:
                continue  # radios never show the empty choice a select would
            item: dict[str, Any] = {
                "value": value,
                "text": str(text),
                "checked": value in current_values,
            }
            if value in item_hints:
                item["hint"] = {"text": str(item_hints[value])}
            items.append(item)
        params: dict[str, Any] = {
            "idPrefix": self.element_id,
            "name": self.html_name,
            "fieldset": self._fieldset(),
            "items": items,
            **self._common(),
        }
        if getattr(self.field, "inline", False):
            params["classes"] = f"nhsuk-{component}--inline"
        params.update(overrides)
        return render_macro(component, component, params)

    def _single_checkbox(self, **overrides: Any) -> str:
        checked = bool(self.value())
        params: dict[str, Any] = {
            "idPrefix": self.element_id,
            "name": self.html_name,
            "items": [
                {
                    "value": "on",
                    "text": self.label,
                    "checked": checked,
                    **({"hint": {"text": self._hint()}} if self._hint() else {}),
                }
            ],
        }
        if self.errors:
            params["errorMessage"] = self.error_message()
        if legend := getattr(self.field, "legend", None):
            params["fieldset"] = {"legend": {"text": str(legend), "size": "s"}}
        params.update(overrides)
        return render_macro("checkboxes", "checkboxes", params)


def error_list(form: forms.Form) -> list[dict[str, str]]:
    """The error summary's list: each error links to its field, in the order fields appear."""
    items: list[dict[str, str]] = []
    first_field = next((bf for bf in form if not bf.is_hidden), None)
    for error in form.non_field_errors():
        items.append(
            {
                "text": str(error),
                "href": f"#{first_field.element_id}" if first_field else "#maincontent",
            }
        )
    for bound_field in form:
        for error in bound_field.errors:
            items.append({"text": str(error), "href": f"#{bound_field.element_id}"})
    return items
