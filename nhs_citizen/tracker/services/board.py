"""The NHS England Board's written responses to Assembly agenda items and to Citizen Panel
reports, with their commitments; and what the people who took part say about them."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from nhs_citizen.accounts.models import Role
from nhs_citizen.assembly import timetable
from nhs_citizen.assembly.models import CycleDecision
from nhs_citizen.core.dates import when_words
from nhs_citizen.core.services.audit import record_audit_entry
from nhs_citizen.gather.services.notify import notify_flag_audience
from nhs_citizen.gather.working_days import add_working_days
from nhs_citizen.meetings.models import AgendaItem, CommissionStatus, PanelCommission, RemotePost
from nhs_citizen.panels.models import MemberStatus, PanelMember
from nhs_citizen.tracker.models import BoardOutcome, BoardResponse, Reflection, Verdict
from nhs_citizen.tracker.services.commitments import (
    BOARD,
    CommitmentDraft,
    clean_commitment,
    create_commitments,
    nhs_england,
    source_of,
)

MAX_SUMMARY = 300
MAX_REASONS = 10000
MAX_COMMITMENTS = 20
MAX_REFLECTION_COMMENT = 2000


# What is waiting for the Board ----------------------------------------------------------------


def items_awaiting_response(now=None) -> QuerySet[AgendaItem]:
    """Agenda items of Assembly Meetings that have begun, with no response yet."""
    return (
        AgendaItem.objects.filter(
            board_response__isnull=True,
            meeting__starts_at__lte=now or timezone.now(),
            # The timetable: from 00:00 UK time on the meeting's date, or its start if later.
            meeting__cycle__meeting_date__lte=timezone.localdate(now or timezone.now()),
        )
        .select_related("meeting__cycle", "entry__flag")
        .order_by("meeting__cycle__response_due", "meeting_id", "position")
    )


def response_opening(agenda_item: AgendaItem, now=None) -> timetable.Opening:
    """When the Board can respond to an agenda item: once the Assembly Meeting has begun (the
    Assembly timetable decides)."""
    meeting = agenda_item.meeting
    return timetable.opening(
        timetable.BOARD_RESPONSE, meeting.cycle, now or timezone.now(), meeting
    )


def response_not_yet(agenda_item: AgendaItem, now=None) -> str | None:
    found = response_opening(agenda_item, now)
    return None if found.is_open else found.message


def report_is_published(commission: PanelCommission) -> bool:
    return (
        commission.status == CommissionStatus.REPORTED or commission.report_published_at is not None
    )


def commissions_awaiting_response() -> QuerySet[PanelCommission]:
    """Citizen Panel commissions whose report is published, with no response yet."""
    return (
        PanelCommission.objects.filter(board_response__isnull=True)
        .filter(Q(status=CommissionStatus.REPORTED) | Q(report_published_at__isnull=False))
        .select_related("meeting__cycle")
        .order_by("report_published_at", "pk")
    )


def response_due_date(
    *, agenda_item: AgendaItem | None = None, commission: PanelCommission | None = None
) -> datetime.date:
    """An agenda item's response is due on its cycle's response date. A Citizen Panel reports
    after the Meeting, so the Board has the usual working days from the report to answer it,
    and never less time than the cycle gives."""
    if agenda_item is not None:
        return agenda_item.meeting.cycle.response_due
    cycle_due = commission.meeting.cycle.response_due
    published = commission.report_published_at
    if published is None:
        return cycle_due
    return max(
        cycle_due,
        add_working_days(
            timezone.localdate(published), settings.NHS_CITIZEN["RESPONSE_WORKING_DAYS"]
        ),
    )


# Recording a response ------------------------------------------------------------------------


def check_record_board_response(
    *,
    by,
    agenda_item: AgendaItem | None = None,
    commission: PanelCommission | None = None,
    outcome: str,
    summary: str,
    reasons: str,
    commitments: Sequence[CommitmentDraft],
) -> BoardResponse:
    """Publish the Board's written response to an agenda item or a Citizen Panel report, with
    its commitments. Commitment errors are keyed ``commitment_<n>_<field>`` (n from 1)."""
    if not (by.is_authenticated and by.has_role(Role.BOARD_MEMBER)):
        raise ValidationError("Only Board members can record the Board's responses.")
    if (agenda_item is None) == (commission is None):
        raise ValueError("Respond to one agenda item or one Citizen Panel report.")
    now = timezone.now()
    if agenda_item is not None and (wait := response_not_yet(agenda_item, now)):
        raise ValidationError(wait)
    if commission is not None and not report_is_published(commission):
        raise ValidationError(
            "The Board responds to a Citizen Panel after the panel's report is published."
        )
    summary = " ".join((summary or "").split())
    reasons = (reasons or "").strip()
    errors: dict[str, str] = {}
    if outcome not in BoardOutcome.values:
        errors["outcome"] = "Select what the Board will do"
    if not summary:
        errors["summary"] = "Enter the response in one sentence"
    elif len(summary) > MAX_SUMMARY:
        errors["summary"] = f"The one-sentence response must be {MAX_SUMMARY} characters or fewer"
    if not reasons:
        errors["reasons"] = "Enter the Board's reasons. They will be published"
    elif len(reasons) > MAX_REASONS:
        errors["reasons"] = "The reasons must be 10,000 characters or fewer"
    if len(commitments) > MAX_COMMITMENTS:
        errors["commitments"] = f"Record up to {MAX_COMMITMENTS} commitments at a time"
    elif not commitments and outcome in (BoardOutcome.WILL_ACT, BoardOutcome.IN_PART):
        errors["commitments"] = (
            "Enter at least one commitment: what the Board will do, who owns it and by when"
        )
    default_organisation = nhs_england()
    cleaned = []
    for number, draft in enumerate(commitments, start=1):
        try:
            cleaned.append(clean_commitment(draft, default_organisation=default_organisation))
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors[f"commitment_{number}_{field}"] = messages[0]
    if errors:
        raise ValidationError(errors)
    target = {"agenda_item": agenda_item} if agenda_item else {"commission": commission}
    due = response_due_date(**target)
    today = timezone.localdate(now)
    try:
        with transaction.atomic():
            # The row lock stops two Board members answering the same thing at once; the
            # one-to-one field is the last word.
            if agenda_item is not None:
                AgendaItem.objects.select_for_update().get(pk=agenda_item.pk)
            else:
                PanelCommission.objects.select_for_update().get(pk=commission.pk)
            if BoardResponse.objects.filter(**target).exists():
                raise ValidationError("The Board has already responded to this.")
            response = BoardResponse.objects.create(
                outcome=outcome,
                summary=summary,
                reasons=reasons,
                recorded_by=by,
                published_at=now,
                due_date=due,
                on_time=today <= due,
                **target,
            )
            source = source_of(response)
            made = create_commitments(by=by, source=source, drafts=cleaned, now=now)
            label = BoardOutcome(outcome).label
            what = (
                f"“{agenda_item.title}”"
                if agenda_item
                else f"the Citizen Panel report on “{commission.question}”"
            )
            CycleDecision.objects.create(
                cycle=source.cycle,
                kind="board_response",
                summary=_limit(f"The Board responded to {what}: {label.lower()}", 300),
                reasons=summary,
                decided_by=by,
                decided_by_role=BOARD,
                created_at=now,
            )
            record_audit_entry(
                actor=by,
                action="tracker.board_response_recorded",
                summary=_limit(
                    f"The NHS England Board responded to {what}: {label.lower()}, "
                    f"with {_count(len(made), 'commitment')}",
                    300,
                ),
                target=source.flag or response,
                reason=summary,
                data={
                    "board_response_id": response.pk,
                    "agenda_item_id": agenda_item.pk if agenda_item else None,
                    "commission_id": commission.pk if commission else None,
                    "outcome": outcome,
                    "due_date": due.isoformat(),
                    "on_time": response.on_time,
                    "commitment_ids": [c.pk for c in made],
                },
                public=True,
            )
            _tell_people(response, source, what, label, made)
    except IntegrityError as error:
        raise ValidationError("The Board has already responded to this.") from error
    return response


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _limit(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _tell_people(response, source, what, label, made) -> None:
    from nhs_citizen.notifications.services import notify_audience

    link = response.get_absolute_url()
    url = f"{settings.SITE_URL}{link}"
    promised = "".join(
        f" The Board commits to: {c.what} ({c.owner}, by {when_words(c.due_date)})." for c in made
    )
    if source.flag is not None:
        subject = (
            "The NHS England Board has responded"
            if response.agenda_item_id
            else "The NHS England Board has responded to the Citizen Panel"
        )
        notify_flag_audience(
            source.flag,
            subject,
            f"The NHS England Board has responded to {what}: {label.lower()}. "
            f"{response.summary}{promised} Read the response and follow its commitments on the "
            f"tracker: {url}",
            kind="answers",
        )
    # The people who took part are asked whether it reflects what they said.
    notify_audience(
        "nhs_citizen.tracker.services.board.participants_audience",
        subject="Does the Board's response reflect what you said?",
        body=(
            f"You took part in {what}. The NHS England Board has responded: "
            f"{label.lower()}. {response.summary} Tell us whether the response reflects "
            f"what you said: {url}"
        ),
        link=link,
        response_id=response.pk,
    )


def participants_audience(response_id: int) -> list:
    """For the notifications fan-out (ADR 0031): the people who took part."""
    response = BoardResponse.objects.get(pk=response_id)
    return [("answers", Q(pk__in=participant_ids(response)))]


# Does the response reflect what people said? --------------------------------------------------


def participant_ids(response: BoardResponse) -> set[int]:
    """People who can say whether the response reflects what they said: confirmed members of
    the Assembly Meeting (or of the Citizen Panel) and remote participants who posted in the
    item's thread."""
    ids: set[int] = set()
    if response.agenda_item_id:
        item = response.agenda_item
        panel_id = item.meeting.members_panel_id
        ids.update(RemotePost.objects.filter(item=item).values_list("author_id", flat=True))
    else:
        panel_id = response.commission.panel_id
    if panel_id:
        ids.update(
            PanelMember.objects.filter(
                panel_id=panel_id,
                status=MemberStatus.CONFIRMED,
                pool_member__user__isnull=False,
            ).values_list("pool_member__user_id", flat=True)
        )
    active = get_user_model().objects.filter(pk__in=ids, is_active=True, deleted_at__isnull=True)
    return set(active.values_list("pk", flat=True))


def took_part(user, response: BoardResponse) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if response.agenda_item_id:
        item = response.agenda_item
        if RemotePost.objects.filter(item=item, author=user).exists():
            return True
        panel_id = item.meeting.members_panel_id
    else:
        panel_id = response.commission.panel_id
    return bool(
        panel_id
        and PanelMember.objects.filter(
            panel_id=panel_id, status=MemberStatus.CONFIRMED, pool_member__user=user
        ).exists()
    )


def check_reflect(*, user, response: BoardResponse, verdict: str, comment: str = "") -> Reflection:
    """Record or change one person's answer. Only the totals and the comments, without names,
    are public."""
    if not took_part(user, response):
        raise ValidationError(
            "Only people who took part, as members of the Meeting or the panel or by posting "
            "in the item's thread, can say whether the response reflects what they said."
        )
    comment = (comment or "").strip()
    errors = {}
    if verdict not in Verdict.values:
        errors["verdict"] = "Select whether the response reflects what you said"
    if len(comment) > MAX_REFLECTION_COMMENT:
        errors["comment"] = "Your comment must be 2,000 characters or fewer"
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    with transaction.atomic():
        reflection, created = Reflection.objects.select_for_update().get_or_create(
            response=response,
            user=user,
            defaults={"verdict": verdict, "comment": comment, "created_at": now, "updated_at": now},
        )
        if not created:
            reflection.verdict = verdict
            reflection.comment = comment
            reflection.updated_at = now
            reflection.save(update_fields=["verdict", "comment", "updated_at"])
        # Who said what stays private: the log records that someone answered, not how.
        record_audit_entry(
            actor=user,
            action="tracker.reflection_given" if created else "tracker.reflection_changed",
            summary="Said whether a Board response reflects what they said",
            target=response,
        )
    return reflection


@dataclass
class ReflectionTotals:
    total: int
    rows: list[tuple[str, str, int, int]]  # (value, label, count, percent)
    comments: list[tuple[str, str]]  # (verdict label, comment): no names


def reflection_totals(response: BoardResponse) -> ReflectionTotals:
    reflections = list(
        Reflection.objects.filter(response=response)
        .order_by("created_at", "pk")
        .values_list("verdict", "comment")
    )
    total = len(reflections)
    rows = []
    for value, label in Verdict.choices:
        count = sum(1 for verdict, _ in reflections if verdict == value)
        rows.append((value, label, count, round(100 * count / total) if total else 0))
    comments = [(Verdict(v).label, c) for v, c in reflections if c.strip()]
    return ReflectionTotals(total, rows, comments)


def export_for_user(user) -> list[dict]:
    """For "Your data": what this person said about Board responses."""
    return [
        {
            "board_response": r.response_id,
            "reflects_what_you_said": r.get_verdict_display(),
            "comment": r.comment,
            "answered": r.created_at.isoformat(),
            "changed": r.updated_at.isoformat(),
        }
        for r in Reflection.objects.filter(user=user).order_by("created_at", "pk")
    ]
