"""Citizen Panels and selection by lot: the volunteer pool, panels, quotas, draws, members."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class Pool(models.Model):
    """People who can be chosen. The national volunteer pool, or one imported for a panel."""

    name = models.CharField(max_length=150, unique=True)
    is_volunteer_pool = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-is_volunteer_pool", "name"]

    def __str__(self) -> str:
        return self.name


class PoolMemberQuerySet(models.QuerySet):
    def active(self) -> PoolMemberQuerySet:
        return self.filter(withdrawn_at__isnull=True)


class PoolMember(models.Model):
    """One person in a pool, with their answers. Special category data: kept only with explicit
    consent, never public, deleted when they withdraw."""

    pool = models.ForeignKey(Pool, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="pool_memberships",
    )
    external_id = models.CharField(
        max_length=100, blank=True, help_text="The id in an imported file."
    )
    features = models.JSONField(default=dict)
    household_hash = models.CharField(max_length=64, blank=True, db_index=True)
    consent_given_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = PoolMemberQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pool", "user"],
                condition=models.Q(user__isnull=False),
                name="one_pool_membership_per_person",
            ),
            models.UniqueConstraint(
                fields=["pool", "external_id"],
                condition=~models.Q(external_id=""),
                name="one_row_per_external_id",
            ),
        ]

    def __str__(self) -> str:
        return f"Pool member {self.pk}"


class PanelPurpose(models.TextChoices):
    JURY = "jury", "Citizens' jury for an Assembly cycle"
    ASSEMBLY = "assembly", "Assembly Meeting membership"
    CITIZEN_PANEL = "citizen_panel", "Citizen Panel"


class PanelStatus(models.TextChoices):
    """The order of a draw (ADR 0021): nothing can be chosen once the seed exists."""

    SETTING_UP = "setting_up", "Setting up"
    INPUTS_FROZEN = "inputs_frozen", "Inputs fixed, lottery not made yet"
    LOTTERY_PUBLISHED = "lottery_published", "Lottery published, seed not committed yet"
    SEED_COMMITTED = "seed_committed", "Seed committed, waiting for the public random value"
    # Only panels drawn the old way (format v1) are drawn with the seed still secret.
    DRAWN = "drawn", "Drawn, seed not revealed yet"
    SEED_REVEALED = "seed_revealed", "Drawn and seed revealed"


class DrawProtocol(models.TextChoices):
    V1 = "nhs-citizen/sortition/v1", "Old way: lottery made after the seed was committed"
    V2 = "nhs-citizen/sortition/v2", "Lottery published before the seed was committed"


class Panel(models.Model):
    purpose = models.CharField(max_length=20, choices=PanelPurpose.choices)
    title = models.CharField(max_length=150)
    question = models.TextField(
        blank=True, help_text="For a Citizen Panel: the question it answers."
    )
    size = models.PositiveIntegerField()
    reserves = models.PositiveIntegerField(default=10)
    pool = models.ForeignKey(Pool, on_delete=models.PROTECT, related_name="panels")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=20, choices=PanelStatus.choices, default=PanelStatus.SETTING_UP
    )
    lottery_size = models.PositiveIntegerField(default=1000)
    protocol = models.CharField(
        max_length=40, choices=DrawProtocol.choices, default=DrawProtocol.V2
    )
    # 1. The inputs, fixed and published (anonymised).
    inputs_frozen_at = models.DateTimeField(null=True, blank=True)
    inputs_sha256 = models.CharField(max_length=64, blank=True)
    # 2. The lottery, the chances and the proof, published before the seed exists.
    lottery_published_at = models.DateTimeField(null=True, blank=True)
    lottery_sha256 = models.CharField(max_length=64, blank=True)
    probabilities_sha256 = models.CharField(max_length=64, blank=True)
    certificate_sha256 = models.CharField(max_length=64, blank=True)
    # 3. The seed: SHA-256 of the secretariat's secret, and a public value named in advance.
    seed_hash = models.CharField(max_length=64, blank=True)
    seed_committed_at = models.DateTimeField(null=True, blank=True)
    seed = models.CharField(max_length=128, blank=True, help_text="Secret until revealed.")
    public_value_name = models.CharField(max_length=300, blank=True)
    public_value_date = models.DateField(null=True, blank=True)
    # 4. The public value, typed in on or after its date; the final seed mixes both.
    public_value = models.CharField(max_length=300, blank=True)
    public_value_entered_at = models.DateTimeField(null=True, blank=True)
    final_seed = models.CharField(max_length=64, blank=True)
    seed_revealed_at = models.DateTimeField(null=True, blank=True)
    drawn_at = models.DateTimeField(null=True, blank=True)
    # Published, anonymised: the inputs, the lottery (panels, chances, proof) and the result.
    published_inputs = models.JSONField(null=True, blank=True)
    published_lottery = models.JSONField(null=True, blank=True)
    published_result = models.JSONField(null=True, blank=True)
    # A few figures from the published result, kept when the panel is drawn, so that pages do
    # not read the whole lottery: people, minimum, median, maximum, after_rounding, lottery_size.
    summary = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class PanelQuota(models.Model):
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="quotas")
    category = models.CharField(max_length=60)
    value = models.CharField(max_length=100)
    minimum = models.PositiveIntegerField()
    maximum = models.PositiveIntegerField()

    class Meta:
        ordering = ["category", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "category", "value"], name="one_quota_per_value"
            )
        ]

    def __str__(self) -> str:
        return f"{self.category}={self.value}: {self.minimum}-{self.maximum}"


class MemberStatus(models.TextChoices):
    INVITED = "invited", "Invited"
    CONFIRMED = "confirmed", "Confirmed"
    DECLINED = "declined", "Declined"
    REPLACED = "replaced", "Replaced"
    RESERVE = "reserve", "Reserve"


class PanelMember(models.Model):
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    pool_member = models.ForeignKey(
        PoolMember, on_delete=models.PROTECT, related_name="panel_places"
    )
    status = models.CharField(max_length=20, choices=MemberStatus.choices)
    reserve_position = models.PositiveIntegerField(null=True, blank=True)
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["status", "reserve_position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "pool_member"], name="one_place_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} on panel {self.panel_id}"


class SelectionProbability(models.Model):
    """A pool member's pseudonymous id in a draw's published inputs, and their chance of being
    chosen. The link between the two is never published."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="probabilities")
    pool_member = models.ForeignKey(
        PoolMember, on_delete=models.CASCADE, related_name="probabilities"
    )
    public_id = models.CharField(max_length=20)
    probability = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "pool_member"], name="one_probability_per_person"
            ),
            models.UniqueConstraint(fields=["panel", "public_id"], name="one_public_id_per_draw"),
        ]

    def __str__(self) -> str:
        return f"{self.public_id}: {self.probability}"


# The big published documents: pages that do not need them leave them in the database.
HEAVY_PANEL_FIELDS = ("published_inputs", "published_lottery", "published_result")


class JobKind(models.TextChoices):
    LOTTERY = "lottery", "Making the lottery"
    DRAW = "draw", "Draw"
    CHECK = "check", "Check of the draw"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    DONE = "done", "Finished"
    FAILED = "failed", "Stopped with a problem"


ACTIVE_JOB_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)
# A waiting or running job that has written nothing for this long has stopped (the computer
# running it restarted, say): it no longer blocks another, and the pages say so.
STALE_JOB_AFTER = timedelta(minutes=30)


class JobStage(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    INPUTS = "inputs", "Reading the fixed inputs"
    DISTRIBUTION = "distribution", "Finding the fairest chances for everyone"
    ROUNDING = "rounding", "Rounding the chances to a lottery of panels"
    PROVING = "proving", "Checking the lottery keeps its promise to everyone"
    PUBLISHING = "publishing", "Publishing the lottery, the chances and their codes"
    MIXING = "mixing", "Making the final seed from the secret and the public value"
    DRAWING = "drawing", "Drawing the panel and the reserves with the seed"
    INVITING = "inviting", "Saving the result and inviting the people chosen"
    READING_FILE = "reading_file", "Reading the published file"
    CHECKING_LOTTERY = "checking_lottery", "Checking the codes, the times and every panel"
    CHECKING_CHANCES = "checking_chances", "Checking everyone's chances and the lowest chance"
    CHECKING_SEED = "checking_seed", "Checking the seed and who was chosen"
    FINISHED = "finished", "Finished"


class DrawJob(models.Model):
    """One background run of a draw or of a check of a draw: where it is, what it has proved
    so far, and its result or a plain-English reason it stopped. The job updates this row as
    it goes, in short writes; nothing is locked while it works."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="jobs")
    kind = models.CharField(max_length=10, choices=JobKind.choices)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    stage = models.CharField(max_length=20, choices=JobStage.choices, default=JobStage.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty when the job was started automatically.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The last time the job wrote here: a job that has not written for a long time has stopped.
    updated_at = models.DateTimeField(default=timezone.now)
    # What is known so far: minimum_proved, panels_found, minimum_after_rounding.
    progress = models.JSONField(default=dict, blank=True)
    # A draw: selected, reserves, minimum_probability. A check: checks_out, problems,
    # file_name, file_sha256.
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["panel", "kind", "-created_at", "-id"], name="panels_job_latest"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "kind"],
                condition=models.Q(status__in=["queued", "running"]),
                name="one_active_job_per_panel_and_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of panel {self.panel_id}: {self.get_status_display()}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_JOB_STATUSES

    @property
    def seems_stopped(self) -> bool:
        return self.is_active and timezone.now() - self.updated_at > STALE_JOB_AFTER
