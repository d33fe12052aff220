"""Checks on files people add as evidence: size and real type (by content, not by name)."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError

MAX_BYTES = 10 * 1024 * 1024
ALLOWED = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
}
ALLOWED_DESCRIPTION = "a PDF, PNG, JPG, GIF or WEBP"


@dataclass
class CheckedFile:
    upload: object
    mime: str
    size: int
    original_name: str
    safe_name: str


def check_evidence_file(upload) -> CheckedFile:
    size = getattr(upload, "size", 0) or 0
    name = os.path.basename(getattr(upload, "name", "") or "file")
    if size == 0:
        raise ValidationError({"file": "The selected file is empty"})
    if size > MAX_BYTES:
        raise ValidationError({"file": "The selected file must be smaller than 10MB"})
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED:
        raise ValidationError({"file": f"The selected file must be {ALLOWED_DESCRIPTION}"})
    # Stored under a random name with the extension of its real type, never the one given.
    return CheckedFile(
        upload, kind.mime, size, name[:150], f"{uuid.uuid4().hex}{ALLOWED[kind.mime]}"
    )
