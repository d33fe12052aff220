"""Serving a conversation's Pol.is files (the conversation's page, the open data page and the
API). Small conversations' files are made for each download, so they are always up to date.
A large one's would take hundreds of megabytes in a web worker, so a job queued after each
recompute (``tasks.write_conversation_files``) writes them to disk and downloads serve those:
as of the last recompute, and never with a statement that has been hidden since."""

from __future__ import annotations

from django.http import FileResponse, HttpResponse

from nhs_citizen.conversations.models import Conversation

FILES = ("comments.csv", "votes.csv", "participants-votes.csv")


def polis_file_response(conversation: Conversation, name: str) -> HttpResponse | None:
    """The file, a 503 asking to try again in a minute, or None if there is no such file."""
    from nhs_citizen.conversations.services import polis
    from nhs_citizen.conversations.services.results import queue_recompute

    if name not in FILES:
        return None
    filename = f"{conversation.slug}-{name}"
    if conversation.vote_count <= polis.large_conversation_votes():
        response = HttpResponse(
            polis.export_files(conversation)[name], content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    path = polis.stored_export_file(conversation, name)
    if path is None:
        queue_recompute(conversation.pk, soon=True)
        response = HttpResponse(
            "The files for this conversation are being made. Try again in a minute.",
            content_type="text/plain; charset=utf-8",
            status=503,
        )
        response["Retry-After"] = "60"
        return response
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type="text/csv; charset=utf-8",
    )
