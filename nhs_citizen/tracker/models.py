"""The tracker: every Board response and every commitment, with its owner, due date, status
and dated updates, in public. Responses to Gather referrals and calls for views live in
Gather; the tracker lists them beside these."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone


class BoardOutcome(models.TextChoices):
    WILL_ACT = "will_act", "The Board will act"
    IN_PART = "in_part", "The Board will act in part"
    WILL_NOT_ACT = "will_not_act", "The Board will not act"


class BoardResponse(models.Model):
    """The NHS England Board's written response to an agenda item or a Citizen Panel report."""

    agenda_item = models.OneToOneField(
        "meetings.AgendaItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="board_response",
    )
    commission = models.OneToOneField(
        "meetings.PanelCommission",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="board_response",
    )
    outcome = models.CharField(max_length=20, choices=BoardOutcome.choices)
    summary = models.CharField(max_length=300, help_text="The response in one sentence.")
    reasons = models.TextField(max_length=10000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)
    due_date = models.DateField(help_text="When the response was due.")
    on_time = models.BooleanField()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["published_at", "id"], name="tracker_board_published")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(agenda_item__isnull=False, commission__isnull=True)
                    | Q(agenda_item__isnull=True, commission__isnull=False)
                ),
                name="tracker_board_response_answers_one_thing",
            )
        ]

    def __str__(self) -> str:
        return self.summary

    def get_absolute_url(self) -> str:
        return reverse("tracker:board_response", args=[self.pk])


class Verdict(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"


class Reflection(models.Model):
    """A member's or participant's answer to 'Does this response reflect what you said?'.
    Shown publicly only in aggregate; comments are public without names."""

    response = models.ForeignKey(
        BoardResponse, on_delete=models.CASCADE, related_name="reflections"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflections"
    )
    verdict = models.CharField(max_length=10, choices=Verdict.choices)
    comment = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "user"], name="tracker_one_reflection_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_verdict_display()} on response {self.response_id}"


class CommitmentStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    NOT_DONE = "not_done", "Not done"
    # Taken back by the body, with a public reason: kept and shown, never deleted, and no
    # longer open or overdue.
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_STATUSES = (CommitmentStatus.NOT_STARTED, CommitmentStatus.IN_PROGRESS)
# What the tracker's lists treat as no longer open (after every open one).
FINISHED_STATUSES = (CommitmentStatus.DONE, CommitmentStatus.NOT_DONE, CommitmentStatus.WITHDRAWN)
# Added to a finished commitment's day number, so finished ones come after every open one.
FINISHED_OFFSET = 1_000_000


class DaysFrom1970(models.Func):
    """A date as a whole number of days since 1 January 1970. The same, and immutable, on
    PostgreSQL and SQLite, so the database can store it in a generated column."""

    arity = 1
    output_field = models.IntegerField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="(%(expressions)s - DATE '1970-01-01')", **extra_context
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) - 2440587.5 AS INTEGER)",
            **extra_context,
        )


class CommitmentQuerySet(models.QuerySet):
    def open(self) -> CommitmentQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today=None) -> CommitmentQuerySet:
        today = today or timezone.localdate()
        return self.open().filter(due_date__lt=today)


class Commitment(models.Model):
    """Something a body has said it will do: what, who owns it, by when, and how it is going.
    It comes from a Board response, or from a body's answer to a referred flag or a call for
    views."""

    what = models.CharField(max_length=300, help_text="What will be done.")
    detail = models.TextField(max_length=5000, blank=True)
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="commitments"
    )
    owner = models.CharField(
        max_length=150,
        help_text="The named team or role that owns it, for example Director of Primary Care.",
    )
    due_date = models.DateField()
    status = models.CharField(
        max_length=20,
        choices=CommitmentStatus.choices,
        default=CommitmentStatus.NOT_STARTED,
        db_index=True,
    )
    # Kept by the database from the status: whether it is done, not done or withdrawn.
    finished = models.GeneratedField(
        expression=Case(
            When(status__in=FINISHED_STATUSES, then=Value(True)),
            default=Value(False),
            output_field=models.BooleanField(),
        ),
        output_field=models.BooleanField(),
        db_persist=True,
    )
    # The tracker's order in one number, kept by the database: open ones first by due date
    # (so the overdue ones, due earliest, lead, without knowing today's date), then finished
    # ones by due date. One column, so a page deep in the list starts on the index.
    list_key = models.GeneratedField(
        expression=Case(
            When(
                status__in=FINISHED_STATUSES,
                then=DaysFrom1970(F("due_date")) + Value(FINISHED_OFFSET),
            ),
            default=DaysFrom1970(F("due_date")),
            output_field=models.IntegerField(),
        ),
        output_field=models.IntegerField(),
        db_persist=True,
    )
    status_reasons = models.TextField(
        max_length=3000, blank=True, help_text="Why it was not done (needed for 'not done')."
    )
    # Withdrawn: why, in public, when and by whom (the person is kept in the private audit log).
    withdrawn_reason = models.TextField(max_length=3000, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    board_response = models.ForeignKey(
        BoardResponse, null=True, blank=True, on_delete=models.PROTECT, related_name="commitments"
    )
    referral_response = models.ForeignKey(
        "gather.Response",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    call_for_views = models.ForeignKey(
        "gather.CallForViews",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    # The flag behind it, whose people are told of every change (None for a call for views).
    flag = models.ForeignKey(
        "gather.Flag", null=True, blank=True, on_delete=models.PROTECT, related_name="commitments"
    )
    cycle = models.ForeignKey(
        "assembly.Cycle",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    topic = models.ForeignKey(
        "core.Topic", null=True, blank=True, on_delete=models.PROTECT, related_name="commitments"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(fields=["organisation", "status", "due_date"]),
            # The tracker's lists: open first (overdue at the top), then finished; by body,
            # cycle and topic; and one status at a time.
            models.Index(fields=["list_key", "id"], name="tracker_com_order"),
            models.Index(fields=["organisation", "list_key", "id"], name="tracker_com_body_order"),
            models.Index(fields=["cycle", "list_key", "id"], name="tracker_com_cycle_order"),
            models.Index(fields=["topic", "list_key", "id"], name="tracker_com_topic_order"),
            # Open (and overdue) ones, and one status at a time, by due date.
            models.Index(fields=["finished", "due_date", "id"], name="tracker_com_open_order"),
            models.Index(fields=["status", "due_date", "id"], name="tracker_com_status_order"),
            # A body's Atom feed: its newest commitments first.
            models.Index(
                fields=["organisation", "-created_at", "-id"], name="tracker_com_body_newest"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        board_response__isnull=False,
                        referral_response__isnull=True,
                        call_for_views__isnull=True,
                    )
                    | Q(
                        board_response__isnull=True,
                        referral_response__isnull=False,
                        call_for_views__isnull=True,
                    )
                    | Q(
                        board_response__isnull=True,
                        referral_response__isnull=True,
                        call_for_views__isnull=False,
                    )
                ),
                name="tracker_commitment_has_one_source",
            )
        ]

    def __str__(self) -> str:
        return self.what

    def get_absolute_url(self) -> str:
        return reverse("tracker:commitment_detail", args=[self.pk])

    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_withdrawn(self) -> bool:
        return self.status == CommitmentStatus.WITHDRAWN

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.is_open() and self.due_date < today


class CommitmentUpdate(models.Model):
    """A dated update on a commitment, with evidence, by its owner or the secretariat."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=CommitmentStatus.choices)
    previous_status = models.CharField(max_length=20, choices=CommitmentStatus.choices)
    note = models.TextField(max_length=5000)
    reasons = models.TextField(
        max_length=3000, blank=True, help_text="Why it was not done (for 'not done')."
    )
    evidence_title = models.CharField(max_length=150, blank=True)
    evidence_url = models.URLField(max_length=500, blank=True)
    due_date = models.DateField(help_text="The due date after this update.")
    previous_due_date = models.DateField()
    # Who the update speaks for, shown publicly and fixed when it is posted: the body's name,
    # "NHS England Board" or "NHS Citizen secretariat". Never a person's name.
    posted_as = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            # The latest update and the first moved date of each commitment in a list.
            models.Index(
                fields=["commitment", "created_at", "id"], name="tracker_upd_by_commitment"
            )
        ]

    def __str__(self) -> str:
        return f"Update on commitment {self.commitment_id}"


class StockTakeItem(models.Model):
    """A commitment on the stock-take agenda of a cycle's Assembly: made from the open and
    overdue commitments when the secretariat generates the agenda."""

    cycle = models.ForeignKey(
        "assembly.Cycle", on_delete=models.CASCADE, related_name="stocktake_items"
    )
    commitment = models.ForeignKey(
        Commitment, on_delete=models.PROTECT, related_name="stocktake_items"
    )
    position = models.PositiveIntegerField()
    was_overdue = models.BooleanField()
    status_then = models.CharField(max_length=20, choices=CommitmentStatus.choices)
    generated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position"]
        indexes = [models.Index(fields=["cycle", "position", "id"], name="tracker_stock_order")]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "commitment"], name="tracker_stocktake_commitment_once"
            )
        ]

    def __str__(self) -> str:
        return f"Stock-take item {self.position} of {self.cycle}"


class BodyCommitmentSummary(models.Model):
    """One body's commitments in numbers, for the tracker's pages: kept up to date by the
    services whenever one of its commitments changes, and refreshed by a daily job, because a
    commitment becomes overdue when a day passes, with nothing written. Only bodies with
    commitments have a row."""

    organisation = models.OneToOneField(
        "core.Organisation", on_delete=models.CASCADE, related_name="commitment_summary"
    )
    # The body's name, copied here so that the list of bodies can be paged on an index.
    name = models.CharField(max_length=300)
    total = models.PositiveIntegerField(default=0)
    open = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    not_done = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)
    as_of = models.DateField(help_text="The day the overdue count is for.")
    refreshed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-overdue", "name", "pk"]
        indexes = [models.Index(F("overdue").desc(), "name", "id", name="tracker_body_sum_order")]

    def __str__(self) -> str:
        return f"Commitments of {self.name}"

    @property
    def slug(self) -> str:
        return self.organisation.slug


class CommitmentTotals(models.Model):
    """Every commitment in numbers: one row (pk 1), kept with the bodies' rows."""

    total = models.PositiveIntegerField(default=0)
    open = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    not_done = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)
    bodies = models.PositiveIntegerField(default=0, help_text="Bodies with commitments.")
    bodies_overdue = models.PositiveIntegerField(
        default=0, help_text="Bodies with overdue commitments."
    )
    as_of = models.DateField()
    refreshed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "commitment totals"

    def __str__(self) -> str:
        return f"Commitment totals as of {self.as_of}"
