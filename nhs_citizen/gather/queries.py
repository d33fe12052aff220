"""What Gather shows in public about calls for views, for the open API and the bulk files.
Reads only; writes are in ``services``.

Public: a call's body, title, background, place, dates, questions, how many people answered,
the outcome the body published ("we asked, you said, we did"), and, once the call has closed,
the answers with personal details taken out, in an order that says nothing about who answered
or when (as the answers download on the call's page). Never public: who opened the call, who
answered, or when each answer came in."""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from nhs_citizen.gather.models import (
    CallAnswer,
    CallForViews,
    CallQuestion,
    CallSubmission,
    QuestionKind,
)


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
