"""The Jinja2 environment for every page: NHS.UK macros plus a few Django helpers."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from jinja2 import ChainableUndefined, Environment, select_autoescape
from markupsafe import Markup


def url(viewname: str, *args: Any, **kwargs: Any) -> str:
    return reverse(viewname, args=args or None, kwargs=kwargs or None)


def date_format(value, fmt: str = "j F Y") -> str:
    """Dates as people write them: 21 November 2026."""
    from django.utils.dateformat import format as django_format

    if value is None:
        return ""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return django_format(value, fmt)


def datetime_format(value) -> str:
    return date_format(value, "j F Y \\a\\t g:ia") if value else ""


def pluralise(count: int, singular: str, plural: str | None = None) -> str:
    word = singular if count == 1 else (plural or singular + "s")
    return f"{intcomma(count)} {word}"


def _form_error_list(form):
    from nhs_citizen.nhsuk_forms.bound_field import error_list

    return error_list(form)


def environment(**options: Any) -> Environment:
    options.setdefault("autoescape", select_autoescape(default=True, default_for_string=True))
    options.setdefault("extensions", ["jinja2.ext.do", "jinja2.ext.loopcontrols"])
    # The NHS.UK macros read optional nested parameters (params.search.action) freely.
    options["undefined"] = ChainableUndefined
    env = Environment(**options)
    env.trim_blocks = True
    env.lstrip_blocks = True
    env.globals.update(
        {
            "url": url,
            "static": static,
            "get_messages": get_messages,
            "site_name": settings.SITE_NAME,
            "Markup": Markup,
            "form_error_list": _form_error_list,
        }
    )
    env.filters.update(
        {
            "date": date_format,
            "datetime": datetime_format,
            "intcomma": intcomma,
            "pluralise": pluralise,
        }
    )
    return env
