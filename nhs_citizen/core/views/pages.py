"""Pages that explain NHS Citizen. Their words live in the templates."""

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from nhs_citizen.core.middleware import no_page_cache
from nhs_citizen.core.models import Organisation, Topic
from nhs_citizen.core.services import open_data_snapshot


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
            "snapshots": open_data_snapshot.list_snapshots(),
            "snapshot_keep": settings.OPEN_DATA_SNAPSHOTS_KEEP,
        },
    )


_SNAPSHOT_TYPES = {
    ".jsonl": "application/x-ndjson; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    "": "text/plain; charset=utf-8",
}


def open_data_snapshot_file(request: HttpRequest, day: str, name: str) -> FileResponse:
    """One file of a nightly snapshot, streamed from disk. Anything that is not a file of a
    snapshot (a ``../`` path, a name of the wrong shape, a missing file) is not found."""
    path = open_data_snapshot.snapshot_file(day, name)
    if path is None:
        raise Http404("No such open data file.")
    response = FileResponse(
        open(path, "rb"),
        as_attachment=True,
        filename=f"nhs-citizen-{day}-{name}",
        content_type=_SNAPSHOT_TYPES[path.suffix],
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@no_page_cache
def ceiling(request: HttpRequest) -> HttpResponse:
    """The site layout and nothing else, for the load benchmark to compare pages against. Not
    linked, not indexed, no database queries, never served from the page cache."""
    response = render(request, "core/pages/ceiling.jinja", {"page_title": "Layout check"})
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
