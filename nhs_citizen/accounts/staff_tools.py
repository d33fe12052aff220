"""The staff tools registry: what the staff area lists, filled by each app.

Each app declares its own tools in a ``staff.py`` module (found and imported when the accounts
app is ready), so the staff area knows no other app's pages or models. A tool says who sees
it by a django-rules permission, and may say how much work is waiting for that person: one
bounded query, so the staff area costs the same few queries however much is waiting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse

# The most waiting items a tool counts: past this it says "more than 99 waiting".
WAITING_CAP = 99

# How much work is waiting for this person: a queryset to count (the registry counts it with a
# LIMIT, never the whole table), or None when there is nothing to count for them.
WaitingWork = Callable[..., "QuerySet | None"]


@dataclass(frozen=True)
class StaffTool:
    key: str
    title: str
    description: str
    url_name: str
    permission: str
    # Lower comes first on the staff page.
    order: int = 100
    query_string: str = ""
    waiting: WaitingWork | None = None
    # How one waiting item is called: ("flag", "flags").
    waiting_noun: tuple[str, str] = ("item", "items")

    @property
    def href(self) -> str:
        url = reverse(self.url_name)
        return f"{url}?{self.query_string}" if self.query_string else url


@dataclass(frozen=True)
class ToolLink:
    """One tool as a person sees it on the staff page."""

    key: str
    title: str
    description: str
    href: str
    waiting: str = ""


_tools: dict[str, StaffTool] = {}


def register_staff_tool(tool: StaffTool) -> None:
    """Add a tool to the staff area. Registering the same key again replaces it."""
    _tools[tool.key] = tool


def registered_tools() -> list[StaffTool]:
    return sorted(_tools.values(), key=lambda tool: (tool.order, tool.title))


def waiting_words(count: int, noun: tuple[str, str]) -> str:
    if count <= 0:
        return "Nothing waiting"
    if count > WAITING_CAP:
        return f"More than {WAITING_CAP} {noun[1]} waiting"
    return f"{count} {noun[0] if count == 1 else noun[1]} waiting"


def _count_waiting(queryset: QuerySet) -> int:
    # Bounded: the database stops after WAITING_CAP + 1 rows, however many there are.
    return len(queryset.order_by().values_list("pk", flat=True)[: WAITING_CAP + 1])


def tools_for(user) -> list[ToolLink]:
    """The tools this person may use, in order, each with its waiting work if it counts any."""
    links = []
    for tool in registered_tools():
        if not user.has_perm(tool.permission):
            continue
        waiting = ""
        if tool.waiting is not None:
            queryset = tool.waiting(user)
            if queryset is not None:
                waiting = waiting_words(_count_waiting(queryset), tool.waiting_noun)
        links.append(ToolLink(tool.key, tool.title, tool.description, tool.href, waiting))
    return links
