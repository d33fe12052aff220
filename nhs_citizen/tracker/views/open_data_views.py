"""The tracker as open data: every commitment and every update, as JSON, JSON Lines and CSV,
streamed chunk by chunk (constant memory, whatever the size). Only what the tracker shows to
visitors: bodies, teams and roles, never a person's name or e-mail."""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone

from nhs_citizen.core.streaming import (
    CSV,
    JSON,
    JSONL,
    csv_rows,
    download,
    json_document,
    json_lines,
)
from nhs_citizen.tracker.open_data import (
    COMMITMENT_COLUMNS,
    UPDATE_COLUMNS,
    board_response_download_items,
    commitment_csv_rows,
    commitment_records,
    safe_csv_rows,
    update_csv_rows,
)

LICENCE = "Open Government Licence v3.0"


def _and_then(chunks: Iterator[bytes], key: str, items) -> Iterator[bytes]:
    """A streamed JSON document with one more list after its last one. Every chunk goes out as
    it comes but for its last two bytes, so the document's closing ``]}`` can be swapped for the
    start of the next list (the first bytes are not held back behind the first rows)."""
    tail = b""
    for chunk in chunks:
        data = tail + chunk
        if len(data) > 2:
            yield data[:-2]
            tail = data[-2:]
        else:
            tail = data
    assert tail == b"]}"
    yield b"]," + json.dumps(key).encode() + b":["
    first = True
    for item in items:
        yield (b"" if first else b",") + json.dumps(
            item, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")
        ).encode("utf-8")
        first = False
    yield b"]}"


def commitments_json(request: HttpRequest) -> StreamingHttpResponse:
    """Every commitment with its updates, then every Board response: one JSON document,
    written as it is read."""
    today = timezone.localdate()
    head = {"licence": LICENCE, "made_at": timezone.now().isoformat()}
    chunks = json_document(head, "commitments", commitment_records(today))
    return download(
        _and_then(chunks, "board_responses", board_response_download_items()),
        JSON,
        "nhs-citizen-commitments.json",
    )


def commitments_jsonl(request: HttpRequest) -> StreamingHttpResponse:
    """Every commitment with its updates, one JSON object per line."""
    today = timezone.localdate()
    return download(json_lines(commitment_records(today)), JSONL, "nhs-citizen-commitments.jsonl")


def _csv(filename: str, header: list[str], rows) -> StreamingHttpResponse:
    # csv_rows starts with a byte order mark, so that spreadsheets read the file as UTF-8.
    return download(csv_rows(header, safe_csv_rows(rows)), CSV, filename)


def commitments_csv(request: HttpRequest) -> StreamingHttpResponse:
    today = timezone.localdate()
    return _csv("nhs-citizen-commitments.csv", COMMITMENT_COLUMNS, commitment_csv_rows(today))


def updates_csv(request: HttpRequest) -> StreamingHttpResponse:
    return _csv("nhs-citizen-commitment-updates.csv", UPDATE_COLUMNS, update_csv_rows())
