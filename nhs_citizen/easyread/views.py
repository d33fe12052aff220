"""Easy Read pages and the paper "raise a flag" form. Their words live in the templates."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from nhs_citizen.easyread.pages import PAGES


def _standard_address(key: str) -> str:
    page = PAGES[key]
    if key == "priority_vote":
        # The vote's standard page belongs to a cycle: the one voting now, if there is one.
        from nhs_citizen.assembly.models import Cycle, Stage

        cycle = Cycle.objects.filter(stage=Stage.VOTING).order_by("-pk").only("slug").first()
        if cycle is not None:
            return reverse("assembly:vote", args=[cycle.slug])
    return reverse(page.standard)


def easy_read_page(key: str):
    page = PAGES[key]

    def view(request: HttpRequest) -> HttpResponse:
        return render(
            request,
            f"easyread/{key}.jinja",
            {
                "page_title": page.title,
                "easy_read": page,
                "standard_address": _standard_address(key),
                "easy_read_pages": list(PAGES.values()),
            },
        )

    view.__name__ = f"easy_read_{key}"
    return view


def paper_flag_form(request: HttpRequest) -> HttpResponse:
    return render(
        request, "easyread/paper_flag_form.jinja", {"page_title": "Paper form: raise a flag"}
    )
