"""Gather's section of the "Your account" page: the flags you raised, support or follow."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from nhs_citizen.core.pagination import keyset_page

YOUR_FLAGS_PER_PAGE = 10


def your_flags_section(request: HttpRequest) -> dict[str, Any]:
    from nhs_citizen.gather.presenters import flag_cards
    from nhs_citizen.gather.views.flag_views import followed_flags

    page, pagination = keyset_page(
        request,
        followed_flags(request.user),
        ("-last_activity_at", "-pk"),
        YOUR_FLAGS_PER_PAGE,
    )
    if pagination:
        for link in pagination.values():
            link["href"] += "#your-flags"
    return {
        "your_flags": flag_cards(page.object_list),
        "your_flags_page": page,
        "your_flags_pagination": pagination,
    }
