"""Organisations that take part, and the people who speak or answer for them."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class OrganisationType(models.TextChoices):
    NHS_ENGLAND = "nhs_england", "NHS England"
    NHS_ENGLAND_REGION = "nhs_england_region", "NHS England region"
    ICB = "icb", "Integrated care board (ICB)"
    NHS_TRUST = "nhs_trust", "NHS trust"
    LOCAL_AUTHORITY = "local_authority", "Local council"
    HEALTHWATCH = "healthwatch", "Healthwatch"
    CHARITY = "charity", "Charity"
    PATIENT_GROUP = "patient_group", "Patient group"
    NATIONAL_BODY = "national_body", "Other national body"

    @classmethod
    def public_bodies(cls) -> set[str]:
        """Bodies that can be asked to respond to a flag."""
        return {
            cls.NHS_ENGLAND,
            cls.NHS_ENGLAND_REGION,
            cls.ICB,
            cls.NHS_TRUST,
            cls.LOCAL_AUTHORITY,
            cls.NATIONAL_BODY,
        }


class OrganisationQuerySet(models.QuerySet):
    def public_bodies(self) -> OrganisationQuerySet:
        return self.filter(type__in=OrganisationType.public_bodies())


class Organisation(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    type = models.CharField(max_length=30, choices=OrganisationType.choices)
    code = models.CharField(
        max_length=20, blank=True, help_text="ODS code or charity number, where it has one."
    )
    region = models.ForeignKey(
        "core.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="organisations"
    )
    icb = models.ForeignKey(
        "core.Icb", null=True, blank=True, on_delete=models.PROTECT, related_name="organisations"
    )
    website = models.URLField(blank=True)
    description = models.TextField(blank=True)
    is_reference = models.BooleanField(
        default=False,
        help_text="Ships with the code as reference data; kept up to date on migrate.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["type", "code"],
                condition=~models.Q(code=""),
                name="organisation_code_unique_per_type",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def place(self) -> str:
        if self.icb_id:
            return f"{self.icb.name}, {self.icb.region.name}"
        if self.region_id:
            return self.region.name
        return "England"


class MembershipQuerySet(models.QuerySet):
    def verified(self) -> MembershipQuerySet:
        return self.filter(verified_at__isnull=False)

    def pending(self) -> MembershipQuerySet:
        return self.filter(verified_at__isnull=True)


class Membership(models.Model):
    """A person who speaks for an organisation (member) or answers for it (responder)."""

    class Role(models.TextChoices):
        MEMBER = "member", "Organisation member"
        RESPONDER = "responder", "Responder"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    job_title = models.CharField(max_length=100, blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="one_membership_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None
