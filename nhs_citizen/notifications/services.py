"""Telling people things: a message on their account page and an e-mail, straight away or in a
daily or weekly summary, as each person chose (ADR 0031).

- ``do_notify``: one person (their account, something they posted).
- ``notify_audience``: everyone an audience function names (a flag's supporters, a call's
  answerers). The request writes one Broadcast row and queues one job; the job writes the
  messages in batches and queues the e-mails in batches.
- ``do_send_digests``: the daily or weekly summary, at most one per person per period.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from nhs_citizen.notifications import emails
from nhs_citizen.notifications.kinds import DEFAULT_DELIVERY, Delivery, Kind
from nhs_citizen.notifications.models import (
    Broadcast,
    Digest,
    Notification,
    Preference,
    SuppressedAddress,
    SuppressionReason,
)

BATCH_SIZE = 1000  # people per batch when writing messages
EMAIL_BATCH_SIZE = 200  # e-mails per sending job


# Preferences ------------------------------------------------------------------------------------


def preferences_for(user) -> dict[str, str]:
    """Every kind with the person's choice, or the default."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind.value: chosen.get(kind.value, DEFAULT_DELIVERY[kind].value) for kind in Kind}


def do_set_preferences(*, user, choices: dict[str, str]) -> None:
    """Store the person's choices. Unknown kinds or choices are refused, nothing changed."""
    errors = {}
    for kind, delivery in choices.items():
        if kind not in Kind.values:
            errors[kind] = "This is not something we email about."
        elif delivery not in Delivery.values:
            errors[kind] = f"Select how often we email you about {Kind(kind).label.lower()}"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for kind, delivery in choices.items():
            Preference.objects.update_or_create(
                user=user, kind=kind, defaults={"delivery": delivery}
            )


def do_unsubscribe(*, user_id: int, kinds: Iterable[str]) -> list[str]:
    """Turn e-mails of these kinds off (from a link in an e-mail). Returns the kinds changed."""
    User = get_user_model()
    user = User.objects.filter(pk=user_id, deleted_at__isnull=True).first()
    if user is None:
        return []
    kinds = [k for k in kinds if k in Kind.values]
    do_set_preferences(user=user, choices={k: Delivery.OFF.value for k in kinds})
    return kinds


def _deliveries(user_ids: list[int], kind: str) -> dict[int, str]:
    return dict(
        Preference.objects.filter(user_id__in=user_ids, kind=kind).values_list(
            "user_id", "delivery"
        )
    )


# One person -------------------------------------------------------------------------------------


def do_notify(
    *, user, subject: str, body: str, link: str = "", kind: str = Kind.ACCOUNT
) -> Notification | None:
    """Record a message for the person; e-mail it once the change that caused it has been
    saved, or keep it for their summary, as they chose."""
    if user.deleted_at or not user.is_active:
        return None
    delivery = _deliveries([user.pk], kind).get(user.pk, DEFAULT_DELIVERY[Kind(kind)].value)
    notification = Notification.objects.create(
        user=user, subject=subject, body=body, link=link, kind=kind, delivery=delivery
    )
    if delivery == Delivery.IMMEDIATELY:

        def enqueue() -> None:
            from nhs_citizen.notifications.tasks import send_notification_email

            send_notification_email.enqueue(notification.pk)

        transaction.on_commit(enqueue)
    return notification


# Many people ------------------------------------------------------------------------------------


def people_audience(user_ids: list[int], kind: str) -> list[tuple[str, Q]]:
    """An audience of named people, all told about the same kind of thing."""
    return [(kind, Q(pk__in=user_ids))]


def notify_audience(
    audience: str, *, subject: str, body: str, link: str = "", **params: Any
) -> Broadcast:
    """Tell everyone in an audience, without slowing the request: one row and one job.

    ``audience`` is the dotted path of a function in this project that takes ``params`` (plain
    JSON values) and returns ``[(kind, Q on the user model), ...]``; someone in more than one
    group is told once, as the first group that holds them. The same change told twice (same
    audience, people, subject and link) tells nobody twice."""
    if not audience.startswith("nhs_citizen."):
        raise ValueError("An audience must be a function in this project.")
    key = hashlib.sha256(
        json.dumps([audience, params, subject, link], sort_keys=True, default=str).encode()
    ).hexdigest()
    broadcast, _ = Broadcast.objects.get_or_create(
        key=key,
        defaults={
            "audience": audience,
            "params": params,
            "subject": subject,
            "body": body,
            "link": link,
        },
    )

    def enqueue() -> None:
        from nhs_citizen.notifications.tasks import fan_out

        fan_out.enqueue(broadcast.pk)

    transaction.on_commit(enqueue)
    return broadcast


def do_fan_out(broadcast_id: int) -> int:
    """Write the broadcast's messages in batches and queue the e-mails that go straight away.
    Safe to run twice: the unique constraint skips people already told. Returns how many
    messages it wrote."""
    from nhs_citizen.notifications.tasks import send_notification_emails

    broadcast = Broadcast.objects.filter(pk=broadcast_id).first()
    if broadcast is None:
        return 0
    groups = import_string(broadcast.audience)(**broadcast.params)
    User = get_user_model()
    written = 0
    earlier = Q(pk__in=[])
    for kind, who in groups:
        default = DEFAULT_DELIVERY[Kind(kind)].value
        people = (
            User.objects.filter(who, is_active=True, deleted_at__isnull=True)
            .exclude(earlier)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        last = 0
        while True:
            ids = list(people.filter(pk__gt=last)[:BATCH_SIZE])
            if not ids:
                break
            last = ids[-1]
            chosen = _deliveries(ids, kind)
            already = Notification.objects.filter(broadcast=broadcast, user_id__in=ids).count()
            Notification.objects.bulk_create(
                [
                    Notification(
                        user_id=user_id,
                        subject=broadcast.subject,
                        body=broadcast.body,
                        link=broadcast.link,
                        kind=kind,
                        delivery=chosen.get(user_id, default),
                        broadcast=broadcast,
                    )
                    for user_id in ids
                ],
                ignore_conflicts=True,
            )
            written += len(ids) - already
            now_ids = list(
                Notification.objects.filter(
                    broadcast=broadcast,
                    user_id__in=ids,
                    delivery=Delivery.IMMEDIATELY,
                    emailed_at__isnull=True,
                ).values_list("pk", flat=True)
            )
            for start in range(0, len(now_ids), EMAIL_BATCH_SIZE):
                send_notification_emails.enqueue(now_ids[start : start + EMAIL_BATCH_SIZE])
        earlier |= who
    Broadcast.objects.filter(pk=broadcast.pk).update(fanned_out_at=timezone.now())
    return written


# Sending ----------------------------------------------------------------------------------------


def _suppressed(addresses: Iterable[str]) -> set[str]:
    lowered = {a.lower() for a in addresses}
    return set(SuppressedAddress.objects.filter(email__in=lowered).values_list("email", flat=True))


def do_send_notification_emails(notification_ids: list[int]) -> int:
    """E-mail these messages, each on its own. Safe to run twice: each is sent once. People who
    left, and addresses on the suppression list, get nothing."""
    with transaction.atomic():
        waiting = list(
            Notification.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk__in=notification_ids, emailed_at__isnull=True)
            .order_by("pk")
        )
        waiting = [n for n in waiting if n.user.is_active and not n.user.deleted_at]
        blocked = _suppressed(n.user.email for n in waiting)
        waiting = [n for n in waiting if n.user.email.lower() not in blocked]
        if not waiting:
            return 0
        connection = get_connection()
        connection.send_messages([emails.single_email(n, connection=connection) for n in waiting])
        Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(
            emailed_at=timezone.now()
        )
    return len(waiting)


def do_send_notification_email(notification_id: int) -> bool:
    """Send the e-mail for one notification. Safe to run twice: it sends once."""
    return do_send_notification_emails([notification_id]) == 1


# Summaries --------------------------------------------------------------------------------------


def period_start(period: str, now: datetime | None = None) -> date:
    """The first day of the period that ``now`` falls in: today, or this week's Monday."""
    today = timezone.localdate(now or timezone.now())
    if period == Delivery.WEEKLY:
        return today - timedelta(days=today.weekday())
    return today


def do_send_digests(period: str, now: datetime | None = None) -> int:
    """Queue the summaries for everyone with messages waiting for this period, in batches.
    Returns how many people were queued."""
    from nhs_citizen.notifications.tasks import send_digest_batch

    if period not in (Delivery.DAILY, Delivery.WEEKLY):
        raise ValueError("A summary is daily or weekly.")
    start = period_start(period, now).isoformat()
    waiting = (
        Notification.objects.filter(delivery=period, emailed_at__isnull=True)
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )
    queued, last = 0, 0
    while True:
        ids = list(waiting.filter(user_id__gt=last)[:EMAIL_BATCH_SIZE])
        if not ids:
            break
        last = ids[-1]
        send_digest_batch.enqueue(period, start, ids)
        queued += len(ids)
    return queued


def do_send_digest_batch(period: str, start: str, user_ids: list[int]) -> int:
    """Send these people their summary for the period that began on ``start``: every message
    waiting for it, in one e-mail. The Digest row's unique constraint means at most one per
    person per period, however often the job runs. Returns how many summaries it sent."""
    User = get_user_model()
    first_day = date.fromisoformat(start)
    with transaction.atomic():
        Digest.objects.bulk_create(
            [Digest(user_id=i, period=period, period_start=first_day) for i in user_ids],
            ignore_conflicts=True,
        )
        digests = {
            d.user_id: d
            for d in Digest.objects.select_for_update(skip_locked=True).filter(
                user_id__in=user_ids, period=period, period_start=first_day, sent_at__isnull=True
            )
        }
        people = {
            u.pk: u
            for u in User.objects.filter(
                pk__in=list(digests), is_active=True, deleted_at__isnull=True
            )
        }
        blocked = _suppressed(u.email for u in people.values())
        people = {pk: u for pk, u in people.items() if u.email.lower() not in blocked}
        grouped: dict[int, list[Notification]] = {}
        for notification in Notification.objects.filter(
            user_id__in=list(people), delivery=period, emailed_at__isnull=True
        ).order_by("user_id", "created_at", "pk"):
            grouped.setdefault(notification.user_id, []).append(notification)
        if not grouped:
            return 0
        connection = get_connection()
        messages = [
            emails.digest_email(people[user_id], period, items, connection=connection)
            for user_id, items in grouped.items()
        ]
        connection.send_messages(messages)
        now = timezone.now()
        Notification.objects.filter(
            pk__in=[n.pk for items in grouped.values() for n in items]
        ).update(emailed_at=now)
        sent = []
        for user_id, items in grouped.items():
            digest = digests[user_id]
            digest.sent_at = now
            digest.message_count = len(items)
            sent.append(digest)
        Digest.objects.bulk_update(sent, ["sent_at", "message_count"])
    return len(sent)


# Suppression list -------------------------------------------------------------------------------


def do_suppress_address(*, email: str, reason: str, detail: str = "") -> bool:
    """Stop e-mailing an address that bounced or complained. Returns True if it is new."""
    email = (email or "").strip().lower()
    if not email or "@" not in email:
        raise ValidationError({"email": "Enter an email address"})
    if reason not in SuppressionReason.values:
        raise ValidationError({"reason": "Select why we must stop emailing this address"})
    _, created = SuppressedAddress.objects.get_or_create(
        email=email, defaults={"reason": reason, "detail": detail[:300]}
    )
    return created


def is_suppressed(email: str) -> bool:
    return bool(_suppressed([email]))


# Your data ---------------------------------------------------------------------------------------


def do_mark_all_read(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def export_notifications(user) -> list[dict[str, Any]]:
    return [
        {
            "subject": n.subject,
            "message": n.body,
            "sent": n.created_at.isoformat(),
            "read": n.read_at.isoformat() if n.read_at else None,
        }
        for n in Notification.objects.filter(user=user)
    ]


def export_email_choices(user) -> list[dict[str, Any]]:
    return [
        {"about": Kind(kind).label, "how_often": Delivery(delivery).label}
        for kind, delivery in preferences_for(user).items()
    ]


def delete_notifications(user) -> None:
    Notification.objects.filter(user=user).delete()
    Preference.objects.filter(user=user).delete()
    Digest.objects.filter(user=user).delete()
