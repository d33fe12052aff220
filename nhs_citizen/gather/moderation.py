"""Gather's content kinds for the moderation app: flags, comments and evidence."""

from __future__ import annotations

from django.urls import reverse

from nhs_citizen.moderation.registry import ContentKind, register_content_kind


def _flag_url(flag_id: int) -> str:
    return reverse("gather:flag_detail", args=[flag_id])


def _on_flag(item) -> list[tuple[str, str]]:
    return [("On the flag", item.flag.title)]


def _flag_hidden(item) -> str | None:
    return item.flag.hidden_reason if item.flag.hidden_at is not None else None


def _evidence_parts(item) -> list[tuple[str, str]]:
    parts = [("Title", item.title)]
    if item.url:
        parts.append(("Link", item.url))
    if item.file:
        parts.append(("File", f"{item.file_type or 'A file'} ({item.file_size:,} bytes)"))
    return parts


FLAG = ContentKind(
    kind="flag",
    model="gather.Flag",
    noun="flag",
    author_field="raised_by",
    author_label="Raised by",
    describe=lambda flag: f"flag “{flag.title}”",
    public_label=lambda flag: f"flag {flag.pk}",
    url=lambda flag: _flag_url(flag.pk),
    parts=lambda flag: [
        ("Title", flag.title),
        ("What should change", flag.what_should_change),
        ("Why", flag.why),
    ],
    placeholder="This flag was hidden by a moderator",
    place="the flag",
)

COMMENT = ContentKind(
    kind="comment",
    model="gather.Comment",
    noun="comment",
    author_field="author",
    describe=lambda comment: f"comment on the flag “{comment.flag.title}”",
    public_label=lambda comment: f"a comment on flag {comment.flag_id}",
    url=lambda comment: f"{_flag_url(comment.flag_id)}#comment-{comment.pk}",
    parts=lambda comment: [("Comment", comment.body)],
    context=_on_flag,
    placeholder="This comment was hidden by a moderator",
    place="the flag",
    hidden_by_parent=_flag_hidden,
    related=("flag",),
)

EVIDENCE = ContentKind(
    kind="evidence",
    model="gather.Evidence",
    noun="piece of evidence",
    author_field="added_by",
    author_label="Added by",
    describe=lambda evidence: f"evidence on the flag “{evidence.flag.title}”",
    public_label=lambda evidence: f"a piece of evidence on flag {evidence.flag_id}",
    url=lambda evidence: f"{_flag_url(evidence.flag_id)}#evidence-{evidence.pk}",
    parts=_evidence_parts,
    context=_on_flag,
    placeholder="Evidence hidden by a moderator",
    place="the flag",
    hidden_by_parent=_flag_hidden,
    related=("flag",),
    file_url=lambda evidence: (
        reverse("gather:evidence_file", args=[evidence.pk]) if evidence.file else None
    ),
)


def register() -> None:
    for kind in (FLAG, COMMENT, EVIDENCE):
        register_content_kind(kind)
