"""Gather: flags people raise, who supports and follows them, the discussion, the review, the
referral to the body that must answer, its public response, and calls for views."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Scope(models.TextChoices):
    NATIONAL = "national", "All of England"
    REGION = "region", "An NHS region"
    ICB = "icb", "A local NHS area (ICB)"
    LOCAL = "local", "A town, city or place"


class FlagStatus(models.TextChoices):
    OPEN = "open", "Gathering support"
    IN_REVIEW = "in_review", "In review"
    SHORTLISTED = "shortlisted", "Shortlisted for the Assembly"
    REFERRED = "referred", "Waiting for an answer"
    ANSWERED = "answered", "Answered"
    CLOSED = "closed", "Closed"
    MERGED = "merged", "Merged"


class PlaceMixin(models.Model):
    scope = models.CharField(max_length=20, choices=Scope.choices, default=Scope.NATIONAL)
    region = models.ForeignKey(
        "core.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    icb = models.ForeignKey(
        "core.Icb", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    place_name = models.CharField(max_length=100, blank=True)

    class Meta:
        abstract = True

    @property
    def place(self) -> str:
        if self.scope == Scope.LOCAL and self.place_name:
            where = self.place_name
            if self.icb_id:
                where += f", {self.icb.name}"
            return where
        if self.scope == Scope.ICB and self.icb_id:
            return f"{self.icb.name} ({self.icb.region.name})"
        if self.scope == Scope.REGION and self.region_id:
            return self.region.name
        return "All of England"


class FlagQuerySet(models.QuerySet):
    def listed(self) -> FlagQuerySet:
        """Flags that appear in lists: not merged into another. Hidden ones keep a placeholder."""
        return self.exclude(status=FlagStatus.MERGED)

    def visible(self) -> FlagQuerySet:
        return self.listed().filter(hidden_at__isnull=True)

    def for_lists(self) -> FlagQuerySet:
        return self.select_related("topic", "region", "icb__region", "raised_for")


class Flag(PlaceMixin):
    title = models.CharField(max_length=120)
    what_should_change = models.TextField(max_length=2000)
    why = models.TextField(max_length=4000)
    topic = models.ForeignKey("core.Topic", on_delete=models.PROTECT, related_name="flags")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="flags_raised"
    )
    raised_for = models.ForeignKey(
        "core.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="flags_raised",
    )
    status = models.CharField(
        max_length=20, choices=FlagStatus.choices, default=FlagStatus.OPEN, db_index=True
    )
    support_count = models.PositiveIntegerField(default=0, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_activity_at = models.DateTimeField(default=timezone.now, db_index=True)
    threshold_reached_at = models.DateTimeField(null=True, blank=True)
    put_forward_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_reason = models.TextField(blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_flags"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=300, blank=True)
    # Sentence embedding of title + text, for "similar flags" (float32 bytes). Made by a
    # background job after the flag is raised (see services/similar.py), never in a request.
    embedding = models.BinaryField(null=True, blank=True, editable=False)
    # When the job last found this flag's similar flags (None: not yet).
    similar_found_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Comments not hidden, kept by the comment, merge and moderation paths (lists show it).
    comment_count = models.PositiveIntegerField(default=0, editable=False)

    objects = FlagQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "-support_count"]),
            # One index for each order of the Gather list (keyset pagination walks them).
            models.Index(
                fields=["-support_count", "-last_activity_at", "-id"],
                name="gather_flag_supported_idx",
            ),
            models.Index(fields=["-created_at", "-id"], name="gather_flag_newest_idx"),
            models.Index(fields=["-last_activity_at", "-id"], name="gather_flag_active_idx"),
            # The review panel's queue, a page at a time.
            models.Index(fields=["status", "id"], name="gather_flag_status_id_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("gather:flag_detail", args=[self.pk])

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Support(models.Model):
    flag = models.ForeignKey(Flag, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supports"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["flag", "user"], name="one_support_per_person")
        ]
        # A page of a flag's supporters, newest first, whatever their number.
        indexes = [models.Index(fields=["flag", "-id"], name="gather_support_flag_id_idx")]

    def __str__(self) -> str:
        return f"Support for flag {self.flag_id}"


class SimilarFlag(models.Model):
    """One of a flag's most similar flags, found by a background job. Pages only read these."""

    flag = models.ForeignKey(Flag, on_delete=models.CASCADE, related_name="similar_links")
    similar = models.ForeignKey(Flag, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()

    class Meta:
        ordering = ["-score", "similar_id"]
        constraints = [
            models.UniqueConstraint(fields=["flag", "similar"], name="one_similar_link_per_pair")
        ]
        indexes = [models.Index(fields=["flag", "-score"], name="gather_similar_flag_score_idx")]

    def __str__(self) -> str:
        return f"Flag {self.similar_id} is like flag {self.flag_id}"


class FlagPeople(models.Model):
    """ "People who care about this": people who support other flags on the same topic or in
    the same area, found by a background job (a scan of supports too big for a request)."""

    flag = models.OneToOneField(
        Flag, on_delete=models.CASCADE, primary_key=True, related_name="people"
    )
    same_topic = models.JSONField(default=list)  # user ids, in the order to show them
    same_area = models.JSONField(default=list)
    found_at = models.DateTimeField(null=True, blank=True)
    asked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"People who care about flag {self.flag_id}"


class DraftSearch(models.Model):
    """ "Flags like yours" for a flag someone is still writing: the job stores what it found
    here, and the page that waits for it reads it."""

    key = models.CharField(max_length=32, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=120)
    what_should_change = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    found_at = models.DateTimeField(null=True, blank=True)
    flag_ids = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"Search for flags like “{self.title}”"


class Follow(models.Model):
    flag = models.ForeignKey(Flag, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["flag", "user"], name="one_follow_per_person")
        ]

    def __str__(self) -> str:
        return f"Follow of flag {self.flag_id}"


class Stance(models.TextChoices):
    COMMENT = "comment", "A comment"
    FOR = "for", "A point for"
    AGAINST = "against", "A point against"


class Comment(models.Model):
    flag = models.ForeignKey(Flag, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    stance = models.CharField(max_length=10, choices=Stance.choices, default=Stance.COMMENT)
    body = models.TextField(max_length=5000)
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        # The flag page's discussion, a page of threads (comments that are not replies) at a time.
        indexes = [
            models.Index(
                fields=["flag", "created_at", "id"],
                condition=models.Q(parent__isnull=True),
                name="gather_comment_thread_idx",
            )
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} on flag {self.flag_id}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Evidence(models.Model):
    flag = models.ForeignKey(Flag, on_delete=models.CASCADE, related_name="evidence")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=150)
    url = models.URLField(blank=True, max_length=500)
    file = models.FileField(upload_to="evidence/%Y/%m/", blank=True)
    file_type = models.CharField(max_length=50, blank=True)
    file_size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return self.title

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Roundup(models.Model):
    """A curator's summary at the top of a flag: the change needed, the action, who should act."""

    flag = models.OneToOneField(Flag, on_delete=models.CASCADE, related_name="roundup")
    change_needed = models.TextField(max_length=1000)
    action = models.TextField(max_length=1000)
    who_should_act = models.CharField(max_length=200)
    organisation = models.ForeignKey(
        "core.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Roundup of flag {self.flag_id}"


class Decision(models.TextChoices):
    SHORTLIST = "shortlist", "Shortlist it for the Assembly"
    REFER = "refer", "Refer it to the body responsible"
    CLOSE = "close", "Close it"


class ReviewDecision(models.Model):
    flag = models.ForeignKey(Flag, on_delete=models.CASCADE, related_name="review_decisions")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(max_length=20, choices=Decision.choices)
    is_national = models.BooleanField()
    within_remit = models.BooleanField(help_text="Within NHS England's remit.")
    reasons = models.TextField(max_length=3000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} (flag {self.flag_id})"


class ReferralStatus(models.TextChoices):
    AWAITING = "awaiting", "Waiting for an answer"
    ANSWERED = "answered", "Answered"
    PASSED_ON = "passed_on", "Passed to another body"


class ReferralQuerySet(models.QuerySet):
    def overdue(self, today=None) -> ReferralQuerySet:
        today = today or timezone.localdate()
        return self.filter(status=ReferralStatus.AWAITING, due_date__lt=today)


class Referral(models.Model):
    flag = models.ForeignKey(Flag, on_delete=models.CASCADE, related_name="referrals")
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="referrals"
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    referred_at = models.DateTimeField(default=timezone.now)
    due_date = models.DateField()
    status = models.CharField(
        max_length=20,
        choices=ReferralStatus.choices,
        default=ReferralStatus.AWAITING,
        db_index=True,
    )
    passed_on_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-referred_at", "-pk"]
        indexes = [
            # A body's flags, newest first (tracker and culture body pages).
            models.Index(
                fields=["organisation", "-referred_at", "-id"], name="referral_org_newest"
            ),
            # A responder's queue, a page at a time.
            models.Index(
                fields=["organisation", "status", "due_date", "id"], name="referral_org_queue"
            ),
        ]

    def __str__(self) -> str:
        return f"Flag {self.flag_id} referred to {self.organisation}"

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status == ReferralStatus.AWAITING and self.due_date < today


class Outcome(models.TextChoices):
    WILL_ACT = "will_act", "We will act"
    IN_PART = "in_part", "We will act in part"
    WILL_NOT_ACT = "will_not_act", "We will not act"
    NOT_OURS = "not_ours", "This is not ours to answer"


class Response(models.Model):
    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, related_name="response")
    responder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    reasons = models.TextField(max_length=5000)
    responsible_organisation = models.ForeignKey(
        "core.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    on_time = models.BooleanField()

    class Meta:
        indexes = [
            # Answers, newest first (the tracker's responses list).
            models.Index(fields=["-created_at", "-id"], name="response_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} (referral {self.referral_id})"


class CallForViews(PlaceMixin):
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="calls_for_views"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=150)
    background = models.TextField(max_length=5000)
    closes_on = models.DateField(help_text="The last day people can answer.")
    created_at = models.DateTimeField(default=timezone.now)
    we_asked = models.TextField(blank=True)
    you_said = models.TextField(blank=True)
    we_did = models.TextField(blank=True)
    outcome_published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "calls for views"
        indexes = [
            # Outcomes published, newest first (the tracker's responses list).
            models.Index(fields=["-outcome_published_at", "-id"], name="call_outcome_newest"),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, today=None) -> bool:
        return (today or timezone.localdate()) <= self.closes_on


class QuestionKind(models.TextChoices):
    FREE_TEXT = "free_text", "Free text"
    CHOICE = "choice", "Choose one"


class CallQuestion(models.Model):
    call = models.ForeignKey(CallForViews, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=QuestionKind.choices)
    choices = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["call", "position"], name="one_question_per_position")
        ]

    def __str__(self) -> str:
        return self.text


class CallSubmission(models.Model):
    call = models.ForeignKey(CallForViews, on_delete=models.CASCADE, related_name="submissions")
    # None for answers a community helper typed in for someone offline (assisted.OnBehalfRecord).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="call_submissions",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["call", "user"], name="one_submission_per_person")
        ]

    def __str__(self) -> str:
        return f"Answers to call {self.call_id}"


class CallAnswer(models.Model):
    submission = models.ForeignKey(CallSubmission, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(CallQuestion, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(max_length=5000, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "question"], name="one_answer_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"Answer to question {self.question_id}"
