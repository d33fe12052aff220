"""What happens in the room and online during the meeting: the facilitators' workshop notes on
the three questions, and remote participants' posts to each item's thread. Moderators hide
posts that break the house rules through the moderation app (meetings/moderation.py)."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from nhs_citizen.core.services.audit import record_audit_entry
from nhs_citizen.meetings.models import (
    AgendaItem,
    Meeting,
    RemotePost,
    WorkshopNote,
    WorkshopQuestion,
)

MAX_NOTE_LENGTH = 5000
MAX_TABLE_LENGTH = 50
MAX_POST_LENGTH = 3000
DUPLICATE_WINDOW = timedelta(minutes=1)

POSTING_CLOSED = (
    "Posting to this thread is closed. Remote participants can post only while the "
    "Assembly Meeting is running and the secretariat has opened the threads."
)


def check_record_workshop_note(
    *, facilitator, item: AgendaItem, question: str, table: str, text: str
) -> WorkshopNote:
    table = " ".join((table or "").split())
    text = (text or "").strip()
    if question not in WorkshopQuestion.values:
        raise ValidationError({"question": "Select which question the note answers"})
    if not table:
        raise ValidationError({"table": "Enter the table or group, for example Table 4"})
    if len(table) > MAX_TABLE_LENGTH:
        raise ValidationError({"table": "The table or group must be 50 characters or fewer"})
    if not text:
        raise ValidationError({"text": "Enter what the workshop said"})
    if len(text) > MAX_NOTE_LENGTH:
        raise ValidationError({"text": "The note must be 5,000 characters or fewer"})
    with transaction.atomic():
        note = WorkshopNote.objects.create(
            item=item, question=question, table=table, text=text, recorded_by=facilitator
        )
        record_audit_entry(
            actor=facilitator,
            action="meetings.workshop_note_recorded",
            summary=(
                f"Recorded what {table} said on “{WorkshopQuestion(question).label}” "
                f"for “{item.title}”"
            ),
            target=note,
            data={"item": item.pk, "question": question},
            public=True,
        )
    return note


def posting_is_open(item: AgendaItem) -> bool:
    return Meeting.objects.filter(pk=item.meeting_id, remote_posting_open=True).exists()


def check_post_remotely(*, user, item: AgendaItem, body: str, question: str = "") -> RemotePost:
    """Anyone signed in posts straight to the item's thread while the secretariat has posting
    open. Nothing is checked before it shows: moderators hide what breaks the house rules."""
    if not user.is_authenticated or getattr(user, "deleted_at", None):
        raise ValidationError("Sign in to post to the thread.")
    body = (body or "").strip()
    question = question or ""
    if question and question not in WorkshopQuestion.values:
        raise ValidationError({"question": "Select one of the three questions, or none"})
    if not body:
        raise ValidationError({"body": "Enter what you want to say"})
    if len(body) > MAX_POST_LENGTH:
        raise ValidationError({"body": "Your post must be 3,000 characters or fewer"})
    with transaction.atomic():
        # Read from the database, not from the page the person loaded: it may have closed since.
        if not posting_is_open(item):
            raise ValidationError(POSTING_CLOSED)
        if RemotePost.objects.filter(
            item=item,
            author=user,
            body=body,
            created_at__gte=timezone.now() - DUPLICATE_WINDOW,
        ).exists():
            raise ValidationError(
                {"body": "You posted exactly this a moment ago. It is already in the thread"}
            )
        post = RemotePost.objects.create(item=item, author=user, question=question, body=body)
        record_audit_entry(
            actor=user,
            action="meetings.remote_post_added",
            summary=f"Posted to the thread of “{item.title}”",
            target=post,
            data={"item": item.pk},
        )
    return post
