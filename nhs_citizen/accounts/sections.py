"""Sections other apps add to the "Your account" page (ADR 0026), the way they add sections
to "Your data": accounts shows them without knowing the apps behind them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

# Given the request, the section's template variables (or None to leave the section out). They
# join the page's context, so name them after the section ("your_flags", "your_flags_page").
SectionContext = Callable[[HttpRequest], "dict[str, Any] | None"]


@dataclass(frozen=True)
class AccountSection:
    name: str
    template: str
    context: SectionContext
    order: int = 100


_sections: dict[str, AccountSection] = {}


def register_account_section(section: AccountSection) -> None:
    _sections[section.name] = section


def account_sections(request: HttpRequest) -> tuple[list[str], dict[str, Any]]:
    """The templates of the sections to show, in order, and their variables together."""
    templates: list[str] = []
    variables: dict[str, Any] = {}
    for section in sorted(_sections.values(), key=lambda s: (s.order, s.name)):
        context = section.context(request)
        if context is not None:
            templates.append(section.template)
            variables.update(context)
    return templates, variables
