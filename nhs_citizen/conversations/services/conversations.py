"""Opening conversations: on a flag (curators), on an Assembly agenda item (the secretariat,
before the meeting) or on an NHS body's call for views (its responders)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from nhs_citizen.conversations.models import Conversation, Statement
from nhs_citizen.conversations.services.statements import clean_statement_text
from nhs_citizen.core.middleware import invalidate_page_cache
from nhs_citizen.core.services.audit import record_audit_entry

QUESTION_MAX_LENGTH = 200
ABOUT_MAX_LENGTH = 2000
MAX_SEEDS = 30
LONGEST = datetime.timedelta(days=366)


def unique_slug(text: str) -> str:
    base = slugify(text)[:60].strip("-") or "conversation"
    slug, number = base, 1
    while Conversation.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _check_opener(opener, *, flag, agenda_item, call) -> None:
    attached = [thing for thing in (flag, agenda_item, call) if thing is not None]
    if len(attached) != 1:
        raise ValidationError(
            "A conversation must be about one flag, agenda item or call for views."
        )
    if flag is not None:
        if not opener.has_perm("conversations.open_on_flag"):
            raise ValidationError("Only a curator can open a conversation on a flag.")
        if flag.hidden_at is not None:
            raise ValidationError("This flag has been hidden by a moderator.")
    elif agenda_item is not None:
        if not opener.has_perm("conversations.open_on_agenda_item"):
            raise ValidationError("Only the secretariat can open a conversation on an agenda item.")
        if agenda_item.meeting.starts_at <= timezone.now():
            raise ValidationError(
                "The meeting has started. Open a conversation before the meeting, so the "
                "information pack and the facilitators can use it."
            )
    elif not opener.has_perm("conversations.open_on_call", call):
        raise ValidationError(
            "You can only open a conversation on a call for views of a body you answer for."
        )


def check_open_conversation(
    *,
    opener,
    question: str,
    closes_at: datetime.datetime,
    seeds: Sequence[str] = (),
    about: str = "",
    opens_at: datetime.datetime | None = None,
    flag=None,
    agenda_item=None,
    call=None,
) -> Conversation:
    """Open a conversation with its seed statements. Seed statements go through the same
    checks and redaction as anyone's."""
    _check_opener(opener, flag=flag, agenda_item=agenda_item, call=call)
    now = timezone.now()
    opens_at = opens_at or now
    question = " ".join((question or "").split())
    about = (about or "").strip()
    errors: dict[str, str] = {}
    if not question:
        errors["question"] = "Enter the question people will answer"
    elif len(question) > QUESTION_MAX_LENGTH:
        errors["question"] = f"The question must be {QUESTION_MAX_LENGTH} characters or fewer"
    if len(about) > ABOUT_MAX_LENGTH:
        errors["about"] = f"The background must be {ABOUT_MAX_LENGTH:,} characters or fewer"
    if closes_at is None or closes_at <= max(opens_at, now):
        errors["closes_at"] = "The closing date must be in the future"
    elif closes_at - opens_at > LONGEST:
        errors["closes_at"] = "A conversation can be open for a year at most"
    cleaned: list[tuple[str, bool]] = []
    seen: set[str] = set()
    lines = [line.strip() for line in seeds if line and line.strip()]
    if len(lines) > MAX_SEEDS:
        errors["seeds"] = f"Enter {MAX_SEEDS} seed statements or fewer"
    for number, line in enumerate(lines, 1):
        try:
            text, redacted = clean_statement_text(line)
        except ValidationError as error:
            errors.setdefault("seeds", f"Seed statement {number}: {error.messages[0]}")
            continue
        if text.casefold() in seen:
            errors.setdefault("seeds", f"Seed statement {number} is the same as an earlier one")
            continue
        seen.add(text.casefold())
        cleaned.append((text, redacted))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        conversation = Conversation.objects.create(
            slug=unique_slug(question),
            question=question,
            about=about,
            flag=flag,
            agenda_item=agenda_item,
            call=call,
            opened_by=opener,
            opens_at=opens_at,
            closes_at=closes_at,
        )
        from nhs_citizen.conversations.services.votes import join

        opener_number = join(conversation, opener).number
        Statement.objects.bulk_create(
            Statement(
                conversation=conversation,
                number=number,
                text=text,
                redacted=redacted,
                author=opener,
                author_number=opener_number,
                is_seed=True,
            )
            for number, (text, redacted) in enumerate(cleaned, 1)
        )
        record_audit_entry(
            actor=opener,
            action="conversations.opened",
            summary=f"Opened the conversation “{question[:150]}”",
            target=conversation,
            data={
                "slug": conversation.slug,
                "flag_id": getattr(flag, "pk", None),
                "agenda_item_id": getattr(agenda_item, "pk", None),
                "call_id": getattr(call, "pk", None),
                "seed_statements": len(cleaned),
            },
            public=True,
        )
        # The flag, item or call page a visitor sees now links to it.
        transaction.on_commit(invalidate_page_cache)
    return conversation


REASON_MAX_LENGTH = 300


def _check_manager(actor, conversation: Conversation) -> None:
    if not actor.has_perm("conversations.manage", conversation):
        raise ValidationError(
            "Only the person who opened this conversation, or someone in their role, can change it."
        )


def _clean_reason(reason: str, errors: dict[str, str]) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        errors["reason"] = "Say why you are making this change"
    elif len(reason) > REASON_MAX_LENGTH:
        errors["reason"] = f"The reason must be {REASON_MAX_LENGTH} characters or fewer"
    return reason


def check_change_conversation(
    *, actor, conversation: Conversation, question: str, closes_at: datetime.datetime, reason: str
) -> Conversation:
    """Change the question or the closing date of a conversation that has not closed, with a
    reason. The change and its reason go in the public audit log."""
    _check_manager(actor, conversation)
    now = timezone.now()
    if conversation.closes_at <= now:
        raise ValidationError("This conversation has closed. It can no longer be changed.")
    question = " ".join((question or "").split())
    errors: dict[str, str] = {}
    if not question:
        errors["question"] = "Enter the question people will answer"
    elif len(question) > QUESTION_MAX_LENGTH:
        errors["question"] = f"The question must be {QUESTION_MAX_LENGTH} characters or fewer"
    if closes_at is None or closes_at <= max(conversation.opens_at, now):
        errors["closes_at"] = "The closing date must be in the future"
    elif closes_at - conversation.opens_at > LONGEST:
        errors["closes_at"] = "A conversation can be open for a year at most"
    reason = _clean_reason(reason, errors)
    if errors:
        raise ValidationError(errors)
    before = {"question": conversation.question, "closes_at": conversation.closes_at.isoformat()}
    after = {"question": question, "closes_at": closes_at.isoformat()}
    if before == after:
        raise ValidationError("You have not changed the question or the closing date.")
    with transaction.atomic():
        # Locked and checked again: two changes at once, or a close, cannot cross.
        locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
        if locked.closes_at <= timezone.now():
            raise ValidationError("This conversation has closed. It can no longer be changed.")
        Conversation.objects.filter(pk=conversation.pk).update(
            question=question, closes_at=closes_at
        )
        record_audit_entry(
            actor=actor,
            action="conversations.changed",
            summary=f"Changed the conversation “{question[:150]}”: {reason[:150]}",
            target=conversation,
            reason=reason,
            data={"before": before, "after": after, "reason": reason},
            public=True,
        )
        if question != before["question"]:
            from nhs_citizen.conversations.services.results import queue_recompute

            # The map's title is the question: draw it again soon.
            transaction.on_commit(lambda: queue_recompute(conversation.pk, soon=True))
        transaction.on_commit(invalidate_page_cache)
    conversation.question, conversation.closes_at = question, closes_at
    return conversation


def check_close_conversation(*, actor, conversation: Conversation, reason: str) -> Conversation:
    """Close an open conversation now, with a reason. Its statements, votes and map stay to
    read; the map is worked out once more with every vote."""
    _check_manager(actor, conversation)
    now = timezone.now()
    if not conversation.has_started(now):
        raise ValidationError(
            "This conversation has not opened yet, so it cannot be closed. Change its closing "
            "date instead."
        )
    if conversation.closes_at <= now:
        raise ValidationError("This conversation has already closed.")
    errors: dict[str, str] = {}
    reason = _clean_reason(reason, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
        if locked.closes_at <= now:
            raise ValidationError("This conversation has already closed.")
        Conversation.objects.filter(pk=conversation.pk).update(
            closes_at=now, closed_early_at=now, closed_reason=reason
        )
        record_audit_entry(
            actor=actor,
            action="conversations.closed_early",
            summary=f"Closed the conversation “{conversation.question[:150]}” early: "
            f"{reason[:150]}",
            target=conversation,
            reason=reason,
            data={
                "was_to_close_at": locked.closes_at.isoformat(),
                "closed_at": now.isoformat(),
                "reason": reason,
            },
            public=True,
        )
        from nhs_citizen.conversations.services.results import queue_recompute

        # The final map: every vote counted, at once.
        transaction.on_commit(lambda: queue_recompute(conversation.pk, soon=True))
        transaction.on_commit(invalidate_page_cache)
    conversation.closes_at, conversation.closed_early_at = now, now
    conversation.closed_reason = reason
    return conversation
