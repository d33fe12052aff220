"""Discover: sources we listen to, the items they bring in, the topics those items form, and
the batches of background work that turn raw items into public, redacted statements.

What is public: an item's redacted text, its source's name and kind, its place (region or ICB),
its date, sentiment and topic; a visitor's "Tell us" message only once a curator has published
it. What is never public: the raw text and where words were taken out of it (curators can see
these, to put back a word taken out by mistake), the place as typed (it can be a full
postcode), who sent a "Tell us" message, and any source's secrets.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class SourceKind(models.TextChoices):
    TELL_US = "tell_us", "Tell us form on this site"
    UPLOAD = "upload", "Notes from an event (spreadsheet upload)"
    RSS = "rss", "News or blog feed (RSS or Atom)"
    MASTODON = "mastodon", "Mastodon hashtag"
    BLUESKY = "bluesky", "Bluesky search"
    IMAP = "imap", "E-mail inbox"
    JSON_FEED = "json_feed", "JSON feed"

    @classmethod
    def polled(cls) -> set[str]:
        """Kinds we fetch from on a schedule (the others are sent to us)."""
        return {cls.RSS, cls.MASTODON, cls.BLUESKY, cls.IMAP, cls.JSON_FEED}

    @classmethod
    def links_are_public(cls) -> set[str]:
        """Kinds whose links we show. Links to social media posts name the person who wrote
        them, so we never show those; feeds are published by organisations."""
        return {cls.RSS, cls.JSON_FEED}


class Source(models.Model):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=SourceKind.choices)
    organisation = models.ForeignKey(
        "core.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="discover_sources",
        help_text="The organisation that runs this channel or hosted the event, if any.",
    )
    group_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="A community or group the items come from, when it is not an organisation.",
    )
    config = models.JSONField(default=dict, blank=True)
    secret = models.TextField(blank=True, help_text="Encrypted passwords and tokens.")
    region = models.ForeignKey(
        "core.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    icb = models.ForeignKey(
        "core.Icb", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    active = models.BooleanField(default=True)
    poll_every_minutes = models.PositiveIntegerField(default=60)
    next_poll_at = models.DateTimeField(null=True, blank=True)
    cursor = models.TextField(blank=True)
    failures = models.PositiveIntegerField(default=0)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_polled(self) -> bool:
        return self.kind in SourceKind.polled()

    @property
    def network_name(self) -> str:
        if self.organisation_id:
            return self.organisation.name
        return self.group_name


class Sentiment(models.TextChoices):
    POSITIVE = "positive", "Positive"
    NEUTRAL = "neutral", "Neutral or mixed"
    NEGATIVE = "negative", "Negative"


class Review(models.TextChoices):
    """A person's check before an item is public. Only visitors' "Tell us" messages wait for
    one; everything else is public once redacted (``NOT_NEEDED``)."""

    NOT_NEEDED = "", "No check needed"
    WAITING = "waiting", "Waiting for a curator"
    PUBLISHED = "published", "Published by a curator"
    REJECTED = "rejected", "Not published"

    @classmethod
    def shown(cls) -> list[str]:
        return [cls.NOT_NEEDED, cls.PUBLISHED]


class ItemQuerySet(models.QuerySet):
    def public(self) -> ItemQuerySet:
        """Processed, not hidden, not waiting for a curator's check or turned down, not folded
        into another item as a duplicate."""
        return self.filter(
            processed_at__isnull=False,
            hidden_at__isnull=True,
            duplicate_of__isnull=True,
            review__in=Review.shown(),
        )

    def counted(self) -> ItemQuerySet:
        """Every time something was said: public statements and the duplicates merged into
        them, each at its own date and place. Figures count these."""
        return self.filter(
            processed_at__isnull=False,
            hidden_at__isnull=True,
            review__in=Review.shown(),
        ).filter(Q(duplicate_of__isnull=True) | Q(duplicate_of__hidden_at__isnull=True))

    def waiting(self) -> ItemQuerySet:
        return self.filter(processed_at__isnull=True)

    def to_review(self) -> ItemQuerySet:
        """Redacted visitors' messages waiting for a curator to publish or turn down."""
        return self.filter(review=Review.WAITING, processed_at__isnull=False)


class Item(models.Model):
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="items")
    original_id = models.CharField(max_length=500)
    said_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    url = models.URLField(max_length=500, blank=True)
    # Private: as it arrived. Never shown to anyone outside the pipeline.
    raw_text = models.TextField()
    place_text = models.CharField(max_length=200, blank=True)
    group_name = models.CharField(max_length=200, blank=True)
    # The question it answers, when its source gives one per item (a column of an uploaded
    # file); otherwise the source's question, if any, applies (pipeline.question_asked).
    # Public: it is the organisation's question, not what a person wrote.
    question = models.CharField(max_length=300, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="discover_items",
        help_text="Who typed it in on this site (Tell us form or upload). Never shown.",
    )
    # Public once processed.
    text = models.TextField(blank=True)
    redactions = models.JSONField(default=dict, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    exact_key = models.CharField(max_length=64, blank=True, db_index=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    weight = models.PositiveIntegerField(default=1, help_text="1 plus the duplicates merged in.")
    embedding = models.BinaryField(null=True, blank=True)
    sentiment = models.CharField(max_length=10, choices=Sentiment.choices, blank=True)
    sentiment_score = models.FloatField(null=True, blank=True)
    topic = models.ForeignKey(
        "discover.Topic", null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )
    topic_similarity = models.FloatField(null=True, blank=True)
    region = models.ForeignKey(
        "core.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    icb = models.ForeignKey(
        "core.Icb", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=500, blank=True)
    # A curator's check (visitors' "Tell us" messages only, see Review).
    review = models.CharField(max_length=10, choices=Review.choices, blank=True, default="")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # Private, like raw_text: where redaction took words out of raw_text, as
    # [start, end, kind] rows, and the ones a curator put back (curators only, never exported).
    redacted_spans = models.JSONField(default=list, blank=True)
    restored_spans = models.JSONField(default=list, blank=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ["-said_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "original_id"], name="discover_item_once_per_source"
            )
        ]
        indexes = [
            models.Index(fields=["topic", "said_at"], name="discover_item_topic_said"),
            # The statements list and a source's page: newest first, by key.
            models.Index(fields=["-said_at", "-id"], name="discover_item_said_id"),
            models.Index(fields=["source", "-said_at", "-id"], name="discover_item_source_said"),
            # A topic's representative statements.
            models.Index(
                fields=["topic", "-topic_similarity", "-weight", "id"],
                name="discover_item_topic_near",
            ),
            # The curators' queue of visitors' messages, oldest first.
            models.Index(fields=["review", "id"], name="discover_item_review"),
        ]

    def __str__(self) -> str:
        return f"{self.source}: {self.original_id}"

    @property
    def when(self):
        return self.said_at or self.received_at

    @property
    def public_url(self) -> str:
        return self.url if self.source.kind in SourceKind.links_are_public() else ""

    @property
    def question_answered(self) -> str | None:
        """The question this answers: its own, else the one its source asked (`question` in
        the source's settings, such as an event's prompt), else None. Public words, and what
        its feeling is read by (pipeline.question_asked)."""
        return question_answered(self.question, self.source.config)


def question_answered(own: str | None, source_config) -> str | None:
    """An item's own question, else its source's (`question` in the source's settings), else
    None: what Item.question_answered gives, from the two stored values."""
    own = (own or "").strip()
    if own:
        return own
    asked = source_config.get("question") if isinstance(source_config, dict) else None
    return (asked.strip() or None) if isinstance(asked, str) else None


class TopicQuerySet(models.QuerySet):
    def live(self) -> TopicQuerySet:
        """Topics that exist now: not merged into another, not retired."""
        return self.filter(merged_into__isnull=True, retired_at__isnull=True)

    def public(self) -> TopicQuerySet:
        return self.live().filter(hidden_at__isnull=True)


class Topic(models.Model):
    """A topic of conversation. Its identity lasts across re-clusterings: a new clustering is
    matched to the topics before it, so curators' names, merges and hiding are kept."""

    auto_name = models.CharField(max_length=200)
    curator_name = models.CharField(max_length=200, blank=True)
    words = models.JSONField(default=list, blank=True)
    typical_item = models.ForeignKey(
        Item, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    centroid = models.BinaryField(null=True, blank=True)
    item_count = models.PositiveIntegerField(default=0)
    weight = models.PositiveIntegerField(default=0, help_text="Items plus their duplicates.")
    positive_share = models.FloatField(default=0)
    neutral_share = models.FloatField(default=0)
    negative_share = models.FloatField(default=0)
    recent_count = models.PositiveIntegerField(default=0)
    expected_count = models.FloatField(default=0)
    trend_ratio = models.FloatField(default=1)
    trend_p_value = models.FloatField(default=1)
    rising = models.BooleanField(default=False)
    # Stored by the figures job for the topic's page: statements per week (oldest first) up to
    # ``figures_at``, and [region, ICB area, times said] and [source id, times said] rows.
    weekly = models.JSONField(default=list, blank=True)
    places = models.JSONField(default=list, blank=True)
    networks = models.JSONField(default=list, blank=True)
    figures_at = models.DateTimeField(null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_from"
    )
    split_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="split_into"
    )
    retired_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=500, blank=True)
    flag = models.ForeignKey(
        "gather.Flag", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["-weight", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.curator_name or self.auto_name

    def final(self) -> Topic:
        """Follow merges to the topic that holds this one's items now."""
        topic, seen = self, set()
        while topic.merged_into_id and topic.pk not in seen:
            seen.add(topic.pk)
            topic = topic.merged_into
        return topic


class BatchKind(models.TextChoices):
    POLL = "poll", "Fetch from a source"
    PROCESS = "process", "Redact, remove duplicates, score and sort new items"
    RECLUSTER = "recluster", "Find topics again from all items"
    REEMBED = "reembed", "Embed and score every statement again"


class BatchStatus(models.TextChoices):
    WAITING = "waiting", "Waiting"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    INTERRUPTED = "interrupted", "Stopped part way (its work was picked up again)"


class Batch(models.Model):
    """One unit of background work, shown on the pipeline status page."""

    kind = models.CharField(max_length=20, choices=BatchKind.choices)
    status = models.CharField(
        max_length=20, choices=BatchStatus.choices, default=BatchStatus.WAITING
    )
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="batches"
    )
    item_count = models.PositiveIntegerField(default=0)
    new_count = models.PositiveIntegerField(default=0)
    duplicate_count = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True)
    worker = models.CharField(max_length=200, blank=True, help_text="host:process id")
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "batches"
        constraints = [
            # At most one processing, re-clustering or re-embedding batch runs at a time.
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(status="running") & Q(kind__in=["process", "recluster", "reembed"]),
                name="discover_one_running_batch_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"


class FlaggedItem(models.Model):
    """A statement a curator took to Gather: the flag links back to what people said."""

    flag = models.ForeignKey("gather.Flag", on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="flagged_items")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="flagged_in")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["flag", "item"], name="discover_flagged_item_once")
        ]

    def __str__(self) -> str:
        return f"Flag {self.flag_id}: item {self.item_id}"


class PendingUpload(models.Model):
    """A spreadsheet a host has uploaded but not yet matched to our columns. Private to them;
    removed once used, or after a day."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=200)
    headers = models.JSONField(default=list)
    rows = models.JSONField(default=list)
    details = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.filename


class Period(models.TextChoices):
    """The dashboard's "When" choices, counted back from when the figures were made."""

    ALL = "", "All time"
    WEEK = "week", "Last 7 days"
    MONTH = "month", "Last month"
    QUARTER = "quarter", "Last 3 months"
    YEAR = "year", "Last year"


class Figure(models.Model):
    """The dashboard's figures, made by a background job: for each topic (or none), region (or
    none), kind of source and period, how many statements and how many times said, by feeling.
    A page adds up the few rows its filters choose, never the statements themselves."""

    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    region = models.ForeignKey(
        "core.Region", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    source_kind = models.CharField(max_length=20, choices=SourceKind.choices)
    period = models.CharField(max_length=10, choices=Period.choices, blank=True)
    statements = models.PositiveIntegerField(default=0)
    times = models.PositiveIntegerField(default=0)
    positive = models.PositiveIntegerField(default=0)
    neutral = models.PositiveIntegerField(default=0)
    negative = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["period", "region", "source_kind"], name="discover_figure_pick")
        ]

    def __str__(self) -> str:
        return f"Topic {self.topic_id}, region {self.region_id}, {self.source_kind} {self.period}"


class SourceFigure(models.Model):
    """Times said per source, region and period: how many sources a dashboard view draws on."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey(
        "core.Region", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    period = models.CharField(max_length=10, choices=Period.choices, blank=True)
    times = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["period", "region"], name="discover_sourcefig_pick")]

    def __str__(self) -> str:
        return f"Source {self.source_id}, region {self.region_id}, {self.period}"


class Snapshot(models.Model):
    """A stored answer a page reads whole (for example the network of networks), made by a
    background job."""

    name = models.CharField(max_length=50, unique=True)
    data = models.JSONField(default=dict)
    computed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name
