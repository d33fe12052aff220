"""Moderation: reports that something breaks the house rules, and appeals against hiding.

What can be reported is whatever the apps register (``registry.py``): flags, comments,
evidence, stories, remote meeting posts and Discover statements. What is hidden, and why, is
kept on the item itself (``hidden_at`` and ``hidden_reason``), so that its page can show a
placeholder with the reason. The decisions themselves go in the public audit log.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ReportReason(models.TextChoices):
    """The house rules, in the words of the house rules page."""

    NOT_RESPECTFUL = "not_respectful", "It is rude, or it attacks someone"
    HATE = "hate", "It attacks people because of who they are"
    PERSONAL_DETAILS = "personal_details", "It shares personal or medical details about someone"
    OFF_TOPIC = "off_topic", "It is not about the flag or the discussion"
    ADVERT = "advert", "It is an advert, or the same thing posted again and again"
    PRETENDING = "pretending", "Someone is pretending to be someone else"
    ILLEGAL = "illegal", "It breaks the law"
    OTHER = "other", "Something else"


class ReportStatus(models.TextChoices):
    OPEN = "open", "Waiting for a moderator"
    UPHELD = "upheld", "Hidden by a moderator"
    DISMISSED = "dismissed", "Checked and left in place"


class ReportQuerySet(models.QuerySet):
    def open(self) -> ReportQuerySet:
        return self.filter(status=ReportStatus.OPEN)

    def about(self, kind: str, object_id: int) -> ReportQuerySet:
        return self.filter(kind=kind, object_id=object_id)


class Report(models.Model):
    kind = models.CharField(max_length=20)  # a kind registered in registry.py
    object_id = models.PositiveIntegerField()
    # Empty when a visitor who is not signed in made the report, or the reporter's account
    # was deleted. No IP address is kept: rate limits use a short-lived cache key instead.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moderation_reports",
    )
    reason = models.CharField(max_length=30, choices=ReportReason.choices)
    details = models.TextField(max_length=1000, blank=True)
    status = models.CharField(
        max_length=20, choices=ReportStatus.choices, default=ReportStatus.OPEN, db_index=True
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(max_length=300, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["kind", "object_id", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "reporter"],
                condition=Q(status="open", reporter__isnull=False),
                name="one_open_report_per_person_per_item",
            ),
        ]

    def __str__(self) -> str:
        return f"Report {self.pk} about {self.kind} {self.object_id}"


class AppealStatus(models.TextChoices):
    OPEN = "open", "Waiting for a moderator"
    UPHELD = "upheld", "Put back"
    REFUSED = "refused", "Kept hidden"


class AppealQuerySet(models.QuerySet):
    def open(self) -> AppealQuerySet:
        return self.filter(status=AppealStatus.OPEN)

    def about(self, kind: str, object_id: int) -> AppealQuerySet:
        return self.filter(kind=kind, object_id=object_id)


class Appeal(models.Model):
    """The author asks for a decision to hide their contribution to be looked at again."""

    kind = models.CharField(max_length=20)  # a kind registered in registry.py
    object_id = models.PositiveIntegerField()
    appellant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moderation_appeals",
    )
    reason = models.TextField(max_length=1000)
    status = models.CharField(
        max_length=20, choices=AppealStatus.choices, default=AppealStatus.OPEN, db_index=True
    )
    # The moderator who hid the item: they may not decide the appeal.
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who the appeal was sent to: a different moderator, or an administrator when there is none.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moderation_appeals_to_decide",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(max_length=300, blank=True)

    objects = AppealQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["kind", "object_id", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id"],
                condition=Q(status="open"),
                name="one_open_appeal_per_item",
            ),
        ]

    def __str__(self) -> str:
        return f"Appeal {self.pk} about {self.kind} {self.object_id}"


class QueueEntry(models.Model):
    """One item waiting for a moderator: it has open reports, an open appeal, or both. Kept up
    to date by the services whenever a report or appeal is made or dealt with, so that the
    queue is read a page at a time from this table, oldest first, however long it grows."""

    kind = models.CharField(max_length=20)
    object_id = models.PositiveIntegerField()
    waiting_since = models.DateTimeField()
    open_reports = models.PositiveIntegerField(default=0)
    appeal = models.OneToOneField(
        Appeal, null=True, blank=True, on_delete=models.SET_NULL, related_name="queue_entry"
    )
    # Copied from the open appeal, so the queue can leave out what a moderator may not decide.
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["waiting_since", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="one_queue_entry_per_item")
        ]
        indexes = [models.Index(fields=["waiting_since", "id"], name="moderation_queue_order")]
        verbose_name_plural = "queue entries"

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}, waiting since {self.waiting_since}"
