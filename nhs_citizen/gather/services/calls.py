"""Calls for views: an NHS or public body asks its questions, people answer once, and after the
call closes the body publishes "We asked, you said, we did". The answers are open data, with
personal details taken out."""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from nhs_citizen.core.dates import when_words
from nhs_citizen.core.models import Membership, Organisation
from nhs_citizen.core.services.audit import record_audit_entry
from nhs_citizen.gather.models import (
    CallAnswer,
    CallForViews,
    CallQuestion,
    CallSubmission,
    QuestionKind,
)
from nhs_citizen.gather.services.flags import Place, check_place
from nhs_citizen.notifications.audiences import notify_call_opened

MAX_QUESTIONS = 10
MIN_OPTIONS = 2
MAX_OPTIONS = 10
MAX_QUESTION_LENGTH = 300
MAX_OPTION_LENGTH = 200
MAX_TITLE_LENGTH = 150
MAX_TEXT_LENGTH = 5000


def _one_year_after(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


# Who answers for which body -----------------------------------------------------------------


def organisations_for_responder(user) -> QuerySet[Organisation]:
    """The bodies this person is a confirmed responder for."""
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    organisation_ids = (
        Membership.objects.verified()
        .filter(user=user, role=Membership.Role.RESPONDER)
        .values("organisation_id")
    )
    return Organisation.objects.filter(pk__in=organisation_ids).order_by("name")


def is_responder_for(user, organisation: Organisation) -> bool:
    return organisations_for_responder(user).filter(pk=organisation.pk).exists()


# Opening a call ------------------------------------------------------------------------------


def clean_question(
    number: int, text: str, kind: str, options: Sequence[str]
) -> tuple[str, str, list[str]]:
    """One question, tidied, or the problems with it keyed "text", "kind" and "choices"."""
    text = " ".join((text or "").split())
    cleaned_options = [" ".join((option or "").split()) for option in options or []]
    cleaned_options = [option for option in cleaned_options if option]
    errors: dict[str, str] = {}
    if not text:
        errors["text"] = f"Enter question {number}"
    elif len(text) > MAX_QUESTION_LENGTH:
        errors["text"] = f"Question {number} must be {MAX_QUESTION_LENGTH} characters or fewer"
    if kind not in QuestionKind.values:
        errors["kind"] = f"Select how people answer question {number}"
    elif kind == QuestionKind.FREE_TEXT:
        if cleaned_options:
            errors["kind"] = (
                f"Question {number} has options. Select “{QuestionKind.CHOICE.label}”, "
                "or delete the options"
            )
        cleaned_options = []
    else:
        folded = [option.casefold() for option in cleaned_options]
        if len(cleaned_options) < MIN_OPTIONS:
            errors["choices"] = (
                f"Enter at least {MIN_OPTIONS} options for question {number}, each on its own line"
            )
        elif len(cleaned_options) > MAX_OPTIONS:
            errors["choices"] = f"Enter no more than {MAX_OPTIONS} options for question {number}"
        elif len(set(folded)) != len(folded):
            errors["choices"] = f"Each option for question {number} must be different"
        elif any(len(option) > MAX_OPTION_LENGTH for option in cleaned_options):
            errors["choices"] = (
                f"Each option for question {number} must be {MAX_OPTION_LENGTH} characters or fewer"
            )
    if errors:
        raise ValidationError(errors)
    return text, kind, cleaned_options


def check_closing_date(closes_on: datetime.date | None, today: datetime.date | None = None) -> None:
    today = today or timezone.localdate()
    if closes_on is None:
        raise ValidationError({"closes_on": "Enter the closing date"})
    if closes_on <= today:
        raise ValidationError({"closes_on": "The closing date must be in the future"})
    latest = _one_year_after(today)
    if closes_on > latest:
        raise ValidationError(
            {
                "closes_on": f"The closing date must be within a year, by {when_words(latest, show='date')} at the latest"
            }
        )


def check_open_call(
    *,
    responder,
    organisation: Organisation,
    title: str,
    background: str,
    place: Place,
    closes_on: datetime.date,
    questions: Sequence[tuple[str, str, Sequence[str]]],
) -> CallForViews:
    """Open a call for views for a body the responder answers for. Questions are
    (text, kind, options); options are only for "choose one" questions."""
    if not is_responder_for(responder, organisation):
        raise ValidationError(
            f"You can only open a call for views for an organisation you answer for. "
            f"You have not been confirmed as a responder for {organisation.name}."
        )
    title = " ".join((title or "").split())
    background = (background or "").strip()
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = "Enter a title"
    elif len(title) > MAX_TITLE_LENGTH:
        errors["title"] = f"The title must be {MAX_TITLE_LENGTH} characters or fewer"
    if not background:
        errors["background"] = "Enter the background"
    elif len(background) > MAX_TEXT_LENGTH:
        errors["background"] = "The background must be 5,000 characters or fewer"
    try:
        place = check_place(place)
    except ValidationError as error:
        errors.update({field: messages[0] for field, messages in error.message_dict.items()})
    try:
        check_closing_date(closes_on)
    except ValidationError as error:
        errors.update({field: messages[0] for field, messages in error.message_dict.items()})
    cleaned_questions = []
    if not questions:
        errors["questions"] = "Enter at least one question"
    elif len(questions) > MAX_QUESTIONS:
        errors["questions"] = f"A call for views can have up to {MAX_QUESTIONS} questions"
    else:
        for number, (text, kind, options) in enumerate(questions, start=1):
            try:
                cleaned_questions.append(clean_question(number, text, kind, options))
            except ValidationError as error:
                for part, messages in error.message_dict.items():
                    errors[f"question_{number}_{part}"] = messages[0]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        call = CallForViews.objects.create(
            organisation=organisation,
            opened_by=responder,
            title=title,
            background=background,
            scope=place.scope,
            region=place.region,
            icb=place.icb,
            place_name=place.place_name,
            closes_on=closes_on,
        )
        CallQuestion.objects.bulk_create(
            CallQuestion(call=call, position=position, text=text, kind=kind, choices=options)
            for position, (text, kind, options) in enumerate(cleaned_questions, start=1)
        )
        record_audit_entry(
            actor=responder,
            action="gather.call_opened",
            summary=f"{organisation.name} opened the call for views “{call.title}”, closing on {when_words(closes_on, show='date')}",
            target=call,
            data={
                "organisation_id": organisation.pk,
                "closes_on": closes_on.isoformat(),
                "questions": len(cleaned_questions),
            },
            public=True,
        )
        notify_call_opened(call)
    return call


# Answering -----------------------------------------------------------------------------------


def answer_field_name(question: CallQuestion) -> str:
    """The name of the answer form's field for this question, and the key of its errors."""
    return f"question_{question.pk}"


def check_answer_call(*, user, call: CallForViews, answers: dict[int, str]) -> CallSubmission:
    """Record one person's answers, keyed by question id. Each person answers once."""
    if not getattr(user, "is_authenticated", False):
        raise ValidationError("Sign in to answer this call for views.")
    if not call.is_open():
        raise ValidationError(
            f"This call for views closed on {when_words(call.closes_on, show='date')}. You can no longer answer it."
        )
    if CallSubmission.objects.filter(call=call, user=user).exists():
        raise ValidationError(
            "You have already answered this call for views. Each person can answer once."
        )
    cleaned = clean_call_answers(call, answers)
    try:
        with transaction.atomic():
            submission = save_call_answers(call, cleaned, user=user)
            # Who answered is private; only the fact that someone did is logged.
            record_audit_entry(
                actor=user,
                action="gather.call_answered",
                summary=f"Answered the call for views “{call.title}”",
                target=call,
            )
    except IntegrityError as error:
        # Two clicks on the button at once: the second one finds the first one's answers.
        raise ValidationError(
            "You have already answered this call for views. Each person can answer once."
        ) from error
    return submission


def save_call_answers(call: CallForViews, cleaned, *, user=None) -> CallSubmission:
    """Store checked answers (from ``clean_call_answers``). ``user`` is None for answers a
    community helper typed in for someone who is offline (the assisted app keeps who)."""
    submission = CallSubmission.objects.create(call=call, user=user)
    CallAnswer.objects.bulk_create(
        CallAnswer(submission=submission, question=question, text=value)
        for question, value in cleaned
    )
    return submission


def clean_call_answers(
    call: CallForViews, answers: dict[int, str]
) -> list[tuple[CallQuestion, str]]:
    """Check answers keyed by question id: one for each question, a choice from its options."""
    questions = list(call.questions.order_by("position"))
    if set(answers) - {question.pk for question in questions}:
        raise ValidationError(
            "Your answers do not match the questions in this call for views. Try again."
        )
    errors: dict[str, str] = {}
    cleaned: list[tuple[CallQuestion, str]] = []
    for number, question in enumerate(questions, start=1):
        value = (answers.get(question.pk) or "").strip()
        key = answer_field_name(question)
        if question.kind == QuestionKind.CHOICE:
            if not value:
                errors[key] = f"Select an answer to question {number}"
            elif value not in question.choices:
                errors[key] = f"Select one of the options for question {number}"
        elif not value:
            errors[key] = f"Enter your answer to question {number}"
        elif len(value) > MAX_TEXT_LENGTH:
            errors[key] = f"Your answer to question {number} must be 5,000 characters or fewer"
        cleaned.append((question, value))
    if errors:
        raise ValidationError(errors)
    return cleaned


# "We asked, you said, we did" ----------------------------------------------------------------


def check_publish_outcome(
    *, responder, call: CallForViews, we_asked: str, you_said: str, we_did: str
) -> CallForViews:
    """After the call closes, the body says what it asked, what people said and what it did.
    Everyone who answered is told."""
    if not is_responder_for(responder, call.organisation):
        raise ValidationError(
            f"Only responders for {call.organisation.name} can publish what it did about this call for views."
        )
    if call.is_open():
        raise ValidationError(
            f"This call for views is open until {when_words(call.closes_on, show='date')}. "
            "You can publish what you did after it closes."
        )
    texts = {
        "we_asked": (we_asked or "").strip(),
        "you_said": (you_said or "").strip(),
        "we_did": (we_did or "").strip(),
    }
    missing = {
        "we_asked": "Enter what you asked",
        "you_said": "Enter what people said",
        "we_did": "Enter what you did",
    }
    errors = {}
    for field, text in texts.items():
        if not text:
            errors[field] = missing[field]
        elif len(text) > MAX_TEXT_LENGTH:
            errors[field] = "This must be 5,000 characters or fewer"
    if errors:
        raise ValidationError(errors)
    from nhs_citizen.notifications.services import notify_audience

    with transaction.atomic():
        call = (
            CallForViews.objects.select_for_update().select_related("organisation").get(pk=call.pk)
        )
        if call.outcome_published_at is not None:
            raise ValidationError("The outcome of this call for views has already been published.")
        call.we_asked = texts["we_asked"]
        call.you_said = texts["you_said"]
        call.we_did = texts["we_did"]
        call.outcome_published_at = timezone.now()
        call.save(update_fields=["we_asked", "you_said", "we_did", "outcome_published_at"])
        record_audit_entry(
            actor=responder,
            action="gather.call_outcome_published",
            summary=f"{call.organisation.name} published what it did about the call for views “{call.title}”",
            target=call,
            data={"organisation_id": call.organisation_id},
            public=True,
        )
        link = reverse("gather:call_detail", args=[call.pk])
        notify_audience(
            "nhs_citizen.gather.services.notify.call_answerers_audience",
            subject=f"{call.organisation.name} has said what it did",
            body=(
                f"You answered the call for views “{call.title}”. {call.organisation.name} "
                "has published what it asked, what people said and what it did."
            ),
            link=link,
            call_id=call.pk,
            kind="calls_for_views",
        )
    return call


# Open data -----------------------------------------------------------------------------------

_EMAIL = re.compile(r"[\w.%+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# 10 digits, alone or as 3 3 4: checked against the NHS number check digit before it is removed.
_NHS_NUMBER = re.compile(r"(?<![\w+])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?!\w)")
# UK numbers: 0 and 9 or 10 more digits, or +44 / 0044 (and an optional "(0)") and 9 or 10
# digits, with spaces, dots, dashes or brackets between them.
_PHONE = re.compile(
    r"""
    (?<![\w+])
    (?: (?:\+|\b00)44 [\s.-]* (?:\(0\)[\s.-]*)? | \(?0 )
    \d (?: [\s.()-]{0,2} \d ){8,9}
    (?!\w)
    """,
    re.VERBOSE,
)
# UK postcodes, with or without the space and in any case: SW1A 1AA, m1 1ae, B338TH.
_POSTCODE = re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?\d[A-Z]{2}\b", re.IGNORECASE)


def _is_nhs_number(digits: str) -> bool:
    total = sum(int(digit) * (10 - position) for position, digit in enumerate(digits[:9]))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def _replace_nhs_number(match: re.Match) -> str:
    return "[NHS number]" if _is_nhs_number("".join(match.groups())) else match.group(0)


def redact_personal_data(text: str) -> str:
    """Replace e-mail addresses, NHS numbers, UK phone numbers and UK postcodes with a label,
    so free text can be published."""
    text = _EMAIL.sub("[email]", text)
    text = _NHS_NUMBER.sub(_replace_nhs_number, text)
    text = _PHONE.sub("[phone number]", text)
    return _POSTCODE.sub("[postcode]", text)


def _safe_cell(value: str) -> str:
    # A spreadsheet would run a cell that starts like a formula.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def answers_csv(call: CallForViews) -> str:
    """Every submission as one row, one column per question. Nothing says who answered or
    when: rows are sorted by their answers, so their order gives nothing away."""
    from nhs_citizen.gather.queries import answer_rows

    questions = list(call.questions.order_by("position"))
    rows = sorted([_safe_cell(text) for text in row] for row in answer_rows(call))
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(
        [
            _safe_cell(f"Question {number}: {question.text}")
            for number, question in enumerate(questions, start=1)
        ]
    )
    writer.writerows(rows)
    return output.getvalue()
