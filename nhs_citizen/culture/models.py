"""Culture change: stories of change from staff and patients. The measures per body (answers on
time, days to answer, commitments kept and overdue) are worked out from Gather and the tracker,
not stored."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class Teller(models.TextChoices):
    PATIENT = "patient", "A patient, carer or member of the public"
    STAFF = "staff", "NHS staff"


class StoryStatus(models.TextChoices):
    WAITING = "waiting", "Waiting for a curator"
    PUBLISHED = "published", "Published"
    NOT_PUBLISHED = "not_published", "Not published"


class StoryQuerySet(models.QuerySet):
    def published(self) -> StoryQuerySet:
        return self.filter(status=StoryStatus.PUBLISHED, hidden_at__isnull=True)


class Story(models.Model):
    """A story of change: what changed in how an NHS body listens and acts, told by someone who
    saw it. A curator checks it against the house rules before it is published."""

    title = models.CharField(max_length=150)
    body = models.TextField(max_length=5000)
    teller = models.CharField(max_length=20, choices=Teller.choices)
    organisation = models.ForeignKey(
        "core.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="stories"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="stories"
    )
    status = models.CharField(
        max_length=20, choices=StoryStatus.choices, default=StoryStatus.WAITING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=300, blank=True)

    objects = StoryQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at", "-pk"]
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("culture:story_detail", args=[self.pk])
