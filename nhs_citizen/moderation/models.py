"""Moderation: reports that something breaks the house rules, and appeals against hiding.

What is hidden, and why, is kept on the item itself (``hidden_at`` and ``hidden_reason`` on
flags, comments and evidence), so that the page can show a placeholder with the reason.
The decisions themselves go in the public audit log.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ContentKind(models.TextChoices):
    FLAG = "flag", "Flag"
    COMMENT = "comment", "Comment"
    EVIDENCE = "evidence", "Evidence"


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
    kind = models.CharField(max_length=20, choices=ContentKind.choices)
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
            models.CheckConstraint(
                condition=Q(kind__in=["flag", "comment", "evidence"]), name="report_kind_is_known"
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

    kind = models.CharField(max_length=20, choices=ContentKind.choices)
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
            models.CheckConstraint(
                condition=Q(kind__in=["flag", "comment", "evidence"]), name="appeal_kind_is_known"
            ),
        ]

    def __str__(self) -> str:
        return f"Appeal {self.pk} about {self.kind} {self.object_id}"
