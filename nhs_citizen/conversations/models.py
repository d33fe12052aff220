"""Conversations: short statements people agree or disagree with, and the opinion groups the
votes show (issue 17, ADR 0039).

A conversation is attached to at most one of: a flag (opened by a curator), an Assembly agenda
item (opened by the secretariat before the meeting) or an NHS body's call for views (opened by
that body's staff). One imported from a Pol.is export is attached to nothing and closed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

STATEMENT_MAX_LENGTH = 140


class Choice(models.IntegerChoices):
    # The same numbers as Pol.is's exports and the opinion module: 1 agree, -1 disagree, 0 pass.
    AGREE = 1, "Agree"
    DISAGREE = -1, "Disagree"
    PASS = 0, "Pass or unsure"


class Conversation(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    question = models.CharField(max_length=200)
    about = models.TextField(
        max_length=2000,
        blank=True,
        help_text="A few sentences of background for people taking part.",
    )
    flag = models.ForeignKey(
        "gather.Flag", null=True, blank=True, on_delete=models.PROTECT, related_name="conversations"
    )
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conversations",
    )
    call = models.ForeignKey(
        "gather.CallForViews",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conversations",
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opens_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField()
    imported_from = models.CharField(
        max_length=200, blank=True, help_text="Where an imported conversation came from."
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Kept by the vote service in the same transaction as the vote.
    vote_count = models.PositiveIntegerField(default=0, editable=False)
    # Set when a recompute is queued and cleared when it starts: at most one queued at a time.
    recompute_queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Closed before its closing date by whoever may manage it (ADR 0039): when and why.
    closed_early_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_reason = models.CharField(max_length=300, blank=True, editable=False)

    class Meta:
        ordering = ["-opens_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="conversation_attached_to_one_thing",
                condition=(
                    Q(flag__isnull=True, agenda_item__isnull=True)
                    | Q(flag__isnull=True, call__isnull=True)
                    | Q(agenda_item__isnull=True, call__isnull=True)
                ),
            ),
            models.CheckConstraint(
                name="conversation_closes_after_it_opens",
                condition=Q(closes_at__gt=models.F("opens_at")),
            ),
        ]
        indexes = [models.Index(fields=["-opens_at", "-id"], name="conversation_newest_idx")]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return reverse("conversations:detail", args=[self.slug])

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def has_started(self, now=None) -> bool:
        return self.opens_at <= (now or timezone.now())

    @property
    def last_day(self):
        """The last day people can vote, in UK time: a conversation closes at the end of its
        closing day (the midnight after it), so "open until" that midnight would name the day
        after."""
        import datetime

        return timezone.localtime(self.closes_at - datetime.timedelta(microseconds=1)).date()


class StatementQuerySet(models.QuerySet):
    def public(self) -> StatementQuerySet:
        return self.filter(hidden_at__isnull=True)


class Statement(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="statements"
    )
    # The statement's number in its conversation: its "comment-id" in Pol.is exports.
    number = models.PositiveIntegerField()
    # New statements are held to STATEMENT_MAX_LENGTH by the service; imported ones may be
    # longer (Pol.is has allowed longer comments), and are kept whole.
    text = models.CharField(max_length=1000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversation_statements",
    )
    # The author's participant number in this conversation ("author-id" in Pol.is's files).
    author_number = models.PositiveIntegerField(null=True, blank=True)
    is_seed = models.BooleanField(default=False)
    # True when personal data was taken out before it was saved.
    redacted = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    vote_count = models.PositiveIntegerField(default=0, editable=False)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=300, blank=True)

    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "number"], name="statement_number_once")
        ]
        indexes = [
            # The next statement to vote on: fewest votes first, in a conversation.
            models.Index(
                fields=["conversation", "vote_count", "id"],
                name="statement_fewest_votes_idx",
                condition=Q(hidden_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        return reverse("conversations:statement", args=[self.conversation.slug, self.number])

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Participant(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participants"
    )
    # The opaque number in downloads ("voter-id" / "participant" in Pol.is's files).
    number = models.PositiveIntegerField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="conversation_participations",
    )
    # For imported conversations: the participant's id in the export.
    external_id = models.CharField(max_length=100, blank=True)
    # The opinion group the last recompute put them in (None: not enough votes, or not yet).
    group = models.SmallIntegerField(null=True, blank=True, editable=False)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "number"], name="participant_number_once"
            ),
            models.UniqueConstraint(
                fields=["conversation", "user"],
                name="participant_user_once",
                condition=Q(user__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["conversation", "external_id"],
                name="participant_external_once",
                condition=~Q(external_id=""),
            ),
        ]

    def __str__(self) -> str:
        return f"Participant {self.number} in {self.conversation_id}"


class Vote(models.Model):
    # The conversation again, so that a recompute reads its votes with one index scan.
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    choice = models.SmallIntegerField(choices=Choice.choices)
    voted_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "statement"], name="one_vote_a_statement"
            ),
            models.CheckConstraint(name="vote_choice_known", condition=Q(choice__in=[1, -1, 0])),
        ]
        indexes = [models.Index(fields=["conversation", "id"], name="vote_conversation_idx")]

    def __str__(self) -> str:
        return f"{self.get_choice_display()} on statement {self.statement_id}"


class OpinionResult(models.Model):
    """The last opinion map of a conversation, as the recompute job stored it."""

    conversation = models.OneToOneField(
        Conversation, on_delete=models.CASCADE, related_name="result"
    )
    computed_at = models.DateTimeField()
    vote_count = models.PositiveIntegerField(help_text="How many votes it was computed from.")
    participant_count = models.PositiveIntegerField(default=0)
    # Groups, their representative statements and every statement's figures, the map's extent
    # and the streak of a challenging number of groups. Each participant's group is kept on the
    # participant (Participant.group), their place on the map in OpinionPlaces.
    figures = models.JSONField(default=dict)
    svg = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Opinion map of {self.conversation_id}"


class OpinionPlaces(models.Model):
    """Where the last recompute put each participant on the map, so the report can mark "You"
    on the stored map without drawing it again. One JSON value written once per recompute
    (updating 10,000 participant rows took seconds); a page reads one person's place with a
    key lookup. Kept apart from OpinionResult so that reading the figures never loads it."""

    conversation = models.OneToOneField(
        Conversation, on_delete=models.CASCADE, related_name="places"
    )
    # "p" and the participant number -> [x, y] in map coordinates. (The "p" stops a key
    # lookup from reading a bare number as an index into a list.)
    places = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"Map places in {self.conversation_id}"
