"""Split long lists into pages, with the NHS.UK pagination component's parameters."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def _href(request: HttpRequest, number: int) -> str:
    query = request.GET.copy()
    query["page"] = str(number)
    return "?" + query.urlencode()


def paginate(
    request: HttpRequest, object_list: Any, per_page: int = 20
) -> tuple[Page, dict[str, Any] | None]:
    """Return the requested page (the last page if the number is too big, the first page if it
    is not a number) and the parameters for ``nhsukPagination``, or None for a single page."""
    paginator = Paginator(object_list, per_page)
    page = paginator.get_page(request.GET.get("page"))
    if paginator.num_pages <= 1:
        return page, None
    items: list[dict[str, Any]] = []
    for number in paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1):
        if number == Paginator.ELLIPSIS:
            items.append({"ellipsis": True})
        else:
            items.append(
                {"number": number, "href": _href(request, number), "current": number == page.number}
            )
    params: dict[str, Any] = {"items": items}
    if page.has_previous():
        params["previous"] = {"href": _href(request, page.previous_page_number())}
    if page.has_next():
        params["next"] = {"href": _href(request, page.next_page_number())}
    return page, params
