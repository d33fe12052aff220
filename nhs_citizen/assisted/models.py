"""Community helpers: confirmed members of an organisation (Healthwatch, a patient group, a
charity) who record what a person who is offline wants to say, with that person's consent.

``OfflinePerson`` holds the little the helper needs to reach the person again (a name and a
phone number or an address). Only the organisation's confirmed members see it: never a public
page, the API or the open data. ``OnBehalfRecord`` is one thing recorded for that person (a flag,
a support, answers to a call for views, a story, a place in a panel pool) with the consent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ContactBy(models.TextChoices):
    PHONE = "phone", "By phone"
    LETTER = "letter", "By letter"
    HELPER = "helper", "Through us only (we will tell them)"


class ConsentHow(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "By phone"
    LETTER = "letter", "By letter"


class RecordKind(models.TextChoices):
    FLAG = "flag", "Raised a flag"
    SUPPORT = "support", "Supported a flag"
    CALL_ANSWER = "call_answer", "Answered a call for views"
    STORY = "story", "Told a story"
    POOL_ENTRY = "pool_entry", "Joined a pool for selection"


class OfflinePerson(models.Model):
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="offline_people"
    )
    reference = models.CharField(max_length=12, unique=True)
    name = models.CharField(max_length=100)
    contact_by = models.CharField(max_length=10, choices=ContactBy.choices)
    phone = models.CharField(max_length=30, blank=True)
    address = models.TextField(max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "offline people"
        indexes = [
            models.Index(fields=["organisation", "-created_at", "-id"], name="assisted_person_org")
        ]

    def __str__(self) -> str:
        # Never the name: this ends up in logs and admin lists.
        return self.reference


class OnBehalfRecord(models.Model):
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="on_behalf_records"
    )
    person = models.ForeignKey(OfflinePerson, on_delete=models.PROTECT, related_name="records")
    kind = models.CharField(max_length=20, choices=RecordKind.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    consent_given_by = models.CharField(max_length=100)
    consent_how = models.CharField(max_length=10, choices=ConsentHow.choices)
    consent_on = models.DateField()
    # The reference written on a paper form typed in here (empty if it was not on paper).
    paper_reference = models.CharField(max_length=30, blank=True)
    flag = models.ForeignKey(
        "gather.Flag", null=True, blank=True, on_delete=models.CASCADE, related_name="on_behalf"
    )
    call = models.ForeignKey(
        "gather.CallForViews",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="on_behalf",
    )
    call_submission = models.OneToOneField(
        "gather.CallSubmission",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="on_behalf",
    )
    story = models.OneToOneField(
        "culture.Story", null=True, blank=True, on_delete=models.CASCADE, related_name="on_behalf"
    )
    pool = models.ForeignKey(
        "panels.Pool", null=True, blank=True, on_delete=models.CASCADE, related_name="on_behalf"
    )
    pool_member = models.OneToOneField(
        "panels.PoolMember",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="on_behalf",
    )

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            # A person supports a flag once, however many times a helper types it in.
            models.UniqueConstraint(
                fields=["person", "flag"],
                condition=models.Q(kind="support"),
                name="one_on_behalf_support_per_person_and_flag",
            ),
            models.UniqueConstraint(
                fields=["person", "call"],
                condition=models.Q(kind="call_answer"),
                name="one_on_behalf_answer_per_person_and_call",
            ),
            models.UniqueConstraint(
                fields=["person", "pool"],
                condition=models.Q(kind="pool_entry"),
                name="one_on_behalf_entry_per_person_and_pool",
            ),
            models.UniqueConstraint(
                fields=["flag"],
                condition=models.Q(kind="flag"),
                name="one_on_behalf_raiser_per_flag",
            ),
            # A paper form is typed in once.
            models.UniqueConstraint(
                fields=["organisation", "paper_reference"],
                condition=~models.Q(paper_reference=""),
                name="one_record_per_paper_reference",
            ),
        ]
        indexes = [
            # The share of a flag's supporters recorded on behalf.
            models.Index(fields=["flag", "kind"], name="assisted_record_flag_kind"),
            # The organisation's activity page, newest first.
            models.Index(
                fields=["organisation", "-recorded_at", "-id"], name="assisted_record_org"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.person_id}"
