"""What can be moderated. Each app registers its content kinds here, from its AppConfig.ready,
the way "Your data" sections are registered with accounts (ADR 0025).

The moderation app knows nothing about flags, stories or posts: everything it needs to
report, hide, put back and appeal an item comes from the item's ``ContentKind``. Every
registered model keeps what is hidden, and why, on the item itself, in ``hidden_at`` and
``hidden_reason``, so that its own pages can show the placeholder with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models


def _always(user, item) -> bool:
    return True


def _nothing(item) -> None:
    return None


@dataclass(frozen=True)
class ContentKind:
    """One kind of thing people write that a moderator can hide.

    kind: the short name in URLs and in reports, "comment".
    model: the model's label, "gather.Comment".
    noun: "comment", as in "Report this comment".
    author_field: the foreign key to the person who wrote it (may be empty on some rows).
    describe: a phrase naming the item for messages, without "a" or "the":
        "comment on the flag “Open at weekends”". Never used in the public log.
    public_label: the item in the public log, never its text: "a comment on flag 12".
    url: where the public sees it (and its placeholder when hidden).
    parts: what was written, as (label, text) rows for a moderator.
    placeholder: what the public sees in its place, before the reason.
    place: what the "Back to" link goes back to: "the flag".
    visible_to: who may see it at all (a story waiting for a curator is nobody's business);
        someone who may not gets "not found" from the moderation pages too.
    can_hide: a reason it cannot be hidden or put back (for example still being checked),
        or None.
    hidden_by_parent: the public reason if something it is part of is hidden, or None.
    after_change: called after it is hidden or put back (for stored figures to refresh).
    related: select_related paths every callable above needs.
    context: extra (label, text) rows for a moderator, such as the flag it is on.
    author_label: "Written by".
    """

    kind: str
    model: str
    noun: str
    author_field: str
    describe: Callable[[Any], str]
    public_label: Callable[[Any], str]
    url: Callable[[Any], str]
    parts: Callable[[Any], list[tuple[str, str]]]
    placeholder: str
    place: str
    visible_to: Callable[[Any, Any], bool] = _always
    can_hide: Callable[[Any], str | None] = _nothing
    hidden_by_parent: Callable[[Any], str | None] = _nothing
    after_change: Callable[[Any], None] = _nothing
    related: tuple[str, ...] = ()
    context: Callable[[Any], list[tuple[str, str]]] = field(default=lambda item: [])
    author_label: str = "Written by"
    file_url: Callable[[Any], str | None] = _nothing

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def author_id(self, item) -> int | None:
        return getattr(item, f"{self.author_field}_id")

    def author(self, item):
        return getattr(item, self.author_field)

    def queryset(self) -> models.QuerySet:
        related = tuple(dict.fromkeys((self.author_field, *self.related)))
        return self.model_class.objects.select_related(*related)

    def short_text(self, item) -> str:
        """The first part, for a person checking they are reporting the right thing."""
        parts = self.parts(item)
        return parts[0][1] if parts else ""

    @property
    def reason_max_length(self) -> int:
        return self.model_class._meta.get_field("hidden_reason").max_length


_kinds: dict[str, ContentKind] = {}


def register_content_kind(kind: ContentKind) -> None:
    """Called from an app's AppConfig.ready. Registering the same kind twice replaces it."""
    if not kind.kind.replace("_", "").isalnum() or len(kind.kind) > 20:
        raise ValueError(f"A content kind's name must be short and plain: {kind.kind!r}")
    _kinds[kind.kind] = kind


def get_kind(kind: str) -> ContentKind | None:
    return _kinds.get(kind)


def all_kinds() -> dict[str, ContentKind]:
    return dict(_kinds)


def kind_for_model(model: type[models.Model]) -> ContentKind | None:
    label = model._meta.label
    return next((k for k in _kinds.values() if k.model == label), None)
