"""View models for moderation pages."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Min, Q
from django.urls import reverse

from nhs_citizen.core.models import AuditEntry
from nhs_citizen.moderation.models import Appeal, ContentKind, Report
from nhs_citizen.moderation.services import (
    KINDS,
    author_of,
    content_model,
    flag_id_of,
    is_hidden,
    item_url,
    noun,
)


@dataclass
class ContentItem:
    """A flag, comment or evidence as a moderator sees it: everything, even if hidden."""

    kind: str
    item: Any

    @property
    def object_id(self) -> int:
        return self.item.pk

    @property
    def noun(self) -> str:
        return noun(self.kind)

    @property
    def flag_id(self) -> int:
        return flag_id_of(self.kind, self.item)

    @property
    def flag_title(self) -> str:
        return self.item.title if self.kind == ContentKind.FLAG else self.item.flag.title

    @property
    def url(self) -> str:
        return item_url(self.kind, self.object_id, self.flag_id)

    @property
    def author_name(self) -> str:
        return author_of(self.kind, self.item).public_name

    @property
    def author_label(self) -> str:
        return {"flag": "Raised by", "comment": "Written by", "evidence": "Added by"}[self.kind]

    @property
    def created_at(self) -> datetime:
        return self.item.created_at

    @property
    def heading(self) -> str:
        """A short label that is not the reported text itself."""
        if self.kind == ContentKind.FLAG:
            return f"Flag {self.object_id}"
        return f"{self.noun.capitalize()} on flag {self.flag_id}"

    @property
    def is_hidden(self) -> bool:
        return is_hidden(self.item)

    @property
    def hidden_from_public(self) -> bool:
        """Hidden itself, or on a flag that is hidden."""
        if self.is_hidden:
            return True
        return self.kind != ContentKind.FLAG and is_hidden(self.item.flag)

    @property
    def hidden_reason(self) -> str:
        if self.is_hidden:
            return self.item.hidden_reason
        return self.item.flag.hidden_reason if self.kind != ContentKind.FLAG else ""

    @property
    def short_text(self) -> str:
        """What a person reporting it sees, to check it is the right one."""
        if self.kind == ContentKind.COMMENT:
            return self.item.body
        return self.item.title

    @property
    def parts(self) -> list[tuple[str, str]]:
        """What was written, part by part, to show as plain text."""
        item = self.item
        if self.kind == ContentKind.FLAG:
            return [
                ("Title", item.title),
                ("What should change", item.what_should_change),
                ("Why", item.why),
            ]
        if self.kind == ContentKind.COMMENT:
            return [("Comment", item.body)]
        parts = [("Title", item.title)]
        if item.url:
            parts.append(("Link", item.url))
        if item.file:
            parts.append(("File", f"{item.file_type or 'A file'} ({item.file_size:,} bytes)"))
        return parts

    @property
    def file_url(self) -> str | None:
        if self.kind == ContentKind.EVIDENCE and self.item.file:
            return reverse("gather:evidence_file", args=[self.object_id])
        return None


def _load_items(pairs: list[tuple[str, int]]) -> dict[tuple[str, int], ContentItem]:
    """The content for many (kind, id) pairs, in one query per kind."""
    ids_by_kind: dict[str, list[int]] = defaultdict(list)
    for kind, object_id in pairs:
        ids_by_kind[kind].append(object_id)
    found: dict[tuple[str, int], ContentItem] = {}
    for kind, ids in ids_by_kind.items():
        model = content_model(kind)
        if model is None:
            continue
        related = [KINDS[kind].author_field]
        if kind != ContentKind.FLAG:
            related.append("flag")
        for pk, item in model.objects.select_related(*related).in_bulk(ids).items():
            found[(kind, pk)] = ContentItem(kind, item)
    return found


def load_item(kind: str, object_id: int) -> ContentItem | None:
    return _load_items([(kind, object_id)]).get((kind, object_id))


@dataclass
class QueueEntry:
    kind: str
    object_id: int
    waiting_since: datetime
    content: ContentItem | None = None
    reports: list[Report] = field(default_factory=list)
    appeal: Appeal | None = None

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


def waiting_items() -> list[QueueEntry]:
    """Every item with open reports or an open appeal, waiting longest first."""
    entries: dict[tuple[str, int], QueueEntry] = {}
    for source in (Report.objects.open(), Appeal.objects.open()):
        for row in source.values("kind", "object_id").annotate(first=Min("created_at")):
            key = (row["kind"], row["object_id"])
            if key in entries:
                entries[key].waiting_since = min(entries[key].waiting_since, row["first"])
            else:
                entries[key] = QueueEntry(row["kind"], row["object_id"], row["first"])
    return sorted(entries.values(), key=lambda e: (e.waiting_since, e.kind, e.object_id))


def fill_queue_entries(entries: list[QueueEntry]) -> list[QueueEntry]:
    """Load the content, reports and appeals for one page of the queue, in a fixed number of
    queries however long the page is."""
    if not entries:
        return entries
    keys = [(e.kind, e.object_id) for e in entries]
    items = _load_items(keys)
    match = Q()
    for kind, object_id in keys:
        match |= Q(kind=kind, object_id=object_id)
    reports: dict[tuple[str, int], list[Report]] = defaultdict(list)
    for report in Report.objects.open().filter(match).order_by("created_at", "pk"):
        reports[(report.kind, report.object_id)].append(report)
    appeals = {(a.kind, a.object_id): a for a in Appeal.objects.open().filter(match)}
    for entry in entries:
        key = (entry.kind, entry.object_id)
        entry.content = items.get(key)
        entry.reports = reports.get(key, [])
        entry.appeal = appeals.get(key)
    return entries


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
        kind = self.entry.data.get("kind")
        return noun(kind).capitalize() if kind in KINDS else "Item"

    @property
    def url(self) -> str | None:
        data = self.entry.data
        if data.get("kind") not in KINDS or not data.get("flag_id"):
            return None
        return item_url(data["kind"], data["object_id"], data["flag_id"])


def moderation_log_entries():
    return (
        AuditEntry.objects.public().filter(action__startswith="moderation.").order_by("-sequence")
    )


def log_rows(entries) -> list[LogRow]:
    return [LogRow(entry) for entry in entries]
