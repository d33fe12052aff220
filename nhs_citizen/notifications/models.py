"""Messages to people: shown on their account page and sent by e-mail, straight away or in a
daily or weekly summary (ADR 0031)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from nhs_citizen.notifications.kinds import Delivery, Kind


class Broadcast(models.Model):
    """One change that many people are told about. The request that made the change writes this
    one row and queues one job; the job writes everyone's Notification in batches. The key makes
    a repeated change (a retried job, a double submit) tell nobody twice."""

    key = models.CharField(max_length=64, unique=True)
    audience = models.CharField(max_length=100)
    params = models.JSONField(default=dict)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    fanned_out_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.subject


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    subject = models.CharField(max_length=200)
    body = models.TextField()
    link = models.CharField(
        max_length=300, blank=True, help_text="A path on this site, for example /organisations/x/."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ACCOUNT)
    # How it is (or was) e-mailed, fixed from the person's choice when it was written.
    delivery = models.CharField(
        max_length=20, choices=Delivery.choices, default=Delivery.IMMEDIATELY
    )
    broadcast = models.ForeignKey(
        Broadcast, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["broadcast", "user"],
                condition=Q(broadcast__isnull=False),
                name="notification_once_per_broadcast",
            )
        ]
        indexes = [
            models.Index(
                fields=["delivery", "user"],
                condition=Q(emailed_at__isnull=True),
                name="notification_waiting_idx",
            )
        ]

    def __str__(self) -> str:
        return self.subject


class Preference(models.Model):
    """How often a person wants e-mails of one kind. No row: the default for the kind."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    delivery = models.CharField(max_length=20, choices=Delivery.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.delivery}"


class Digest(models.Model):
    """A daily or weekly summary sent to one person. The unique constraint is the promise: at
    most one summary per person per period."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(
        max_length=10, choices=[(d.value, d.label) for d in (Delivery.DAILY, Delivery.WEEKLY)]
    )
    period_start = models.DateField()
    message_count = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "period", "period_start"], name="one_digest_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period} summary from {self.period_start}"


class SuppressionReason(models.TextChoices):
    BOUNCED = "bounced", "The address bounced"
    COMPLAINED = "complained", "The person marked our e-mail as spam"
    REJECTED = "rejected", "The mail provider refused to send to it"
    MANUAL = "manual", "Added by staff"


class SuppressedAddress(models.Model):
    """An address we must not e-mail: it bounced, or its owner complained."""

    email = models.CharField(max_length=254, unique=True, help_text="Stored in lower case.")
    reason = models.CharField(max_length=20, choices=SuppressionReason.choices)
    detail = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.email} ({self.reason})"
