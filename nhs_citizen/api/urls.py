"""The open API's addresses: every view of the NinjaAPI, each wrapped with the API's conventions
(licence, CORS, ETag, rate limit), including the OpenAPI document and the docs page."""

from django.urls import URLPattern

from nhs_citizen.api.api import api
from nhs_citizen.api.conventions import api_view

_patterns, _app_name, namespace = api.urls
# Ninja reverses its own addresses (the docs page finds the document) in this namespace.
app_name = namespace

urlpatterns = [
    URLPattern(pattern.pattern, api_view(pattern.callback), pattern.default_args, pattern.name)
    for pattern in _patterns
]
