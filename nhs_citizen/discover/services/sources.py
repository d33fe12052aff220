"""Sources we listen to: setting them up, and fetching from them on a schedule with back-off.

A source is polled every `poll_every_minutes`. When a fetch fails, the wait doubles each time
(up to a day) so a broken feed is not hammered; a problem that will not fix itself (a wrong
address, a refused password) waits a day and shows the curator what is wrong. A fetch that
works resets the wait. Passwords and tokens are stored encrypted and never shown again.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from datetime import timedelta

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from nhs_citizen.core.services.audit import record_audit_entry
from nhs_citizen.core.words import count_words
from nhs_citizen.discover import connectors
from nhs_citizen.discover.models import Batch, BatchKind, BatchStatus, Source, SourceKind
from nhs_citizen.discover.services.ingest import do_ingest

log = logging.getLogger(__name__)

MAX_WAIT = timedelta(hours=24)
SECRET_FIELDS = {"password", "access_token", "app_password"}


def _fernet() -> Fernet:
    key = hashlib.sha256(("discover-secrets:" + settings.SECRET_KEY).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt_secrets(values: dict) -> str:
    values = {k: v for k, v in values.items() if v}
    if not values:
        return ""
    return _fernet().encrypt(json.dumps(values).encode()).decode()


def decrypt_secrets(token: str) -> dict:
    if not token:
        return {}
    try:
        return json.loads(_fernet().decrypt(token.encode()))
    except (InvalidToken, ValueError):
        return {}


def wait_after_failure(every_minutes: int, failures: int, *, retryable: bool) -> timedelta:
    """How long to wait before trying again: doubling each time, at most a day."""
    if not retryable:
        return MAX_WAIT
    base = timedelta(minutes=max(every_minutes, 1))
    return min(base * (2 ** min(failures, 16)), MAX_WAIT)


def _schedule(source: Source) -> None:
    """Queue the next fetch for when it is due, if the job runner can wait; otherwise the
    `discover_poll` command (run from cron) picks it up."""
    from django_tasks import default_task_backend

    from nhs_citizen.discover import tasks

    if source.next_poll_at and getattr(default_task_backend, "supports_defer", False):
        transaction.on_commit(
            lambda: tasks.poll_source.using(run_after=source.next_poll_at).enqueue(source.pk)
        )


def do_poll_source(source_id: int, *, now=None, force: bool = False) -> Batch | None:
    """Fetch new items from one source. Does nothing if it is paused or not yet due (unless
    forced): a queued job and the cron backstop can both ask without fetching twice."""
    now = now or timezone.now()
    with transaction.atomic():
        source = Source.objects.select_for_update().filter(pk=source_id).first()
        if source is None or not source.active or not source.is_polled:
            return None
        if not force and source.next_poll_at and source.next_poll_at > now:
            return None
        # Claim this fetch: push the next time on, so a second caller does nothing.
        source.next_poll_at = now + timedelta(minutes=max(source.poll_every_minutes, 1))
        source.last_polled_at = now
        source.save(update_fields=["next_poll_at", "last_polled_at"])
        batch = Batch.objects.create(
            kind=BatchKind.POLL, source=source, status=BatchStatus.RUNNING, started_at=now
        )
    config = {**source.config, **decrypt_secrets(source.secret)}
    try:
        result = connectors.fetch(source.kind, config, source.cursor)
    except Exception as exc:  # every failure waits longer; none stops the scheduler
        if isinstance(exc, connectors.ConnectorError):
            message, retryable = str(exc), exc.retryable
        else:
            log.exception("Discover: fetching from source %s failed", source.pk)
            message, retryable = "Something went wrong while fetching. We will try again.", True
        failures = source.failures + 1
        wait = wait_after_failure(source.poll_every_minutes, failures, retryable=retryable)
        Source.objects.filter(pk=source.pk).update(
            failures=failures, last_error=message[:500], next_poll_at=now + wait
        )
        Batch.objects.filter(pk=batch.pk).update(
            status=BatchStatus.FAILED,
            finished_at=timezone.now(),
            message=f"{message[:400]} Trying again in {_describe(wait)}.",
        )
        source.next_poll_at = now + wait
        _schedule(source)
        batch.refresh_from_db()
        return batch
    with transaction.atomic():
        ingested = do_ingest(source, result.items)
        Source.objects.filter(pk=source.pk).update(
            cursor=result.cursor,
            failures=0,
            last_error="",
            last_success_at=now,
        )
        Batch.objects.filter(pk=batch.pk).update(
            status=BatchStatus.DONE,
            finished_at=timezone.now(),
            item_count=ingested.total,
            new_count=ingested.new,
            message=f"Fetched {count_words(ingested.total, 'item')}: {ingested.new} new, "
            f"{ingested.already_had} we already had",
        )
    _schedule(source)
    batch.refresh_from_db()
    return batch


def _describe(wait: timedelta) -> str:
    minutes = int(wait.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = minutes // 60
    return f"{hours} hour{'s' if hours != 1 else ''}"


def do_poll_due_sources(*, now=None) -> list[Batch]:
    """Fetch from every source that is due. Run from cron as a backstop; safe to run again."""
    now = now or timezone.now()
    due = Source.objects.filter(active=True, kind__in=SourceKind.polled()).filter(
        next_poll_at__isnull=True
    ) | Source.objects.filter(active=True, kind__in=SourceKind.polled(), next_poll_at__lte=now)
    batches = []
    for source_id in due.order_by("pk").values_list("pk", flat=True):
        batch = do_poll_source(source_id, now=now)
        if batch is not None:
            batches.append(batch)
    return batches


# Setting sources up ------------------------------------------------------------------------------
def _split_config(kind: str, values: dict) -> tuple[dict, dict]:
    config = {k: v for k, v in values.items() if k not in SECRET_FIELDS and v not in ("", None)}
    secret = {k: v for k, v in values.items() if k in SECRET_FIELDS and v}
    return config, secret


def check_save_source(
    *,
    curator,
    source: Source | None,
    name: str,
    kind: str,
    settings_values: dict,
    organisation=None,
    group_name: str = "",
    region=None,
    icb=None,
    poll_every_minutes: int = 60,
) -> Source:
    name = (name or "").strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "Enter a name for this source"
    elif Source.objects.filter(name=name).exclude(pk=getattr(source, "pk", None)).exists():
        errors["name"] = "There is already a source with this name"
    if kind not in SourceKind.polled():
        errors["kind"] = "Choose what kind of source this is"
    if not 5 <= int(poll_every_minutes or 0) <= 7 * 24 * 60:
        errors["poll_every_minutes"] = "Choose how often to check: between 5 minutes and 7 days"
    if icb is not None and region is not None and icb.region_id != region.pk:
        errors["icb"] = f"{icb.name} is not in {region.name}"
    if errors:
        raise ValidationError(errors)
    config, secret = _split_config(kind, settings_values)
    kept_secret = (
        decrypt_secrets(source.secret) if source is not None and source.kind == kind else {}
    )
    problems = connectors.check_config(kind, {**config, **kept_secret, **secret})
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        creating = source is None
        if creating:
            source = Source(created_by=curator)
        changed_settings = (
            creating or source.kind != kind or source.config != config or bool(secret)
        )
        source.name = name
        source.kind = kind
        source.config = config
        source.secret = encrypt_secrets({**kept_secret, **secret})
        source.organisation = organisation
        source.group_name = (group_name or "").strip()[:200]
        source.region = icb.region if icb else region
        source.icb = icb
        source.poll_every_minutes = int(poll_every_minutes)
        if changed_settings:
            # New settings: start from the beginning of the source and try at once.
            source.cursor = ""
            source.failures = 0
            source.last_error = ""
            source.next_poll_at = timezone.now()
        source.save()
        record_audit_entry(
            actor=curator,
            action="discover.source_added" if creating else "discover.source_changed",
            summary=f"{'Added' if creating else 'Changed'} the source “{source.name}” "
            f"({source.get_kind_display()})",
            target=source,
            public=True,
        )
    from nhs_citizen.discover import tasks

    transaction.on_commit(lambda: tasks.poll_source.enqueue(source.pk))
    return source


def check_set_active(*, curator, source: Source, active: bool, reason: str = "") -> Source:
    if not source.is_polled:
        raise ValidationError("Only sources we fetch from can be paused")
    with transaction.atomic():
        source.active = active
        if active:
            source.next_poll_at = timezone.now()
            source.failures = 0
        source.save(update_fields=["active", "next_poll_at", "failures"])
        record_audit_entry(
            actor=curator,
            action="discover.source_resumed" if active else "discover.source_paused",
            summary=f"{'Started' if active else 'Paused'} fetching from “{source.name}”",
            target=source,
            reason=reason,
            public=True,
        )
    if active:
        from nhs_citizen.discover import tasks

        transaction.on_commit(lambda: tasks.poll_source.enqueue(source.pk))
    return source
