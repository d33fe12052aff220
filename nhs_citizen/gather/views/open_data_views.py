"""Gather's open data: every public flag, decision, referral and answer, as JSON and as JSON
Lines, streamed (the file is written as it is read, whatever its size).

Only what the site already shows to visitors: display names people chose, never email
addresses; hidden content keeps its placeholder reason and nothing else."""

from __future__ import annotations

from django.http import HttpRequest, StreamingHttpResponse

from nhs_citizen.core.streaming import (
    JSON,
    JSONL,
    OPEN_DATA_LICENCE,
    download,
    json_document,
    json_lines,
)
from nhs_citizen.gather.queries import flag_records


def _with_licence_link(response: StreamingHttpResponse) -> StreamingHttpResponse:
    response["Link"] = f'<{OPEN_DATA_LICENCE["url"]}>; rel="license"'
    return response


def flags_json(request: HttpRequest) -> StreamingHttpResponse:
    """One JSON document: the licence, then every flag (the same shape as ever)."""
    head = {"licence": OPEN_DATA_LICENCE["name"]}
    return _with_licence_link(
        download(json_document(head, "flags", flag_records()), JSON, "nhs-citizen-flags.json")
    )


def flags_jsonl(request: HttpRequest) -> StreamingHttpResponse:
    """JSON Lines: one flag per line, each the same object as in the JSON file. The licence is
    in the Link header."""
    return _with_licence_link(
        download(json_lines(flag_records()), JSONL, "nhs-citizen-flags.jsonl")
    )
