"""The open API's addresses: every view of the NinjaAPI, each wrapped with the API's conventions
(licence, CORS, ETag, rate limit), including the OpenAPI document and the docs page. Any other
address under /api/v1/ answers 404 in JSON, not with the site's HTML page."""

import json

from django.http import HttpResponse
from django.urls import URLPattern, re_path

from nhs_citizen.api.api import NOT_FOUND, api
from nhs_citizen.api.conventions import api_view, error_body

_patterns, _app_name, namespace = api.urls
# Ninja reverses its own addresses (the docs page finds the document) in this namespace.
app_name = namespace


def not_found(request, rest=""):
    return HttpResponse(
        json.dumps(error_body([("", NOT_FOUND)])), status=404, content_type="application/json"
    )


urlpatterns = [
    *(
        URLPattern(pattern.pattern, api_view(pattern.callback), pattern.default_args, pattern.name)
        for pattern in _patterns
    ),
    re_path(r"^(?P<rest>.*)$", api_view(not_found), name="not_found"),
]
