from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from nhs_citizen.assembly.services.cycles import day, when


def render_page(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """Render an Assembly page with the helpers its templates use for dates and times, so that
    pages and messages write them the same way (3 March 2027 at 5pm)."""
    return render(request, template, {"when": when, "day": day, **context})
