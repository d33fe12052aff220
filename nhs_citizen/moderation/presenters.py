"""View models for moderation pages. Nothing here knows which apps' content it shows: it asks
the item's registered content kind (registry.py)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q

from nhs_citizen.core.models import AuditEntry
from nhs_citizen.moderation.models import Appeal, QueueEntry, Report
from nhs_citizen.moderation.registry import ContentKind, get_kind
from nhs_citizen.moderation.services import is_hidden


@dataclass
class ContentItem:
    """An item of any registered kind as a moderator sees it: everything, even if hidden."""

    spec: ContentKind
    item: Any

    @property
    def kind(self) -> str:
        return self.spec.kind

    @property
    def object_id(self) -> int:
        return self.item.pk

    @property
    def noun(self) -> str:
        return self.spec.noun

    @property
    def place(self) -> str:
        return self.spec.place

    @property
    def url(self) -> str:
        return self.spec.url(self.item)

    @property
    def author_name(self) -> str:
        author = self.spec.author(self.item)
        return author.public_name if author is not None else "Someone who is not signed in"

    @property
    def author_label(self) -> str:
        return self.spec.author_label

    @property
    def created_at(self) -> datetime | None:
        return getattr(self.item, "created_at", None) or getattr(self.item, "received_at", None)

    @property
    def heading(self) -> str:
        """A short label that is not the reported text itself."""
        label = self.spec.public_label(self.item)
        return label[0].upper() + label[1:]

    @property
    def is_hidden(self) -> bool:
        return is_hidden(self.item)

    @property
    def hidden_from_public(self) -> bool:
        """Hidden itself, or part of something that is hidden."""
        return self.is_hidden or self.spec.hidden_by_parent(self.item) is not None

    @property
    def hidden_reason(self) -> str:
        if self.is_hidden:
            return self.item.hidden_reason
        return self.spec.hidden_by_parent(self.item) or ""

    @property
    def placeholder(self) -> str:
        return self.spec.placeholder

    @property
    def short_text(self) -> str:
        """What a person reporting it sees, to check it is the right one."""
        return self.spec.short_text(self.item)

    @property
    def parts(self) -> list[tuple[str, str]]:
        """What was written, part by part, to show as plain text."""
        return self.spec.parts(self.item)

    @property
    def context(self) -> list[tuple[str, str]]:
        return self.spec.context(self.item)

    @property
    def file_url(self) -> str | None:
        return self.spec.file_url(self.item)


def _load_items(pairs: list[tuple[str, int]]) -> dict[tuple[str, int], ContentItem]:
    """The content for many (kind, id) pairs, in one query per kind."""
    ids_by_kind: dict[str, list[int]] = defaultdict(list)
    for kind, object_id in pairs:
        ids_by_kind[kind].append(object_id)
    found: dict[tuple[str, int], ContentItem] = {}
    for kind, ids in ids_by_kind.items():
        spec = get_kind(kind)
        if spec is None:
            continue
        for pk, item in spec.queryset().in_bulk(ids).items():
            found[(kind, pk)] = ContentItem(spec, item)
    return found


def load_item(kind: str, object_id: int) -> ContentItem | None:
    return _load_items([(kind, object_id)]).get((kind, object_id))


# The moderators' queue -------------------------------------------------------------------------
QUEUE_ORDER = ("waiting_since", "pk")


def queue_for(user):
    """The stored queue as this person may work on it. A moderator sees everything except
    appeals against their own decisions; an administrator who is not a moderator sees only
    the appeals sent to them."""
    entries = QueueEntry.objects.all()
    if user.has_perm("moderation.moderate"):
        return entries.exclude(hidden_by=user)
    return entries.filter(assigned_to=user)


@dataclass
class QueueRow:
    entry: QueueEntry
    content: ContentItem | None
    reports: list[Report]
    appeal: Appeal | None
    for_you: bool

    @property
    def kind(self) -> str:
        return self.entry.kind

    @property
    def object_id(self) -> int:
        return self.entry.object_id

    @property
    def waiting_since(self) -> datetime:
        return self.entry.waiting_since

    @property
    def reasons(self) -> list[str]:
        """Each reason given, once, most common first."""
        counts: dict[str, int] = defaultdict(int)
        for report in self.reports:
            counts[report.get_reason_display()] += 1
        return [
            f"{label} ({count})" if count > 1 else label
            for label, count in sorted(counts.items(), key=lambda pair: -pair[1])
        ]


def queue_rows(entries: list[QueueEntry], user) -> list[QueueRow]:
    """The content, reports and appeals for one page of the queue, in a fixed number of
    queries however long the page is (one for the reports, one for the appeals, one per kind
    of content on the page)."""
    if not entries:
        return []
    keys = [(e.kind, e.object_id) for e in entries]
    items = _load_items(keys)
    reports: dict[tuple[str, int], list[Report]] = defaultdict(list)
    with_reports = [e for e in entries if e.open_reports]
    if with_reports:
        match = Q()
        for entry in with_reports:
            match |= Q(kind=entry.kind, object_id=entry.object_id)
        for report in Report.objects.open().filter(match).order_by("created_at", "pk"):
            reports[(report.kind, report.object_id)].append(report)
    appeal_ids = [e.appeal_id for e in entries if e.appeal_id]
    appeals = Appeal.objects.in_bulk(appeal_ids) if appeal_ids else {}
    return [
        QueueRow(
            entry=entry,
            content=items.get((entry.kind, entry.object_id)),
            reports=reports.get((entry.kind, entry.object_id), []),
            appeal=appeals.get(entry.appeal_id),
            for_you=bool(entry.assigned_to_id and entry.assigned_to_id == user.pk),
        )
        for entry in entries
    ]


def open_counts() -> dict[str, int]:
    return {
        "reports": Report.objects.open().count(),
        "appeals": Appeal.objects.open().count(),
    }


# The public moderation log ---------------------------------------------------------------------
PUBLIC_ACTIONS = {
    "moderation.hidden": ("Hidden", "red"),
    "moderation.restored": ("Put back", "green"),
    "moderation.dismissed": ("Left in place", "blue"),
    "moderation.appeal_refused": ("Kept hidden after an appeal", "orange"),
    # Stories were hidden under their own names before the registry (ADR 0025).
    "culture.story_hidden": ("Hidden", "red"),
    "culture.story_restored": ("Put back", "green"),
}


@dataclass
class LogRow:
    entry: AuditEntry

    @property
    def outcome(self) -> str:
        return PUBLIC_ACTIONS.get(self.entry.action, ("Decision", "grey"))[0]

    @property
    def tag_colour(self) -> str:
        return PUBLIC_ACTIONS.get(self.entry.action, ("Decision", "grey"))[1]

    @property
    def kind_label(self) -> str:
        spec = get_kind(self.entry.data.get("kind", ""))
        return spec.noun.capitalize() if spec else "Item"

    @property
    def url(self) -> str | None:
        data = self.entry.data
        if data.get("url"):
            return data["url"]
        # Entries written before the registry kept only the flag's number.
        if get_kind(data.get("kind", "")) and data.get("flag_id"):
            from django.urls import reverse

            url = reverse("gather:flag_detail", args=[data["flag_id"]])
            return url if data["kind"] == "flag" else f"{url}#{data['kind']}-{data['object_id']}"
        if data.get("story_id"):
            from django.urls import reverse

            return reverse("culture:story_detail", args=[data["story_id"]])
        return None


def moderation_log_entries():
    return (
        AuditEntry.objects.public()
        .filter(Q(action__startswith="moderation.") | Q(action__in=list(PUBLIC_ACTIONS)))
        .order_by("-sequence")
    )


def log_rows(entries) -> list[LogRow]:
    return [LogRow(entry) for entry in entries]
