"""Discover's public statements as a content kind for moderation: anything public can be
reported (issue 13). The author is the person who sent it on this site, if anyone did."""

from __future__ import annotations

from django.urls import reverse

from nhs_citizen.discover.models import Review
from nhs_citizen.moderation.registry import ContentKind, register_content_kind


def _is_public_kind(item) -> bool:
    return item.processed_at is not None and item.review not in (Review.WAITING, Review.REJECTED)


def _visible_to(user, item) -> bool:
    return _is_public_kind(item) or user.has_perm("discover.curate")


def _can_hide(item) -> str | None:
    if item.processed_at is None:
        return "This statement is still being processed. Try again in a minute"
    if item.review in (Review.WAITING, Review.REJECTED):
        return "This is a visitor's message. Publish it or turn it down from the messages to check"
    return None


def _after_change(item) -> None:
    # Pages drop a hidden statement at once; the topics' stored figures follow.
    from nhs_citizen.discover import tasks

    tasks.refresh_topics.enqueue([item.topic_id] if item.topic_id else [])


STATEMENT = ContentKind(
    kind="statement",
    model="discover.Item",
    noun="statement",
    author_field="sent_by",
    author_label="Sent by",
    describe=lambda item: f"statement “{item.text[:80]}”",
    public_label=lambda item: f"a statement from “{item.source.name}”",
    url=lambda item: reverse("discover:item_detail", args=[item.pk]),
    parts=lambda item: [("Statement", item.text)],
    context=lambda item: [("Where it came from", item.source.name)],
    placeholder="This statement has been hidden",
    place="the statement",
    visible_to=_visible_to,
    can_hide=_can_hide,
    after_change=_after_change,
    related=("source",),
)


def register() -> None:
    register_content_kind(STATEMENT)
