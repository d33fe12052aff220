from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def render_page(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """Render an Assembly page. Its templates write dates and times with the `when_words`
    filter, like every page (3 March 2027 at 5pm)."""
    return render(request, template, context)
