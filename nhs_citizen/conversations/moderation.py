"""Statements in conversations as a content kind for the moderation app (ADR 0025): anyone can
report one, moderators hide them from the moderation pages, and curators from the
conversation's own page (through the same service, so it is in the moderation log)."""

from __future__ import annotations

from nhs_citizen.moderation.registry import ContentKind, register_content_kind

KIND = "conv_statement"


def _after_change(statement) -> None:
    # The map leaves hidden statements out: work it out again (debounced, in a job).
    from nhs_citizen.conversations.services import results

    results.queue_recompute(statement.conversation_id, soon=True)


STATEMENT = ContentKind(
    kind=KIND,
    model="conversations.Statement",
    noun="statement",
    author_field="author",
    describe=lambda statement: f"statement “{statement.text[:80]}”",
    public_label=lambda statement: (
        f"statement {statement.number} in the conversation “{statement.conversation.slug}”"
    ),
    url=lambda statement: statement.get_absolute_url(),
    parts=lambda statement: [("Statement", statement.text)],
    context=lambda statement: [("Conversation", statement.conversation.question)],
    placeholder="This statement has been hidden",
    place="the statement",
    after_change=_after_change,
    related=("conversation",),
)


def register() -> None:
    register_content_kind(STATEMENT)
