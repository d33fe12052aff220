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
    # How many of those voters voted on a paper ballot (ADR 0034).
    paper_voters = models.PositiveIntegerField(null=True, blank=True)
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
    this row holds only the latest choice.

    A paper ballot (ADR 0034) is a row too, made when its paper is issued (empty until the
    paper comes back): for an account (``voter``) or for a person on the secretariat's list of
    paper voters (``offline_voter``). The row is what stops anyone voting twice: one per person
    per cycle, and the online vote never changes a row that is ``on_paper``."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="ballots")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="ballots",
    )
    offline_voter = models.ForeignKey(
        "assembly.OfflineVoter",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ballots",
    )
    on_paper = models.BooleanField(default=False)
    entries = models.ManyToManyField(CycleEntry, related_name="ballots", blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "voter"], name="assembly_one_ballot_per_voter"
            ),
            models.UniqueConstraint(
                fields=["cycle", "offline_voter"], name="assembly_one_ballot_per_offline_voter"
            ),
            # An account's ballot, or a paper ballot for someone on the paper voters' list.
            models.CheckConstraint(
                condition=(
                    models.Q(voter__isnull=False, offline_voter__isnull=True)
                    | models.Q(voter__isnull=True, offline_voter__isnull=False, on_paper=True)
                ),
                name="assembly_ballot_has_one_voter",
            ),
        ]

    def __str__(self) -> str:
        return f"{'Paper ballot' if self.on_paper else 'Ballot'} in {self.cycle}"


class OfflineVoter(models.Model):
    """A person who cannot vote online and has no account, on the secretariat's list so that
    they can be sent a paper ballot. Only what is needed to post the paper and check that they
    are eligible. Never public, never in the API or open data."""

    reference = models.CharField(max_length=20, unique=True)
    full_name = models.CharField(max_length=200)
    postal_address = models.TextField(max_length=500)
    postcode = models.CharField(max_length=10)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Like an account's creation date: people on the list by a cycle's cut-off can vote in it.
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["full_name", "pk"]

    def __str__(self) -> str:
        return self.reference


class PaperStatus(models.TextChoices):
    ISSUED = "issued", "Sent out, not back yet"
    RETURNED = "returned", "Back and counted"
    CANCELLED = "cancelled", "Cancelled"


LIVE_PAPER = models.Q(status__in=[PaperStatus.ISSUED, PaperStatus.RETURNED])


class PaperBallot(models.Model):
    """A numbered ballot paper, issued to one person for one cycle. It is entered once, when it
    comes back, into the ballot row made when it was issued; or cancelled (lost in the post),
    with a reason, and perhaps replaced by a new paper with a new number."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="papers")
    serial = models.PositiveIntegerField()
    number = models.CharField(max_length=20, unique=True, help_text="Printed on the paper.")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="paper_ballots",
    )
    offline_voter = models.ForeignKey(
        OfflineVoter, null=True, blank=True, on_delete=models.PROTECT, related_name="papers"
    )
    # The ballot row kept for this person while the paper is out (none once it is cancelled).
    ballot = models.ForeignKey(
        Ballot, null=True, blank=True, on_delete=models.PROTECT, related_name="papers"
    )
    status = models.CharField(
        max_length=10, choices=PaperStatus.choices, default=PaperStatus.ISSUED
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(default=timezone.now)
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(max_length=1000, blank=True)

    class Meta:
        # By the cycle's number, not its ordering: no join, so a locked paper locks only itself.
        ordering = ["cycle_id", "serial"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "serial"], name="assembly_paper_serial"),
            models.CheckConstraint(
                condition=(
                    models.Q(voter__isnull=False, offline_voter__isnull=True)
                    | models.Q(voter__isnull=True, offline_voter__isnull=False)
                ),
                name="assembly_paper_has_one_person",
            ),
            # One paper out (or counted) per person per cycle.
            models.UniqueConstraint(
                fields=["cycle", "voter"], condition=LIVE_PAPER, name="assembly_one_live_paper"
            ),
            models.UniqueConstraint(
                fields=["cycle", "offline_voter"],
                condition=LIVE_PAPER,
                name="assembly_one_live_paper_offline",
            ),
            # A ballot is filled in from one paper only.
            models.UniqueConstraint(
                fields=["ballot"],
                condition=models.Q(status=PaperStatus.RETURNED),
                name="assembly_one_paper_per_ballot",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=PaperStatus.RETURNED)
                | models.Q(entered_at__isnull=False, ballot__isnull=False),
                name="assembly_returned_paper_entered",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=PaperStatus.CANCELLED)
                | (models.Q(cancelled_at__isnull=False) & ~models.Q(cancel_reason="")),
                name="assembly_cancelled_paper_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=PaperStatus.ISSUED) | models.Q(ballot__isnull=False),
                name="assembly_issued_paper_has_ballot",
            ),
        ]

    def __str__(self) -> str:
        return f"Ballot paper {self.number}"

    @property
    def person_name(self) -> str:
        if self.offline_voter_id:
            return self.offline_voter.full_name or f"{self.offline_voter.reference} (removed)"
        return self.voter.display_name or self.voter.email


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
