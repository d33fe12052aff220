"""Telling people things: a message on their account page and an e-mail."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from nhs_citizen.notifications.models import Notification


def do_notify(*, user, subject: str, body: str, link: str = "") -> Notification | None:
    """Record a message for the person and send it by e-mail once the change that caused it
    has been saved."""
    if user.deleted_at or not user.is_active:
        return None
    notification = Notification.objects.create(user=user, subject=subject, body=body, link=link)

    def enqueue() -> None:
        from nhs_citizen.notifications.tasks import send_notification_email

        send_notification_email.enqueue(notification.pk)

    transaction.on_commit(enqueue)
    return notification


def do_send_notification_email(notification_id: int) -> bool:
    """Send the e-mail for one notification. Safe to run twice: it sends once."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("user")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.emailed_at is not None:
            return False
        user = notification.user
        if user.deleted_at or not user.is_active:
            return False
        context = {
            "notification": notification,
            "user": user,
            "site_url": settings.SITE_URL,
        }
        send_mail(
            subject=f"NHS Citizen: {notification.subject}",
            message=render_to_string("notifications/email.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[user.email],
        )
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True


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


def delete_notifications(user) -> None:
    Notification.objects.filter(user=user).delete()
