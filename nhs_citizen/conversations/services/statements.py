"""Adding statements to a conversation: one idea in at most 140 characters, with personal data
taken out, and a limit on how many one person adds in an hour."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from nhs_citizen.conversations.models import STATEMENT_MAX_LENGTH, Conversation, Statement
from nhs_citizen.core.services.audit import record_audit_entry
from nhs_citizen.discover.algorithms.redact import redact

LINK_RE = re.compile(r"(https?://|www\.)\S+", re.IGNORECASE)
DEFAULT_STATEMENTS_PER_HOUR = 10
HOUR = 60 * 60


def statements_per_hour() -> int:
    return int(getattr(settings, "CONVERSATION_STATEMENTS_PER_HOUR", DEFAULT_STATEMENTS_PER_HOUR))


def clean_statement_text(text: str) -> tuple[str, bool]:
    """The statement as it will be shown, and whether personal data was taken out of it.
    Raises ValidationError with a plain message for anything the rules do not allow."""
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError("Enter your statement")
    if len(text) > STATEMENT_MAX_LENGTH:
        raise ValidationError(
            f"Your statement must be {STATEMENT_MAX_LENGTH} characters or fewer. "
            f"It has {len(text)}. Keep it to one idea"
        )
    if LINK_RE.search(text):
        raise ValidationError("Statements cannot contain links. Say the idea in your own words")
    if sum(1 for ch in text if ch.isalpha()) < 3:
        raise ValidationError("Write your statement in words")
    redaction = redact(text)
    if len(redaction.text) > STATEMENT_MAX_LENGTH:
        raise ValidationError(
            "Your statement includes personal details, such as a name or phone number. Take "
            "them out and try again"
        )
    return redaction.text, bool(redaction.spans)


def _rate_key(user_id: int) -> str:
    return f"conversations:statements-added:{user_id}"


def added_this_hour(user) -> int:
    return int(cache.get(_rate_key(user.pk)) or 0)


def _count_added(user) -> None:
    key = _rate_key(user.pk)
    cache.add(key, 0, timeout=HOUR)
    try:
        cache.incr(key)
    except ValueError:  # the hour ran out in between
        cache.set(key, 1, timeout=HOUR)


def check_can_take_part(conversation: Conversation, now=None) -> None:
    now = now or timezone.now()
    if not conversation.has_started(now):
        raise ValidationError("This conversation has not opened yet.")
    if not conversation.is_open(now):
        raise ValidationError("This conversation has closed. You can still read what people said.")


def check_add_statement(*, user, conversation: Conversation, text: str) -> Statement:
    """Add a signed-in person's statement. They are limited to a few an hour."""
    if not user.is_authenticated or not user.has_perm("conversations.take_part"):
        raise ValidationError("Sign in to add a statement.")
    check_can_take_part(conversation)
    try:
        text, redacted = clean_statement_text(text)
    except ValidationError as error:
        raise ValidationError({"text": error.messages[0]}) from None
    if added_this_hour(user) >= statements_per_hour():
        raise ValidationError(
            {
                "text": f"You have added {statements_per_hour()} statements in the last hour. "
                "Vote on other people's statements, and try again later"
            }
        )
    if Statement.objects.filter(conversation=conversation, text__iexact=text).exists():
        raise ValidationError(
            {"text": "Someone has already added this statement. Vote on it instead"}
        )
    from nhs_citizen.conversations.services.votes import join

    author = join(conversation, user)  # writing a statement makes you a participant, as in Pol.is
    for _attempt in range(3):
        try:
            with transaction.atomic():
                number = (
                    Statement.objects.filter(conversation=conversation).aggregate(Max("number"))[
                        "number__max"
                    ]
                    or 0
                ) + 1
                statement = Statement.objects.create(
                    conversation=conversation,
                    number=number,
                    text=text,
                    redacted=redacted,
                    author=user,
                    author_number=author.number,
                )
                record_audit_entry(
                    actor=user,
                    action="conversations.statement_added",
                    summary=f"Added statement {number} to the conversation “{conversation.slug}”",
                    target=statement,
                    data={
                        "conversation": conversation.slug,
                        "number": number,
                        "redacted": redacted,
                    },
                )
        except IntegrityError:  # someone else took the number a moment ago
            continue
        _count_added(user)
        return statement
    raise ValidationError("Too many people are adding statements at once. Try again in a moment.")
