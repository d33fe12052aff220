"""Assembly cycles: the dates, the flags that enter each cycle, the priority vote, and the
citizens' jury's choices. Every decision in a cycle is kept, with who took it and why."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class Stage(models.TextChoices):
    """Where a cycle stands. The secretariat moves a cycle on; each move is a decision."""

    PLANNED = "planned", "Taking flags"
    CUT_OFF = "cut_off", "Flags cut off, vote not yet open"
    VOTING = "voting", "Priority vote open"
    VOTE_CLOSED = "vote_closed", "Vote closed, scores published"
    JURY = "jury", "Citizens' jury chose the agenda"
    MEETING = "meeting", "Assembly Meeting held"
    RESPONDING = "responding", "Board responses published"
    STOCK_TAKE = "stock_take", "Stock-take done"


STAGE_ORDER = [s.value for s in Stage]


class CycleQuerySet(models.QuerySet):
    def current(self) -> Cycle | None:
        """The cycle that is not yet finished and comes first."""
        return self.exclude(stage=Stage.STOCK_TAKE).order_by("flag_cutoff").first()

    def past(self) -> CycleQuerySet:
        return self.filter(stage=Stage.STOCK_TAKE).order_by("-flag_cutoff")


class Cycle(models.Model):
    """One of the twice-yearly Assembly cycles."""

    name = models.CharField(max_length=100, unique=True, help_text="For example, Spring 2027.")
    slug = models.SlugField(max_length=100, unique=True)
    flag_cutoff = models.DateTimeField(
        help_text="Flags shortlisted after this go to the next cycle."
    )
    vote_opens = models.DateTimeField()
    vote_closes = models.DateTimeField()
    jury_date = models.DateField()
    meeting_date = models.DateField()
    response_due = models.DateField(help_text="The Board must respond in writing by this day.")
    stocktake_date = models.DateField()
    max_choices = models.PositiveSmallIntegerField(
        default=5, help_text="How many flags each voter may choose."
    )
    shortlist_size = models.PositiveSmallIntegerField(
        default=10, help_text="How many flags go from the vote to the jury."
    )
    agenda_size = models.PositiveSmallIntegerField(
        default=5, help_text="How many flags the jury chooses for the Assembly Meeting."
    )
    stage = models.CharField(
        max_length=20, choices=Stage.choices, default=Stage.PLANNED, db_index=True
    )
    jury_panel = models.ForeignKey(
        "panels.Panel", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    scores_published_at = models.DateTimeField(null=True, blank=True)
    # Stored when the vote closes, so pages never count the ballots: how many people voted,
    # and whether the count from the audit log alone matched (checked again by a daily job).
    voters = models.PositiveIntegerField(null=True, blank=True)
    recount_matches = models.BooleanField(null=True, blank=True)
    recounted_at = models.DateTimeField(null=True, blank=True)

    objects = CycleQuerySet.as_manager()

    class Meta:
        ordering = ["-flag_cutoff"]
        indexes = [
            # The past cycles list, a page at a time, newest first.
            models.Index(fields=["stage", "flag_cutoff", "id"], name="assembly_cycle_by_stage"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(vote_opens__lt=models.F("vote_closes")),
                name="assembly_cycle_vote_opens_before_it_closes",
            ),
            models.CheckConstraint(
                condition=models.Q(flag_cutoff__lte=models.F("vote_opens")),
                name="assembly_cycle_cutoff_before_vote",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("assembly:cycle_detail", args=[self.slug])

    def stage_index(self) -> int:
        return STAGE_ORDER.index(self.stage)

    def has_reached(self, stage: str) -> bool:
        return self.stage_index() >= STAGE_ORDER.index(stage)


class CycleEntry(models.Model):
    """A shortlisted flag in a cycle. A flag enters one cycle only; one shortlisted after a
    cycle's cut-off rolls over to the next."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="entries")
    flag = models.OneToOneField("gather.Flag", on_delete=models.PROTECT, related_name="cycle_entry")
    shortlisted_at = models.DateTimeField()
    entered_at = models.DateTimeField(default=timezone.now)
    rolled_over_from = models.ForeignKey(
        Cycle, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Filled in when the vote closes: the published score and place.
    votes = models.PositiveIntegerField(null=True, blank=True)
    place = models.PositiveSmallIntegerField(null=True, blank=True)
    to_jury = models.BooleanField(default=False)

    class Meta:
        ordering = ["place", "entered_at", "pk"]
        indexes = [
            models.Index(
                fields=["cycle", "place", "shortlisted_at", "id"], name="assembly_entry_rank"
            )
        ]

    def __str__(self) -> str:
        return f"Flag {self.flag_id} in {self.cycle}"


class CycleDecision(models.Model):
    """A decision taken in a cycle, shown on its public page: what, who decided, and why."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(max_length=40)
    summary = models.CharField(max_length=300)
    reasons = models.TextField(max_length=3000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by_role = models.CharField(
        max_length=100, help_text="Shown publicly, for example 'The secretariat'."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["cycle", "created_at", "id"], name="assembly_decision_cycle")
        ]

    def __str__(self) -> str:
        return self.summary


class Ballot(models.Model):
    """A voter's current choice in a cycle's priority vote. Every change is in the audit log;
    this row holds only the latest choice."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="ballots")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ballots"
    )
    entries = models.ManyToManyField(CycleEntry, related_name="ballots", blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "voter"], name="assembly_one_ballot_per_voter")
        ]

    def __str__(self) -> str:
        return f"Ballot in {self.cycle}"


class JuryChoice(models.Model):
    """The jury's decision on one of the flags sent to it, with its reasons, chosen or not."""

    entry = models.OneToOneField(CycleEntry, on_delete=models.CASCADE, related_name="jury_choice")
    chosen = models.BooleanField()
    reasons = models.TextField(max_length=3000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{'Chosen' if self.chosen else 'Not chosen'}: flag {self.entry.flag_id}"
