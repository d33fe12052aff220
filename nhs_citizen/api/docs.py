"""The API's browsable page: the OpenAPI document written out as an ordinary NHS.UK page, with
no JavaScript, so it works under the site's content security policy and with assistive
technology (Swagger UI, ninja's default, fails WCAG 2.2 AA checks: contrast, nested controls,
target sizes, no page language)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from ninja.openapi.docs import DocsBase

from nhs_citizen.api.conventions import LICENCE

STATUS_WORDS = {
    "200": "It worked",
    "400": "Something in the request is wrong: the message says what",
    "404": "There is nothing public at this address",
    "410": "A moderator has hidden it",
    "429": "Too many requests: wait for the seconds in Retry-After",
}


def _operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    operations = []
    for path, methods in document.get("paths", {}).items():
        for method, operation in methods.items():
            operations.append(
                {
                    "id": operation.get("operationId", path),
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary") or path,
                    "description": (operation.get("description") or "").strip(),
                    "tag": (operation.get("tags") or ["Other"])[0],
                    "parameters": [
                        {
                            "name": parameter["name"],
                            "where": "in the address" if parameter["in"] == "path" else "query",
                            "required": parameter.get("required", False),
                            "description": parameter.get("description")
                            or parameter.get("schema", {}).get("description", ""),
                        }
                        for parameter in operation.get("parameters", [])
                    ],
                    "responses": [
                        (code, STATUS_WORDS.get(code, ""))
                        for code in sorted(operation.get("responses", {}))
                    ],
                }
            )
    return operations


class AccessibleDocs(DocsBase):
    def render_page(self, request: HttpRequest, api, **kwargs: Any) -> HttpResponse:
        document = api.get_openapi_schema(path_params=kwargs)
        return render(
            request,
            "api/docs.jinja",
            {
                "page_title": document["info"]["title"],
                "info": document["info"],
                "operations": _operations(document),
                "openapi_url": reverse(f"{api.urls_namespace}:openapi-json", kwargs=kwargs),
                "licence": LICENCE,
            },
        )
