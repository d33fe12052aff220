"""NHS-styled error pages. They must not fail themselves, so they query nothing."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def _error(request: HttpRequest, status: int, template: str, title: str) -> HttpResponse:
    return render(request, f"core/errors/{template}.jinja", {"page_title": title}, status=status)


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    return _error(request, 400, "400", "Sorry, there is a problem with your request")


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return _error(request, 403, "403", "You cannot see this page")


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return _error(request, 404, "404", "Page not found")


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        return _error(request, 500, "500", "Sorry, there is a problem with the service")
    except Exception:  # the layout itself failed: fall back to plain text
        return HttpResponse(
            "Sorry, there is a problem with the service. Try again later.",
            status=500,
            content_type="text/plain; charset=utf-8",
        )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(request, 403, "csrf", "Sorry, we could not save your answer")
