"""The Assembly Meeting of a cycle: its members, the agenda items with their information packs,
the workshop notes, what remote participants post during the meeting, the webcast and the
minutes. And the Citizen Panels that the Assembly commissions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class Meeting(models.Model):
    cycle = models.OneToOneField("assembly.Cycle", on_delete=models.CASCADE, related_name="meeting")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    place = models.CharField(max_length=200, help_text="Where people meet in person.")
    webcast_url = models.URLField(blank=True, max_length=500)
    members_panel = models.ForeignKey(
        "panels.Panel", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    remote_posting_open = models.BooleanField(
        default=False, help_text="Remote participants can post to each item's thread."
    )
    minutes = models.TextField(blank=True, max_length=50000)
    minutes_published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_at__lt=models.F("ends_at")),
                name="meetings_meeting_starts_before_it_ends",
            )
        ]

    def __str__(self) -> str:
        return f"Assembly Meeting, {self.cycle}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting_detail", args=[self.cycle.slug])


class AgendaItem(models.Model):
    """One flag the jury chose, on the Meeting's agenda."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    entry = models.OneToOneField(
        "assembly.CycleEntry", on_delete=models.PROTECT, related_name="agenda_item"
    )
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=150)
    briefing = models.TextField(
        max_length=10000, blank=True, help_text="The information pack's introduction."
    )

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"], name="meetings_one_item_per_position"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:item_detail", args=[self.meeting.cycle.slug, self.pk])


class PackDocument(models.Model):
    """A document in an agenda item's information pack: a link or an uploaded file."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=150)
    url = models.URLField(blank=True, max_length=500)
    file = models.FileField(upload_to="packs/%Y/%m/", blank=True)
    file_type = models.CharField(max_length=50, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return self.title


class WorkshopQuestion(models.TextChoices):
    NOW = "now", "The situation now"
    BETTER = "better", "What better looks like"
    MUST_HAPPEN = "must_happen", "What must happen"


class WorkshopNote(models.Model):
    """What a workshop said on one of the three questions, recorded by its facilitator."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="notes")
    question = models.CharField(max_length=20, choices=WorkshopQuestion.choices)
    table = models.CharField(
        max_length=50, help_text="Which workshop table or group, for example Table 4."
    )
    text = models.TextField(max_length=5000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["question", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_question_display()}, {self.table}"


class RemotePost(models.Model):
    """A remote participant's post to an agenda item's thread during the meeting."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="remote_posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="remote_posts"
    )
    question = models.CharField(max_length=20, choices=WorkshopQuestion.choices, blank=True)
    body = models.TextField(max_length=3000)
    created_at = models.DateTimeField(default=timezone.now)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            # An agenda item's thread, a page at a time.
            models.Index(fields=["item", "created_at", "id"], name="meetings_post_by_item"),
        ]

    def __str__(self) -> str:
        return f"Post on {self.item}"


class CommissionStatus(models.TextChoices):
    COMMISSIONED = "commissioned", "Commissioned"
    DRAWN = "drawn", "Panel drawn"
    REPORTED = "reported", "Report published"


class PanelCommission(models.Model):
    """The Assembly's decision to commission a Citizen Panel, the panel drawn for it, and its
    report. The Board's response goes on the tracker."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="commissions")
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="commissions"
    )
    question = models.CharField(max_length=300)
    remit = models.TextField(max_length=5000)
    size = models.PositiveIntegerField()
    quotas_note = models.TextField(
        max_length=3000, help_text="Which groups the panel must include, in words."
    )
    report_due = models.DateField()
    reasons = models.TextField(max_length=3000, help_text="Why the Assembly asked for it.")
    panel = models.OneToOneField(
        "panels.Panel", null=True, blank=True, on_delete=models.PROTECT, related_name="commission"
    )
    status = models.CharField(
        max_length=20, choices=CommissionStatus.choices, default=CommissionStatus.COMMISSIONED
    )
    report_summary = models.TextField(max_length=10000, blank=True)
    report_url = models.URLField(max_length=500, blank=True)
    report_file = models.FileField(upload_to="reports/%Y/%m/", blank=True)
    report_published_at = models.DateTimeField(null=True, blank=True)
    commissioned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    commissioned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-commissioned_at", "-pk"]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return reverse("meetings:commission_detail", args=[self.pk])
