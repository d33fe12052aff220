"""Shapes shared by every resource: the licence, the list envelope and errors."""

from __future__ import annotations

from ninja import Schema


class Licence(Schema):
    name: str
    url: str


class FieldError(Schema):
    field: str
    message: str


class Error(Schema):
    detail: str
    errors: list[FieldError]


ERRORS = {400: Error, 404: Error, 429: Error}
LIST_ERRORS = {400: Error, 429: Error}


class Envelope(Schema):
    licence: Licence
    next: str | None
