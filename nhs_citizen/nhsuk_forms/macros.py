"""Call NHS.UK frontend Jinja macros from Python."""

from __future__ import annotations

from functools import cache
from typing import Any

from markupsafe import Markup


@cache
def _environment():
    from django.template import engines

    return engines["jinja2"].env


def render_macro(component: str, macro_name: str, params: dict[str, Any]) -> Markup:
    template = _environment().get_template(f"nhsuk/components/{component}/macro.jinja")
    return Markup(getattr(template.module, macro_name)(params))
