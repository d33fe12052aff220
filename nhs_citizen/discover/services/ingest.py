"""Taking items in: from connectors, the "Tell us" form and spreadsheet uploads.

Taking an item in only stores it privately, as it came. Nothing is public until the pipeline
has redacted it (services/pipeline.py). Re-running an import never duplicates items: each
source keeps each original id once (a unique constraint), and items we already have are left
as they are.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from nhs_citizen.core.dates import when_words
from nhs_citizen.core.models import Icb, Organisation, Region
from nhs_citizen.core.services.audit import record_audit_entry
from nhs_citizen.discover.connectors import IncomingItem
from nhs_citizen.discover.connectors.tabular import FIELDS, RowError, Table, map_rows
from nhs_citizen.discover.models import Item, Review, Source, SourceKind

TELL_US_SOURCE_NAME = "Tell us form on NHS Citizen"
MAX_TEXT = 5000
TELL_US_MIN_LENGTH = 10
VISITOR_MESSAGES_PER_HOUR = 5


@dataclass(frozen=True)
class IngestResult:
    new: int
    already_had: int

    @property
    def total(self) -> int:
        return self.new + self.already_had


def do_ingest(source: Source, incoming: list[IncomingItem], *, sent_by=None) -> IngestResult:
    """Store items we have not seen from this source before. Safe to run again with the same
    items: the ones we already have are counted, not added."""
    by_id: dict[str, IncomingItem] = {}
    for item in incoming:
        if item.original_id and item.text.strip():
            by_id.setdefault(item.original_id[:500], item)
    if not by_id:
        return IngestResult(0, 0)
    now = timezone.now()
    with transaction.atomic():
        have = set(
            Item.objects.filter(source=source, original_id__in=list(by_id)).values_list(
                "original_id", flat=True
            )
        )
        new = [
            Item(
                source=source,
                original_id=original_id,
                said_at=item.said_at,
                received_at=now,
                url=item.url[:500] if item.url.startswith(("http://", "https://")) else "",
                raw_text=item.text.strip()[:MAX_TEXT],
                place_text=item.place[:200],
                group_name=item.group[:200],
                question=" ".join(item.question.split())[:300],
                sent_by=sent_by,
            )
            for original_id, item in by_id.items()
            if original_id not in have
        ]
        # Ignoring conflicts: a second import running at the same moment cannot add a twin.
        if connection.vendor == "postgresql":
            _copy_in(new)
        else:
            Item.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    if new:
        from nhs_citizen.discover.services.pipeline import queue_processing

        transaction.on_commit(queue_processing)
    return IngestResult(len(new), len(have))


def _copy_in(items: list[Item]) -> None:
    """PostgreSQL: add new items as bulk_create(ignore_conflicts=True) would, but streamed
    with COPY into a temporary table, then one INSERT ... SELECT ... ON CONFLICT DO NOTHING,
    in the order given. Building an INSERT with 10,000 rows of placeholders cost more than
    the rows themselves (ADR 0017). All or nothing: its own transaction (or savepoint)."""
    if not items:
        return
    fields = [f for f in Item._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    table = quote(Item._meta.db_table)
    incoming = quote("discover_item_incoming")
    # The temporary table goes at the end, or with the transaction if anything fails.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {incoming} ON COMMIT DROP AS "
            f"SELECT 0 AS position, {columns} FROM {table} WITH NO DATA"
        )
        with cursor.cursor.copy(f"COPY {incoming} (position, {columns}) FROM STDIN") as copy:
            for position, item in enumerate(items):
                copy.write_row(
                    [position]
                    + [f.get_db_prep_save(f.pre_save(item, True), connection) for f in fields]
                )
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {incoming} "
            "ORDER BY position ON CONFLICT DO NOTHING"
        )
        cursor.execute(f"DROP TABLE {incoming}")


# The "Tell us" form ------------------------------------------------------------------------------
def tell_us_source() -> Source:
    source, _ = Source.objects.get_or_create(
        kind=SourceKind.TELL_US,
        name=TELL_US_SOURCE_NAME,
        defaults={"poll_every_minutes": 0},
    )
    return source


def _visitor_key(ip: str | None) -> str:
    from django.conf import settings

    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{ip or 'unknown'}".encode()).hexdigest()
    return f"discover:tell-us:{digest}"


def check_tell_us(
    *,
    user,
    text: str,
    place_text: str = "",
    region: Region | None = None,
    icb: Icb | None = None,
    ip: str | None = None,
) -> Item:
    """Anyone can tell us what matters to them. Visitors who are not signed in can send a few
    messages an hour from one internet connection, and their messages wait, once redacted, for
    a curator to publish them; signed-in people's messages are public once redacted."""
    text = (text or "").strip()
    errors: dict[str, str] = {}
    if len(text) < TELL_US_MIN_LENGTH:
        errors["text"] = "Tell us a little more: write at least 10 characters"
    elif len(text) > MAX_TEXT:
        errors["text"] = f"Your message must be {MAX_TEXT:,} characters or fewer"
    if len(place_text or "") > 200:
        errors["place_text"] = "The place must be 200 characters or fewer"
    if icb is not None and region is not None and icb.region_id != region.pk:
        errors["icb"] = f"{icb.name} is not in {region.name}. Choose an area in that region"
    if errors:
        raise ValidationError(errors)
    signed_in = bool(user is not None and user.is_authenticated)
    if not signed_in:
        key = _visitor_key(ip)
        if (cache.get(key) or 0) >= VISITOR_MESSAGES_PER_HOUR:
            raise ValidationError(
                "You have sent a lot of messages in the last hour. Wait an hour, or sign in, "
                "and try again"
            )
    source = tell_us_source()
    item = Item(
        source=source,
        original_id=f"tell-us-{uuid.uuid4()}",
        said_at=timezone.now(),
        raw_text=text,
        place_text=(place_text or "").strip()[:200],
        region=(icb.region if icb else region),
        icb=icb,
        sent_by=user if signed_in else None,
        review=Review.NOT_NEEDED if signed_in else Review.WAITING,
    )
    with transaction.atomic():
        item.save()
    if not signed_in:
        key = _visitor_key(ip)
        cache.add(key, 0, timeout=60 * 60)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=60 * 60)
    from nhs_citizen.discover.services.pipeline import queue_processing

    transaction.on_commit(queue_processing)
    return item


# Spreadsheet uploads -----------------------------------------------------------------------------
def can_upload_for(user, organisation: Organisation | None) -> bool:
    """Curators can upload for anyone; a host can upload for an organisation they have been
    confirmed to act for."""
    if not user.is_authenticated:
        return False
    if user.has_perm("discover.curate"):
        return True
    return bool(
        organisation is not None
        and user.memberships.filter(organisation=organisation, verified_at__isnull=False).exists()
    )


def check_mapping(table: Table, mapping: dict[str, str | None]) -> dict[str, str | None]:
    headers = set(table.headers)
    cleaned: dict[str, str | None] = {}
    for field in FIELDS:
        column = mapping.get(field) or None
        if column is not None and column not in headers:
            raise ValidationError({field: "Choose one of the columns in your file"})
        cleaned[field] = column
    if not cleaned.get("text"):
        raise ValidationError({"text": "Choose the column that holds what people said"})
    used = [c for c in cleaned.values() if c]
    if len(used) != len(set(used)):
        raise ValidationError("Each column can only be used once. Check your choices")
    return cleaned


@dataclass(frozen=True)
class UploadResult:
    source: Source
    result: IngestResult
    row_errors: list[RowError]


def check_upload(
    *,
    user,
    event_name: str,
    event_date,
    organisation: Organisation | None,
    group_name: str,
    region: Region | None,
    icb: Icb | None,
    table: Table,
    mapping: dict[str, str | None],
    skip_bad_rows: bool = False,
    question: str = "",
) -> UploadResult:
    """Notes from an event, typed up by its host. Each upload is one source named after the
    event; uploading the same file again adds nothing new. If any row has a problem, nothing is
    added unless the host chooses to leave those rows out. `question`: the question everyone
    was asked, for rows with no question of their own (a question column in the mapping)."""
    import datetime as dt

    event_name = (event_name or "").strip()
    if not event_name:
        raise ValidationError({"event_name": "Enter the name of the event"})
    if len(event_name) > 150:
        raise ValidationError({"event_name": "The name must be 150 characters or fewer"})
    question = " ".join((question or "").split())
    if len(question) > 300:
        # Not on a field: "question" on the columns page is the question column.
        raise ValidationError(
            "The question for the whole event must be 300 characters or fewer. "
            "Go back and make it shorter"
        )
    if not can_upload_for(user, organisation):
        raise ValidationError(
            {"organisation": "Choose an organisation you have been confirmed to act for"}
        )
    if icb is not None and region is not None and icb.region_id != region.pk:
        raise ValidationError({"icb": f"{icb.name} is not in {region.name}"})
    mapping = check_mapping(table, mapping)
    default_said_at = timezone.make_aware(dt.datetime.combine(event_date, dt.time(12, 0)))
    items, row_errors = map_rows(table, mapping, default_said_at=default_said_at)
    if row_errors and not skip_bad_rows:
        raise ValidationError(
            # Each message starts with its row number ("Row 7: the comment is empty.").
            [e.message for e in row_errors[:20]]
            + (
                [f"And {len(row_errors) - 20} more rows with problems"]
                if len(row_errors) > 20
                else []
            )
        )
    if not items:
        raise ValidationError("There are no comments in this file to add")
    name = f"{event_name} ({when_words(event_date)})"
    with transaction.atomic():
        source, created = Source.objects.get_or_create(
            name=name,
            defaults={
                "kind": SourceKind.UPLOAD,
                "organisation": organisation,
                "group_name": (group_name or "").strip()[:200],
                "region": icb.region if icb else region,
                "icb": icb,
                "poll_every_minutes": 0,
                "created_by": user,
                # The question people answered, so their feeling is read by it.
                "config": {"question": question} if question else {},
            },
        )
        if source.kind != SourceKind.UPLOAD:
            raise ValidationError(
                {"event_name": "There is already a source with this name. Choose another name"}
            )
        result = do_ingest(source, items, sent_by=user)
        record_audit_entry(
            actor=user,
            action="discover.notes_uploaded",
            summary=f"Uploaded notes from “{source.name}”: {result.new} new comments"
            + (f", {result.already_had} already here" if result.already_had else ""),
            target=source,
            data={
                "new": result.new,
                "already_had": result.already_had,
                "rows_left_out": len(row_errors),
            },
            public=True,
        )
    return UploadResult(source, result, row_errors)
