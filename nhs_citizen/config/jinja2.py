"""The Jinja2 environment for every page: NHS.UK macros plus a few Django helpers."""

from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from jinja2 import ChainableUndefined, Environment, select_autoescape
from markupsafe import Markup, escape

from nhs_citizen.core.dates import when_words
from nhs_citizen.core.words import count_words


def url(viewname: str, *args: Any, **kwargs: Any) -> str:
    """``reverse()`` for templates, remembered per process for plain arguments: a page calls it
    a dozen or more times (the header, the footer, each link), always with the same URL conf,
    and working a URL out again costs more than the lookup (bench/vote_profile.py)."""
    if all(type(a) in (str, int) for a in (*args, *kwargs.values())):
        return _remembered_reverse(
            viewname,
            args,
            tuple(sorted(kwargs.items())),
            get_script_prefix(),
            get_urlconf() or settings.ROOT_URLCONF,
        )
    return reverse(viewname, args=args or None, kwargs=kwargs or None)


@functools.lru_cache(maxsize=4096)
def _remembered_reverse(
    viewname: str, args: tuple, kwargs: tuple, _prefix: str, urlconf: str
) -> str:
    return reverse(viewname, urlconf=urlconf, args=args or None, kwargs=dict(kwargs) or None)


def _form_error_list(form):
    from nhs_citizen.nhsuk_forms.bound_field import error_list

    return error_list(form)


# The site's header and footer are the same on most pages, and the NHS.UK macros that draw them
# are the slowest part of drawing a page. Each distinct header or footer is drawn once per process
# and kept (the header varies only by who is signed in and which space is current).
_HEADER = (
    '{% from "nhsuk/components/header/macro.jinja" import header %}'
    '{{ header({"service": {"text": "NHS Citizen", "href": "/"}, '
    '"account": {"items": account_items}, "navigation": {"items": navigation_items}}) }}'
)
_FOOTER = (
    '{% from "nhsuk/components/footer/macro.jinja" import footer %}'
    '{{ footer({"meta": {"items": items}, "copyright": copyright}) }}'
)
_FOOTER_LINKS = (
    ("core:about", "About NHS Citizen"),
    ("core:accessibility", "Accessibility statement"),
    ("core:privacy", "Privacy notice"),
    ("core:house_rules", "House rules"),
    ("core:open_data", "Open data"),
    ("culture:league_table", "How NHS bodies respond"),
    ("culture:story_list", "Stories of change"),
    ("core:audit_log", "Audit log"),
    ("moderation:moderation_log", "Moderation log"),
    ("core:cookies", "Cookies"),
)
COPYRIGHT = "© NHS Citizen contributors. Code licensed under AGPL-3.0-or-later."


# Stands in for the signed-in person's name in the kept header; the name is put in afterwards,
# escaped, so one kept header serves everyone.
_NAME = "\ue000name\ue000"


def _site_header(env: Environment):
    template = env.from_string(_HEADER)

    @functools.lru_cache(maxsize=256)
    def draw(account: tuple, navigation: tuple) -> str:
        return template.render(
            account_items=[dict(item) for item in account],
            navigation_items=[dict(item) for item in navigation],
        )

    def site_header(request, navigation_items) -> Markup:
        user = getattr(request, "user", None)
        name = None
        if user is not None and user.is_authenticated:
            name = user.display_name or "Your account"
            account = [{"href": url("accounts:your_account"), "text": _NAME, "icon": True}]
            if user.has_staff_role:
                account.append({"href": url("accounts:staff_area"), "text": "Staff area"})
            account.append({"href": url("account_logout"), "text": "Sign out"})
        else:
            account = [
                {"href": url("account_login"), "text": "Sign in", "icon": True},
                {"href": url("account_signup"), "text": "Create an account"},
            ]
        html = draw(
            tuple(tuple(item.items()) for item in account),
            tuple(tuple(item.items()) for item in navigation_items or ()),
        )
        if name is not None:
            html = html.replace(_NAME, str(escape(name)))
        return Markup(html)

    return site_header


def _site_footer(env: Environment):
    template = env.from_string(_FOOTER)

    @functools.lru_cache(maxsize=8)
    def draw(items: tuple) -> Markup:
        return Markup(template.render(items=[dict(i) for i in items], copyright=COPYRIGHT))

    def site_footer() -> Markup:
        return draw(tuple((("href", url(name)), ("text", text)) for name, text in _FOOTER_LINKS))

    return site_footer


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
            "site_url": settings.SITE_URL,
            "Markup": Markup,
            "form_error_list": _form_error_list,
        }
    )
    env.globals["site_header"] = _site_header(env)
    env.globals["site_footer"] = _site_footer(env)
    env.filters.update(
        {
            "when_words": when_words,
            "intcomma": intcomma,
            "pluralise": count_words,
        }
    )
    return env
