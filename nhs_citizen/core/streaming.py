"""Open-data files written piece by piece, so a file of a million rows costs the same memory
as a file of ten.

Rows are read from the database in chunks by key (``WHERE pk > last ORDER BY pk LIMIT n``): each
chunk is an ordinary query, so ``select_related`` and ``prefetch_related`` work chunk by chunk,
nothing is held open between chunks and no ``OFFSET`` grows with the file.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import StreamingHttpResponse

JSON = "application/json; charset=utf-8"
JSONL = "application/x-ndjson; charset=utf-8"
CSV = "text/csv; charset=utf-8"

OPEN_DATA_LICENCE = {
    "name": "Open Government Licence v3.0",
    "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}

# Rows per database query, and bytes gathered before they are handed to the server.
DEFAULT_CHUNK_SIZE = 2000
_FLUSH_AT = 64 * 1024


def iterate_keyset(queryset: QuerySet, chunk_size: int = DEFAULT_CHUNK_SIZE) -> Iterator[Any]:
    """Every row of ``queryset`` in ascending primary key order, one chunk at a time.

    Works for model instances and for ``.values()`` / ``.values_list()`` querysets (the primary
    key must then be among the fields: first for ``values_list``, ``"pk"`` or the key's name
    for ``values``)."""
    pk_name = queryset.model._meta.pk.attname
    last = None
    while True:
        chunk_query = queryset.order_by("pk")
        if last is not None:
            chunk_query = chunk_query.filter(pk__gt=last)
        chunk = list(chunk_query[:chunk_size])
        if not chunk:
            return
        yield from chunk
        if len(chunk) < chunk_size:
            return
        last = _key_of(chunk[-1], pk_name)


def _key_of(row: Any, pk_name: str) -> Any:
    if isinstance(row, Mapping):
        return row["pk"] if "pk" in row else row[pk_name]
    if isinstance(row, tuple):
        return row[0]
    return row.pk


def _dumps(value: Any) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))


def _buffered(pieces: Iterable[str]) -> Iterator[bytes]:
    """Join small strings into chunks of about 64 KB, so the server writes few large blocks.
    The first piece (a file's head) goes at once, so the download starts before the first
    rows are read."""
    pieces = iter(pieces)
    for first in pieces:
        yield first.encode("utf-8")
        break
    buffer: list[str] = []
    size = 0
    for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size >= _FLUSH_AT:
            yield "".join(buffer).encode("utf-8")
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer).encode("utf-8")


def json_document(
    head: Mapping[str, Any], list_key: str, items: Iterable[Mapping[str, Any]]
) -> Iterator[bytes]:
    """One JSON object, ``{**head, list_key: [item, ...]}``, written as the items come."""

    def pieces() -> Iterator[str]:
        opening = _dumps({**head, list_key: []})
        # Everything up to the list's closing bracket and the object's closing brace.
        yield opening[:-2]
        first = True
        for item in items:
            yield ("" if first else ",") + _dumps(item)
            first = False
        yield "]}"

    if list_key in head:
        raise ValueError(f"The head already has a {list_key!r} entry.")
    return _buffered(pieces())


def json_lines(items: Iterable[Mapping[str, Any]]) -> Iterator[bytes]:
    """JSON Lines: one JSON object per line, each complete on its own."""
    return _buffered(_dumps(item) + "\n" for item in items)


def csv_rows(header: list[str], rows: Iterable[Iterable[Any]]) -> Iterator[bytes]:
    """CSV with a header row, starting with a byte order mark so spreadsheets read UTF-8."""

    def pieces() -> Iterator[str]:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header)
        yield "\ufeff" + out.getvalue()
        for row in rows:
            out.seek(0)
            out.truncate()
            writer.writerow(row)
            yield out.getvalue()

    return _buffered(pieces())


def download(chunks: Iterable[bytes], content_type: str, filename: str) -> StreamingHttpResponse:
    """A streamed file download. The body is made only as the client reads it."""
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
