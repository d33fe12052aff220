"""The open API at /api/v1/ (ADR 0030): read-only, anonymous, everything public on the site and
nothing that is not. Each resource has its own router module; the conventions every response
shares are in ``conventions`` and applied in ``urls``."""

from __future__ import annotations

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from nhs_citizen.api.conventions import BadParameter, error_body
from nhs_citizen.api.cursor import BadCursor
from nhs_citizen.api.docs import AccessibleDocs

DESCRIPTION = """
Everything public on NHS Citizen, to read and build on: flags with their timelines, answers and
commitments; the tracker and the Board's responses; calls for views and what bodies did about
them; NHS bodies, how well they answer and stories of change; Assembly cycles, meetings and
panels; Discover's topics and redacted statements; the public audit log.

* **Licence**: every response is under the Open Government Licence v3.0 (a `Link` header with
  `rel="license"`, and a `licence` field in every list).
* **Pages**: lists come a page at a time in a fixed order. Follow `next` until it is `null`.
  `limit` sets the page size (1 to 200, 50 by default).
* **What changed**: `changed_since` (a date, or a date and time in ISO 8601) lists only what
  changed since then.
* **Caching**: every answer has an `ETag`; send it back in `If-None-Match` to get
  `304 Not Modified` when nothing changed.
* **Rate limit**: each client may make a set number of requests a minute. Beyond it you get
  `429 Too Many Requests` with `Retry-After` in seconds.
* **From a web page**: CORS allows GET from any origin, without credentials.
"""

api = NinjaAPI(
    title="NHS Citizen open API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs=AccessibleDocs(),
    docs_url="/docs",
    openapi_url="/openapi.json",
    auth=None,
)

NOT_FOUND = "There is nothing public at this address. Check the address and try again."

FIELD_MESSAGES = {
    "limit": "limit must be a whole number from 1 to 200",
    "id": "The number in the address must be a whole number",
    "sequence": "The entry number in the address must be a whole number",
    "changed_since": (
        "changed_since must be a date, or a date and time, written like 2026-05-01 or "
        "2026-05-01T09:30:00Z"
    ),
    "q": "q must be 200 characters or fewer",
    "topic": "topic must be a topic's number",
}


@api.exception_handler(BadParameter)
def _bad_parameter(request, exc: BadParameter):
    return api.create_response(request, error_body([(exc.field, exc.message)]), status=400)


@api.exception_handler(BadCursor)
def _bad_cursor(request, exc: BadCursor):
    return api.create_response(request, error_body([("cursor", str(exc))]), status=400)


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc: NinjaValidationError):
    errors = []
    for error in exc.errors:
        location = error.get("loc") or ()
        field = str(location[-1]) if location else ""
        message = FIELD_MESSAGES.get(field, f"{field or 'A value'} is not one we can use here")
        if (field, message) not in errors:
            errors.append((field, message))
    return api.create_response(request, error_body(errors), status=400)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, error_body([("", NOT_FOUND)]), status=404)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return api.create_response(request, error_body([("", str(exc))]), status=exc.status_code)


def _register() -> None:
    from nhs_citizen.api.resources import (
        assembly,
        audit,
        board,
        bodies,
        calls,
        commissions,
        discover,
        flags,
        panels,
        stories,
        tracker,
    )

    api.add_router("/flags", flags.router, tags=["Flags"])
    api.add_router("/commitments", tracker.router, tags=["Commitments"])
    api.add_router("/board-responses", board.router, tags=["Board responses"])
    api.add_router("/bodies", bodies.router, tags=["Bodies"])
    api.add_router("/stories", stories.router, tags=["Stories of change"])
    api.add_router("/calls", calls.router, tags=["Calls for views"])
    api.add_router("/cycles", assembly.cycles, tags=["Assembly"])
    api.add_router("/meetings", assembly.meetings, tags=["Assembly"])
    api.add_router("/panels", panels.router, tags=["Panels"])
    api.add_router("/panel-commissions", commissions.router, tags=["Panels"])
    api.add_router("/discover", discover.router, tags=["Discover"])
    api.add_router("/audit-log", audit.router, tags=["Audit log"])
    from nhs_citizen.api.resources import conversations

    api.add_router("/conversations", conversations.router, tags=["Conversations"])
    from nhs_citizen.api.resources import stocktake

    api.add_router("/stock-take", stocktake.router, tags=["Commitments"])


_register()
