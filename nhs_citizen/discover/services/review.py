"""A person's check on what Discover publishes.

- Visitors' "Tell us" messages wait, once redacted, in the curators' queue: a curator publishes
  one or turns it down with a reason. Signed-in people's messages are public once redacted.
- Redaction takes out anything that might be personal data. When it took out something that
  is not (a hospital's or a charity's name), a curator puts that word back, with a reason.

Only curators see the original words (``Item.raw_text``, kept privately as it always was) and
where they were taken out (``Item.redacted_spans``). The public audit log records that a word
was put back, its kind and the reason, never the word itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from nhs_citizen.core.middleware import invalidate_page_cache
from nhs_citizen.core.services.audit import record_audit_entry
from nhs_citizen.discover.algorithms import redact
from nhs_citizen.discover.models import Item, Review

REASON_MAX_LENGTH = 500
KIND_WORDS = {
    "nhs_number": "an NHS number",
    "record_number": "a record number",
    "date_of_birth": "a date of birth",
    "phone": "a phone number",
    "email": "an email address",
    "postcode": "a postcode",
    "address": "an address",
    "name": "a name",
}


def _reason(reason: str, missing: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": missing})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": f"The reason must be {REASON_MAX_LENGTH} characters or fewer"}
        )
    return reason


def _check_curator(user) -> None:
    if user is None or not user.has_perm("discover.curate"):
        raise ValidationError("Only curators can do this")


def _lock(item: Item) -> Item:
    return Item.objects.select_for_update().select_related("source").get(pk=item.pk)


def _queue_refresh(item: Item) -> None:
    from nhs_citizen.discover.services.curation import _queue_refresh

    _queue_refresh([item.topic_id] if item.topic_id else [])


# The queue -----------------------------------------------------------------------------------------
def check_publish(*, curator, item: Item) -> Item:
    """Publish a visitor's message that was waiting for a curator."""
    _check_curator(curator)
    with transaction.atomic():
        item = _lock(item)
        if item.review != Review.WAITING or item.processed_at is None:
            raise ValidationError("This message is not waiting for a check")
        item.review = Review.PUBLISHED
        item.reviewed_by = curator
        item.reviewed_at = timezone.now()
        item.save(update_fields=["review", "reviewed_by", "reviewed_at"])
        _queue_refresh(item)
        transaction.on_commit(invalidate_page_cache)
        record_audit_entry(
            actor=curator,
            action="discover.item_published",
            summary=f"Checked and published a message sent to “{item.source.name}”",
            target=item,
            public=True,
        )
    return item


def check_reject(*, curator, item: Item, reason: str) -> Item:
    """Turn down a visitor's message: it is never shown. The reason is audited."""
    _check_curator(curator)
    reason = _reason(reason, "Enter why you are not publishing it")
    with transaction.atomic():
        item = _lock(item)
        if item.review != Review.WAITING or item.processed_at is None:
            raise ValidationError("This message is not waiting for a check")
        now = timezone.now()
        item.review = Review.REJECTED
        item.reviewed_by = curator
        item.reviewed_at = now
        item.hidden_at = now
        item.hidden_reason = reason
        item.save(
            update_fields=["review", "reviewed_by", "reviewed_at", "hidden_at", "hidden_reason"]
        )
        record_audit_entry(
            actor=curator,
            action="discover.item_rejected",
            summary=f"Checked a message sent to “{item.source.name}” and did not publish it",
            target=item,
            reason=reason,
            public=True,
        )
    return item


# Putting back a word taken out by mistake -------------------------------------------------------------
@dataclass(frozen=True)
class TakenOut:
    """One place where redaction took words out, as a curator sees it."""

    number: int  # its position among the item's spans, as the restore form sends it
    start: int
    end: int
    kind: str
    words: str  # the original words: curators only
    restored: bool

    @property
    def kind_words(self) -> str:
        return KIND_WORDS.get(self.kind, "personal data")


def _spans(item: Item) -> list[tuple[int, int, str]]:
    """Where words were taken out of the raw text. Items processed before spans were kept
    have none stored: their spans are found again, and used only if they give the same
    public text (otherwise redaction has changed since, and nothing can be put back)."""
    if item.redacted_spans:
        return [(int(s), int(e), str(k)) for s, e, k in item.redacted_spans]
    if not item.processed_at or not item.raw_text:
        return []
    again = redact.redact(item.raw_text)
    if again.text != item.text:
        return []
    return [(s.start, s.end, s.kind) for s in again.spans]


def taken_out(item: Item) -> list[TakenOut]:
    """For curators only: each place redaction took words out, with the original words."""
    restored = {tuple(r[:2]) for r in item.restored_spans or []}
    return [
        TakenOut(n, s, e, k, item.raw_text[s:e], (s, e) in restored)
        for n, (s, e, k) in enumerate(_spans(item))
    ]


def public_text(raw_text: str, spans: list[tuple[int, int, str]], restored: set) -> str:
    """The raw text with every span that was not put back replaced by its placeholder."""
    parts, pos = [], 0
    for start, end, kind in sorted(spans):
        if (start, end) in restored:
            continue
        parts.append(raw_text[pos:start])
        parts.append(redact.PLACEHOLDERS.get(kind, "[removed]"))
        pos = end
    parts.append(raw_text[pos:])
    return "".join(parts)


def check_restore_span(*, curator, item: Item, number, reason: str) -> Item:
    """Put back the words redaction took out at position ``number`` (see ``taken_out``),
    because they are not personal data. The statement's public text changes at once."""
    _check_curator(curator)
    reason = _reason(reason, "Enter why these words are not personal data")
    try:
        number = int(number)
    except (TypeError, ValueError):
        number = -1
    with transaction.atomic():
        item = _lock(item)
        if item.processed_at is None:
            raise ValidationError("This statement is still being processed. Try again in a minute")
        spans = _spans(item)
        if not 0 <= number < len(spans):
            raise ValidationError("Those words were not taken out of this statement")
        start, end, kind = spans[number]
        restored = {tuple(r[:2]) for r in item.restored_spans or []}
        if (start, end) in restored:
            raise ValidationError("Those words have already been put back")
        restored.add((start, end))
        counts = dict(item.redactions or {})
        if counts.get(kind):
            counts[kind] -= 1
        item.redacted_spans = [list(s) for s in spans]
        item.restored_spans = sorted([s, e] for s, e in restored)
        item.redactions = counts
        item.text = public_text(item.raw_text, spans, restored)
        item.save(update_fields=["redacted_spans", "restored_spans", "redactions", "text"])
        transaction.on_commit(invalidate_page_cache)
        record_audit_entry(
            actor=curator,
            action="discover.words_restored",
            # Never the words themselves: the log is public.
            summary=f"Put back words taken out of a statement from “{item.source.name}” as "
            f"{KIND_WORDS.get(kind, 'personal data')}",
            target=item,
            reason=reason,
            data={"kind": kind, "length": end - start},
            public=True,
        )
    return item
