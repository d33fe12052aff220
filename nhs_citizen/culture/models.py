"""Culture change: stories of change from staff and patients. The measures per body (answers on
time, days to answer, commitments kept and overdue) are worked out from Gather and the tracker
by a job, and stored for the pages to read."""

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
        indexes = [
            # The published stories, newest first; and about one body.
            models.Index(fields=["status", "published_at", "id"], name="culture_story_list"),
            models.Index(
                fields=["organisation", "status", "published_at", "id"],
                name="culture_story_body_list",
            ),
            models.Index(fields=["author", "created_at", "id"], name="culture_story_own"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("culture:story_detail", args=[self.pk])


class MeasuresRun(models.Model):
    """When the league table's figures for a period were last worked out, by the job that
    stores them (``refresh_culture_measures``), with how many bodies are ranked and recognised
    among every kind of body ("") and each kind."""

    period = models.CharField(max_length=3, unique=True)
    as_of = models.DateField()
    refreshed_at = models.DateTimeField(default=timezone.now)
    ranked = models.JSONField(default=dict)
    recognised = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"Culture measures ({self.period}) as of {self.as_of}"


class BodyFigures(models.Model):
    """One body's culture-change figures for a period, and its places in the league table
    among every body and among bodies of its kind: worked out by a job, read by the pages."""

    period = models.CharField(max_length=3)
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="culture_figures"
    )
    name = models.CharField(max_length=300)
    slug = models.SlugField(max_length=300)
    kind = models.CharField(max_length=40)
    # Referrals (flags sent to the body) and its answers.
    received = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    answered_on_time = models.PositiveIntegerField(default=0)
    waiting = models.PositiveIntegerField(default=0)
    answers_overdue = models.PositiveIntegerField(default=0)
    # {days taken to answer: how many answers}, for the median.
    days_to_answer = models.JSONField(default=dict)
    # Commitments.
    made = models.PositiveIntegerField(default=0)
    kept = models.PositiveIntegerField(default=0)
    not_done = models.PositiveIntegerField(default=0)
    open = models.PositiveIntegerField(default=0)
    commitments_overdue = models.PositiveIntegerField(default=0)
    # Order and place among every body, and among bodies of its kind (the same order).
    position = models.PositiveIntegerField()
    place = models.PositiveIntegerField(null=True)
    shared = models.BooleanField(default=False)
    kind_place = models.PositiveIntegerField(null=True)
    kind_shared = models.BooleanField(default=False)
    recognised = models.BooleanField(default=False)

    class Meta:
        ordering = ["period", "position", "pk"]
        verbose_name_plural = "body figures"
        constraints = [
            models.UniqueConstraint(
                fields=["period", "organisation"], name="culture_figures_once_per_period"
            )
        ]
        indexes = [
            models.Index(fields=["period", "position", "id"], name="culture_fig_order"),
            models.Index(fields=["period", "kind", "position", "id"], name="culture_fig_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.period})"
