"""People's accounts and the staff roles some of them hold."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property


class Role(models.TextChoices):
    """Staff roles held by a person across NHS Citizen. Citizens need no role, and
    organisation members and responders are memberships of an organisation."""

    CURATOR = "curator", "Curator"
    MODERATOR = "moderator", "Moderator"
    REVIEW_PANEL = "review_panel", "Review panel member"
    SECRETARIAT = "secretariat", "Secretariat"
    BOARD_MEMBER = "board_member", "Board member"
    ADMINISTRATOR = "administrator", "Administrator"


ROLE_DESCRIPTIONS = {
    Role.CURATOR: "Merges duplicate flags, writes roundups and looks after topics in Discover.",
    Role.MODERATOR: "Checks reports against the house rules, hides and restores content with reasons.",
    Role.REVIEW_PANEL: "Decides, against the published criteria, what happens to flags that reach the threshold.",
    Role.SECRETARIAT: "Runs Assembly cycles, juries, Assembly Meetings and Citizen Panels.",
    Role.BOARD_MEMBER: "Records the NHS England Board's responses and commitments.",
    Role.ADMINISTRATOR: "Gives people roles and checks who acts for organisations.",
}


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An email address is needed.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(
        max_length=60, help_text="Shown with what you write. It does not have to be your real name."
    )
    region = models.ForeignKey(
        "core.Region", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    icb = models.ForeignKey(
        "core.Icb", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    interests = models.ManyToManyField("core.Topic", blank=True, related_name="+")
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # When the person first confirmed an e-mail address: the priority vote is open only to
    # accounts created and verified before a cycle's cut-off.
    email_verified_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set when the person deletes their account: everything personal is removed and the row
    # stays only so that their public contributions keep a (now anonymous) author.
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["display_name", "email"]

    def __str__(self) -> str:
        return self.public_name

    @property
    def is_staff(self) -> bool:
        # Django's admin site is not used; staff roles are below.
        return False

    @property
    def public_name(self) -> str:
        if self.deleted_at:
            return "Former member"
        return self.display_name or "NHS Citizen member"

    @property
    def area_name(self) -> str:
        if self.icb_id:
            return f"{self.icb.name} ({self.icb.region.name})"
        if self.region_id:
            return self.region.name
        return ""

    @cached_property
    def staff_roles(self) -> frozenset[str]:
        self._load_access()
        return self.__dict__["staff_roles"]

    def has_role(self, role: str) -> bool:
        return role in self.staff_roles

    @property
    def has_staff_role(self) -> bool:
        return bool(self.staff_roles)

    @cached_property
    def responder_organisation_ids(self) -> frozenset[int]:
        self._load_access()
        return self.__dict__["responder_organisation_ids"]

    def _load_access(self) -> None:
        """Read the person's staff roles and the organisations they answer for in one query:
        every signed-in request needs both (two-step verification is checked on each), so
        this is one round trip instead of two. Both are kept on this object for the request;
        services that change them drop the kept values."""
        from django.db import connections, router

        from nhs_citizen.core.models import Membership

        have_roles = "staff_roles" in self.__dict__
        have_responder = "responder_organisation_ids" in self.__dict__
        if have_roles and have_responder:
            return
        if self.pk is None:
            self.__dict__.setdefault("staff_roles", frozenset())
            self.__dict__.setdefault("responder_organisation_ids", frozenset())
            return
        connection = connections[router.db_for_read(RoleAssignment, instance=self)]
        quote = connection.ops.quote_name
        sql = (
            f"SELECT {quote('role')}, NULL FROM {quote(RoleAssignment._meta.db_table)} "
            "WHERE user_id = %s UNION ALL "
            f"SELECT NULL, organisation_id FROM {quote(Membership._meta.db_table)} "
            "WHERE user_id = %s AND role = %s AND verified_at IS NOT NULL"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.pk, self.pk, Membership.Role.RESPONDER])
            rows = cursor.fetchall()
        if not have_roles:
            self.__dict__["staff_roles"] = frozenset(r for r, _ in rows if r is not None)
        if not have_responder:
            self.__dict__["responder_organisation_ids"] = frozenset(
                int(o) for _, o in rows if o is not None
            )

    @property
    def needs_second_factor(self) -> bool:
        """Everyone with a staff role, and every confirmed responder, must use two-step
        verification: they act for others and can change what the public sees."""
        return self.has_staff_role or bool(self.responder_organisation_ids)


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(max_length=30, choices=Role.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="one_assignment_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"


# Communication needs (NHS Accessible Information Standard) and requests for other formats -------
# Personal data: only the person sees their needs, and the secretariat sees those of confirmed
# panel and Assembly members, with every view audited (ADR 0036). Never public, never in the API
# or the open data.


class CommunicationNeeds(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="communication_needs",
    )
    # Codes from accounts.needs.NEEDS, in that order.
    needs = models.JSONField(default=list, blank=True)
    # A code from accounts.needs.LANGUAGES, or "".
    language = models.CharField(max_length=10, blank=True)
    something_else = models.TextField(blank=True, max_length=500)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "communication needs"

    def __str__(self) -> str:
        return f"Communication needs of person {self.user_id}"

    def as_person_needs(self):
        from nhs_citizen.accounts.needs import PersonNeeds

        return PersonNeeds(
            needs=tuple(self.needs or ()),
            language=self.language,
            something_else=self.something_else,
        )


class FormatRequestStatus(models.TextChoices):
    WAITING = "waiting", "Waiting"
    SENT = "sent", "Sent"


class FormatRequest(models.Model):
    """Someone asks for a document or page in another format or language. Tracked with a due
    date in working days, like a referral."""

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="format_requests"
    )
    document = models.CharField(max_length=300, help_text="Which document or page.")
    format = models.CharField(max_length=20)
    language = models.CharField(max_length=10, blank=True)
    send_by = models.CharField(max_length=10)
    postal_address = models.TextField(blank=True, max_length=500)
    requested_at = models.DateTimeField(default=timezone.now)
    due_date = models.DateField()
    status = models.CharField(
        max_length=10, choices=FormatRequestStatus.choices, default=FormatRequestStatus.WAITING
    )
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["status", "due_date", "id"], name="format_request_queue")]

    def __str__(self) -> str:
        return f"Format request {self.pk}"

    @property
    def is_done(self) -> bool:
        return self.status == FormatRequestStatus.SENT

    def is_overdue(self, today=None) -> bool:
        from nhs_citizen.accounts.needs import request_is_overdue

        return request_is_overdue(
            done=self.is_done, due=self.due_date, today=today or timezone.localdate()
        )

    @property
    def format_wanted(self) -> str:
        from nhs_citizen.accounts.needs import format_wanted

        return format_wanted(self.format, self.language)

    @property
    def send_by_words(self) -> str:
        return "By email" if self.send_by == "email" else "By post"
