"""What Gather shows in public, for the open data downloads, the open API and the bulk files:
every flag as the downloads give it, and calls for views. Reads only; writes are in
``services``.

Public: a call's body, title, background, place, dates, questions, how many people answered,
the outcome the body published ("we asked, you said, we did"), and, once the call has closed,
the answers with personal details taken out, in an order that says nothing about who answered
or when (as the answers download on the call's page). Never public: who opened the call, who
answered, or when each answer came in."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterator

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from nhs_citizen.core.streaming import iterate_keyset
from nhs_citizen.gather.models import (
    CallAnswer,
    CallForViews,
    CallQuestion,
    CallSubmission,
    Comment,
    Evidence,
    Flag,
    QuestionKind,
    Referral,
    ReviewDecision,
    Roundup,
)
from nhs_citizen.gather.presenters import status_line


def public_calls() -> QuerySet[CallForViews]:
    """Every call for views (all of them are public from the moment they open), with its
    body, place, questions in order, the number of answers and the time of the newest one
    (``last_answer_at``, used only to say when the call last changed)."""
    return (
        CallForViews.objects.select_related("organisation", "region", "icb__region")
        .prefetch_related(
            Prefetch("questions", queryset=CallQuestion.objects.order_by("position", "pk"))
        )
        .annotate(answer_count=Count("submissions"), last_answer_at=Max("submissions__created_at"))
    )


def closed_at(call: CallForViews) -> datetime.datetime:
    """The moment a call closes: midnight, UK time, at the end of its last day."""
    return timezone.make_aware(
        datetime.datetime.combine(call.closes_on + datetime.timedelta(days=1), datetime.time())
    )


def calls_changed_since(
    queryset: QuerySet, since: datetime.datetime, now: datetime.datetime | None = None
) -> QuerySet:
    """Calls opened, answered (the count went up), closed (the answers became public) or
    with an outcome published since then."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    # Closed since then: ``closed_at`` (midnight after the last day) is at or after ``since``.
    day = timezone.localdate(since)
    at_midnight = since == timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
    last_day_from = day - datetime.timedelta(days=1) if at_midnight else day
    return queryset.filter(
        Q(created_at__gte=since)
        | Q(outcome_published_at__gte=since)
        | Q(closes_on__gte=last_day_from, closes_on__lt=today)
        | Exists(CallSubmission.objects.filter(call=OuterRef("pk"), created_at__gte=since))
    )


def call_changed_at(call: CallForViews, now: datetime.datetime | None = None) -> datetime.datetime:
    """When what is public about a call last changed (needs ``public_calls``' annotations):
    opened, answered, closed or its outcome published."""
    now = now or timezone.now()
    closed = closed_at(call)
    moments = [
        call.created_at,
        call.outcome_published_at,
        getattr(call, "last_answer_at", None),
        closed if closed <= now else None,
    ]
    return max(moment for moment in moments if moment is not None)


def answers_are_public(call: CallForViews, today: datetime.date | None = None) -> bool:
    """The answers are published once the call has closed, as on the call's page."""
    return not call.is_open(today)


def answer_rows(call: CallForViews) -> list[list[str]]:
    """Each person's answers as one row, in question order, with personal details taken out
    of free text, sorted by the answers themselves so the order gives away neither who
    answered nor when. Callers show them only when ``answers_are_public``."""
    from nhs_citizen.gather.services.calls import redact_personal_data

    questions = list(call.questions.order_by("position"))
    by_submission: dict[int, dict[int, str]] = {}
    answers = CallAnswer.objects.filter(submission__call=call).values_list(
        "submission_id", "question_id", "text"
    )
    for submission_id, question_id, text in answers.iterator(chunk_size=2000):
        by_submission.setdefault(submission_id, {})[question_id] = text
    # Someone who answered nothing still answered (a submission with no rows).
    for submission_id in CallSubmission.objects.filter(call=call).values_list("pk", flat=True):
        by_submission.setdefault(submission_id, {})
    rows = []
    for texts in by_submission.values():
        row = []
        for question in questions:
            text = texts.get(question.pk, "")
            if question.kind == QuestionKind.FREE_TEXT:
                text = redact_personal_data(text)
            row.append(text)
        rows.append(row)
    rows.sort()
    return rows


def _same(path: str) -> str:
    return path


def call_record(
    call: CallForViews, today: datetime.date, absolute: Callable[[str], str] = _same
) -> dict:
    """One call as the open API and the bulk files show it (needs ``public_calls``).
    ``absolute`` turns the site's paths into whole addresses, if wanted."""
    closed = answers_are_public(call, today)
    outcome = None
    if call.outcome_published_at is not None:
        outcome = {
            "we_asked": call.we_asked,
            "you_said": call.you_said,
            "we_did": call.we_did,
            "published_at": call.outcome_published_at,
            "url": absolute(reverse("tracker:call_outcome", args=[call.pk])),
        }
    return {
        "id": call.pk,
        "url": absolute(reverse("gather:call_detail", args=[call.pk])),
        "title": call.title,
        "background": call.background,
        "body": call.organisation.name,
        "body_slug": call.organisation.slug,
        "scope": call.scope,
        "place": call.place,
        "region": call.region.name if call.region_id else None,
        "icb_area": call.icb.name if call.icb_id else None,
        "opened_at": call.created_at,
        "closes_on": call.closes_on,
        "open": not closed,
        "questions": [
            {
                "position": q.position,
                "text": q.text,
                "kind": q.kind,
                "choices": list(q.choices or []),
            }
            for q in call.questions.all()
        ],
        "answers": call.answer_count,
        "answers_csv": absolute(reverse("gather:download_answers", args=[call.pk]))
        if closed
        else None,
        "outcome": outcome,
        "last_changed_at": call_changed_at(call),
    }


CALL_COLUMNS = [
    "id",
    "url",
    "title",
    "background",
    "body",
    "body_slug",
    "scope",
    "place",
    "region",
    "icb_area",
    "opened_at",
    "closes_on",
    "open",
    "questions",
    "answers",
    "answers_csv",
    "outcome",
    "last_changed_at",
]
CALL_ANSWER_COLUMNS = ["call_id", "answers"]


def call_records(today: datetime.date | None = None) -> Iterator[dict]:
    """Every call for views, oldest first, read in keyset chunks (the bulk files)."""
    today = today or timezone.localdate()
    for call in iterate_keyset(public_calls(), chunk_size=500):
        yield call_record(call, today)


def call_answer_records(today: datetime.date | None = None) -> Iterator[dict]:
    """The answers to every closed call, one record per person who answered (``answers`` in
    question order), calls oldest first and each call's answers sorted by what they say."""
    today = today or timezone.localdate()
    closed = CallForViews.objects.filter(closes_on__lt=today).only("pk", "closes_on")
    for call in iterate_keyset(closed, chunk_size=500):
        for row in answer_rows(call):
            yield {"call_id": call.pk, "answers": row}


# Flags, as the open data downloads and the nightly files give them ------------------------------


def _flag_record(flag) -> dict:
    if flag.is_hidden:
        return {
            "id": flag.pk,
            "hidden": True,
            "hidden_reason": flag.hidden_reason,
            "status": flag.status,
        }
    words, _ = status_line(flag)
    return {
        "id": flag.pk,
        "url": flag.get_absolute_url(),
        "title": flag.title,
        "what_should_change": flag.what_should_change,
        "why": flag.why,
        "topic": flag.topic.name,
        "scope": flag.scope,
        "place": flag.place,
        "region": flag.region.name if flag.region_id else None,
        "icb_area": flag.icb.name if flag.icb_id else None,
        "raised_by": _public_raiser(flag),
        "raised_for": flag.raised_for.name if flag.raised_for_id else None,
        "raised_at": flag.created_at.isoformat(),
        "status": flag.status,
        "status_line": words,
        "supporters": flag.support_count,
        "merged_into": flag.merged_into_id,
        "review_decisions": [
            {
                "decision": d.decision,
                "is_national": d.is_national,
                "within_remit": d.within_remit,
                "reasons": d.reasons,
                "decided_at": d.created_at.isoformat(),
            }
            for d in flag.review_decisions.all()
        ],
        "referrals": [
            {
                "organisation": r.organisation.name,
                "referred_at": r.referred_at.isoformat(),
                "due_date": r.due_date.isoformat(),
                "status": r.status,
                "overdue": r.is_overdue(),
                "response": (
                    {
                        "outcome": r.response.outcome,
                        "reasons": r.response.reasons,
                        "responsible_organisation": r.response.responsible_organisation.name
                        if r.response.responsible_organisation_id
                        else None,
                        "answered_at": r.response.created_at.isoformat(),
                        "on_time": r.response.on_time,
                    }
                    if hasattr(r, "response")
                    else None
                ),
            }
            for r in flag.referrals.all()
        ],
    }


CHUNK = 500


def _batches(items, size: int):
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def flag_records() -> Iterator[dict]:
    """Every flag in order of its number, read by key a chunk at a time, with each chunk's
    decisions and referrals in one query each: memory and queries per flag stay the same at
    any size. (Set on each flag by hand: Django's prefetch costs more than the queries here.)"""
    from nhs_citizen.assisted.public import with_public_raiser

    flags = (
        with_public_raiser(Flag.objects.all())
        .select_related("topic", "region", "icb__region", "raised_by", "raised_for")
        .defer("embedding")
    )
    for chunk in _batches(iterate_keyset(flags, chunk_size=CHUNK), CHUNK):
        ids = [flag.pk for flag in chunk]
        referrals: dict[int, list] = defaultdict(list)
        for referral in (
            Referral.objects.filter(flag_id__in=ids)
            .select_related("organisation", "response__responsible_organisation")
            .order_by("referred_at", "pk")
        ):
            referrals[referral.flag_id].append(referral)
        decisions: dict[int, list] = defaultdict(list)
        for decision in ReviewDecision.objects.filter(flag_id__in=ids).order_by("created_at", "pk"):
            decisions[decision.flag_id].append(decision)
        for flag in chunk:
            flag._prefetched_objects_cache = {
                "referrals": referrals[flag.pk],
                "review_decisions": decisions[flag.pk],
            }
            yield _flag_record(flag)


def _public_raiser(flag) -> str:
    # Helpers' records live in the assisted app, which builds on gather: imported when used.
    from nhs_citizen.assisted.public import public_raiser

    return public_raiser(flag)


# A flag's discussion, evidence and roundup, as the flag page and the API show them: a hidden
# comment or piece of evidence keeps only the moderator's reason, and a hidden flag shows none.

COMMENT_COLUMNS = [
    "id",
    "flag_id",
    "parent_id",
    "hidden",
    "hidden_reason",
    "author",
    "stance",
    "text",
    "posted_at",
]
EVIDENCE_COLUMNS = [
    "id",
    "flag_id",
    "hidden",
    "hidden_reason",
    "title",
    "url",
    "file_type",
    "file_size",
    "added_at",
]
ROUNDUP_COLUMNS = ["flag_id", "change_needed", "action", "who_should_act", "updated_at"]


def comment_record(comment: Comment) -> dict:
    """A comment with the name its author chose to show; a hidden one with only the reason."""
    common = {
        "id": comment.pk,
        "parent_id": comment.parent_id,
        "hidden": comment.is_hidden,
        "posted_at": comment.created_at,
    }
    if comment.is_hidden:
        return {
            **common,
            "hidden_reason": comment.hidden_reason,
            "author": None,
            "stance": None,
            "text": None,
        }
    return {
        **common,
        "hidden_reason": None,
        "author": comment.author.public_name,
        "stance": comment.stance,
        "text": comment.body,
    }


def evidence_record(item: Evidence, absolute: Callable[[str], str]) -> dict:
    """A piece of evidence: its link, or the address of the uploaded file (made whole by
    ``absolute``); a hidden one with only the reason. Never who added it."""
    common = {"id": item.pk, "hidden": item.is_hidden, "added_at": item.created_at}
    if item.is_hidden:
        return {
            **common,
            "hidden_reason": item.hidden_reason,
            "title": None,
            "url": None,
            "file_type": None,
            "file_size": None,
        }
    if item.file:
        url = absolute(reverse("gather:evidence_file", args=[item.pk]))
        file_type, file_size = item.file_type, item.file_size
    else:
        url, file_type, file_size = item.url, None, None
    return {
        **common,
        "hidden_reason": None,
        "title": item.title,
        "url": url,
        "file_type": file_type,
        "file_size": file_size,
    }


def roundup_record(roundup: Roundup) -> dict:
    """A curator's summary, never who wrote it."""
    return {
        "change_needed": roundup.change_needed,
        "action": roundup.action,
        "who_should_act": roundup.who_should_act,
        "updated_at": roundup.updated_at,
    }


def comment_records() -> Iterator[dict]:
    """Every comment on every flag that is not hidden, by number, a chunk at a time."""
    comments = Comment.objects.filter(flag__hidden_at__isnull=True).select_related("author")
    for comment in iterate_keyset(comments, chunk_size=CHUNK):
        yield {"flag_id": comment.flag_id, **comment_record(comment)}


def evidence_records(absolute: Callable[[str], str]) -> Iterator[dict]:
    """Every piece of evidence on every flag that is not hidden, by number."""
    evidence = Evidence.objects.filter(flag__hidden_at__isnull=True)
    for item in iterate_keyset(evidence, chunk_size=CHUNK):
        yield {"flag_id": item.flag_id, **evidence_record(item, absolute)}


def roundup_records() -> Iterator[dict]:
    """Every roundup of a flag that is not hidden, by number."""
    roundups = Roundup.objects.filter(flag__hidden_at__isnull=True)
    for roundup in iterate_keyset(roundups, chunk_size=CHUNK):
        yield {"flag_id": roundup.flag_id, **roundup_record(roundup)}
