"""Pages that explain NHS Citizen. Their words live in the templates."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from nhs_citizen.core.middleware import no_page_cache
from nhs_citizen.core.models import Organisation, Topic


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/pages/home.jinja", {"page_title": None})


def _page(template: str, title: str):
    def view(request: HttpRequest) -> HttpResponse:
        return render(request, f"core/pages/{template}.jinja", {"page_title": title})

    view.__name__ = template.replace("-", "_")
    return view


about = _page("about", "About NHS Citizen")
accessibility = _page("accessibility", "Accessibility statement")
privacy = _page("privacy", "Privacy notice")
house_rules = _page("house_rules", "House rules")
cookies = _page("cookies", "Cookies")
discover = _page("discover", "Discover")
gather = _page("gather", "Gather")
assembly = _page("assembly", "Assembly")
tracker = _page("tracker", "Tracker")


def open_data(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/pages/open_data.jinja",
        {
            "page_title": "Open data",
            "organisation_count": Organisation.objects.count(),
            "topic_count": Topic.objects.count(),
        },
    )


@no_page_cache
def ceiling(request: HttpRequest) -> HttpResponse:
    """The site layout and nothing else, for the load benchmark to compare pages against. Not
    linked, not indexed, no database queries, never served from the page cache."""
    response = render(request, "core/pages/ceiling.jinja", {"page_title": "Layout check"})
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
