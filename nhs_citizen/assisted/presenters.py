"""Rows for the helpers' pages: what was recorded, by whom, when, and the consent."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from nhs_citizen.assisted.models import OnBehalfRecord, RecordKind
from nhs_citizen.core.dates import when_words


@dataclass(frozen=True)
class RecordRow:
    when: str
    what: str
    title: str
    href: str
    organisation: str
    recorded_by: str
    consent: str
    paper_reference: str
    person_reference: str  # "" unless the viewer is one of the organisation's helpers
    person_name: str
    moderate_href: str


def _subject(record: OnBehalfRecord) -> tuple[str, str, str]:
    """(title, public address, moderation address) of what was recorded."""
    if record.kind in (RecordKind.FLAG, RecordKind.SUPPORT) and record.flag_id:
        moderate = (
            reverse("moderation:decide", args=["flag", record.flag_id])
            if record.kind == RecordKind.FLAG
            else ""
        )
        return record.flag.title, record.flag.get_absolute_url(), moderate
    if record.kind == RecordKind.CALL_ANSWER and record.call_submission_id:
        call = record.call_submission.call
        return call.title, reverse("gather:call_detail", args=[call.pk]), ""
    if record.kind == RecordKind.STORY and record.story_id:
        story = record.story
        return (
            story.title,
            story.get_absolute_url(),
            reverse("moderation:decide", args=["story", story.pk]),
        )
    if record.kind == RecordKind.POOL_ENTRY and record.pool_member_id:
        return record.pool_member.pool.name, "", ""
    return "", "", ""


def consent_words(record: OnBehalfRecord) -> str:
    return (
        f"{record.consent_given_by}, {record.get_consent_how_display().lower()}, "
        f"on {when_words(record.consent_on)}"
    )


def record_rows(records, *, with_people: bool) -> list[RecordRow]:
    rows = []
    for record in records:
        title, href, moderate = _subject(record)
        rows.append(
            RecordRow(
                when=when_words(record.recorded_at),
                what=record.get_kind_display(),
                title=title,
                href=href,
                organisation=record.organisation.name,
                recorded_by=record.recorded_by.public_name
                if record.recorded_by
                else "A former helper",
                consent=consent_words(record),
                paper_reference=record.paper_reference,
                person_reference=record.person.reference if with_people else "",
                person_name=record.person.name if with_people else "",
                moderate_href="" if with_people else moderate,
            )
        )
    return rows
