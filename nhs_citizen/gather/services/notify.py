"""Tell everyone who raised, supports, follows or discussed a flag what happened to it."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q


def flag_audience_ids(flag_id: int) -> list[int]:
    from nhs_citizen.gather.models import Comment, Flag, Follow, Support

    User = get_user_model()
    flag = Flag.objects.only("raised_by_id").get(pk=flag_id)
    # Subqueries, not joins: joining supports, follows and comments at once multiplies rows.
    return list(
        User.objects.filter(
            Q(pk=flag.raised_by_id)
            | Q(pk__in=Support.objects.filter(flag_id=flag_id).values("user_id"))
            | Q(pk__in=Follow.objects.filter(flag_id=flag_id).values("user_id"))
            | Q(pk__in=Comment.objects.filter(flag_id=flag_id).values("author_id")),
            deleted_at__isnull=True,
            is_active=True,
        )
        .distinct()
        .values_list("pk", flat=True)
    )


def notify_flag_audience(flag, subject: str, body: str) -> None:
    """Queue the messages once the change that caused them has been saved."""

    def enqueue() -> None:
        from nhs_citizen.gather.tasks import send_flag_update

        send_flag_update.enqueue(flag.pk, subject, body)

    transaction.on_commit(enqueue)


def do_send_flag_update(flag_id: int, subject: str, body: str) -> int:
    from nhs_citizen.gather.models import Flag
    from nhs_citizen.notifications.models import Notification
    from nhs_citizen.notifications.services import do_notify

    User = get_user_model()
    flag = Flag.objects.get(pk=flag_id)
    link = flag.get_absolute_url()
    # Safe to run twice: people already told about this update are skipped.
    already = set(
        Notification.objects.filter(subject=subject, link=link).values_list("user_id", flat=True)
    )
    sent = 0
    for user in User.objects.filter(pk__in=flag_audience_ids(flag_id)).exclude(pk__in=already):
        do_notify(user=user, subject=subject, body=body, link=link)
        sent += 1
    return sent
