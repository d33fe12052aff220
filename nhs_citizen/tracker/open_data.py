"""The tracker's open data records: every commitment with its updates, every update, and the
Board's responses as the commitments download lists them, with the CSV columns and rows. Read
by the downloads (``views.open_data_views``) and the nightly files; reads only."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, Q

from nhs_citizen.core.streaming import iterate_keyset
from nhs_citizen.tracker import presenters
from nhs_citizen.tracker.models import BoardResponse, Commitment, CommitmentUpdate
from nhs_citizen.tracker.queries import flag_title, public_commitments_with_updates

CHUNK = 500


def _source(commitment: Commitment) -> dict:
    if commitment.board_response_id:
        kind, pk = "board_response", commitment.board_response_id
    elif commitment.referral_response_id:
        kind, pk = "referral_response", commitment.referral_response_id
    else:
        kind, pk = "call_for_views", commitment.call_for_views_id
    link = presenters.source_link(commitment)
    return {"type": kind, "id": pk, "description": link.text, "url": _absolute(link.href)}


def _absolute(path: str | None) -> str | None:
    return f"{settings.SITE_URL}{path}" if path else None


def update_record(update: CommitmentUpdate) -> dict:
    return {
        "id": update.pk,
        "commitment_id": update.commitment_id,
        "posted_at": update.created_at.isoformat(),
        "posted_by": update.posted_as,
        "status": update.status,
        "previous_status": update.previous_status,
        "note": update.note,
        "reasons_not_done": update.reasons,
        "evidence_title": update.evidence_title,
        "evidence_url": update.evidence_url,
        "due_date": update.due_date.isoformat(),
        "previous_due_date": update.previous_due_date.isoformat(),
        "due_date_moved": update.due_date != update.previous_due_date,
    }


def _commitment(commitment: Commitment, updates: list[CommitmentUpdate], today) -> dict:
    status = presenters.status_of(commitment, today)
    moves = [u for u in updates if u.due_date != u.previous_due_date]
    return {
        "id": commitment.pk,
        "url": _absolute(commitment.get_absolute_url()),
        "what": commitment.what,
        "detail": commitment.detail,
        "body": commitment.organisation.name,
        "body_slug": commitment.organisation.slug,
        "owner": commitment.owner,
        "due_date": commitment.due_date.isoformat(),
        "original_due_date": (
            moves[0].previous_due_date if moves else commitment.due_date
        ).isoformat(),
        "status": commitment.status,
        "status_words": status.words,
        "overdue": status.overdue,
        "days_overdue": status.days_overdue,
        "reasons_not_done": commitment.status_reasons,
        "withdrawn_reason": commitment.withdrawn_reason or None,
        "made_at": commitment.created_at.isoformat(),
        "finished_at": commitment.completed_at.isoformat() if commitment.completed_at else None,
        "last_changed_at": commitment.updated_at.isoformat(),
        "source": _source(commitment),
        "flag_id": commitment.flag_id,
        "flag_title": flag_title(commitment.flag) if commitment.flag_id else None,
        "cycle": commitment.cycle.name if commitment.cycle_id else None,
        "topic": commitment.topic.name if commitment.topic_id else None,
        "updates": [update_record(u) for u in updates],
    }


def _board_response(response: BoardResponse, verdicts: dict) -> dict:
    counts = verdicts.get(response.pk, {})
    return {
        "id": response.pk,
        "url": _absolute(response.get_absolute_url()),
        "responds_to": "agenda_item" if response.agenda_item_id else "citizen_panel_report",
        "title": response.agenda_item.title
        if response.agenda_item_id
        else response.commission.question,
        "outcome": response.outcome,
        "summary": response.summary,
        "reasons": response.reasons,
        "published_at": response.published_at.isoformat(),
        "due_date": response.due_date.isoformat(),
        "on_time": response.on_time,
        "reflects_what_people_said": {
            "yes": counts.get("yes", 0),
            "partly": counts.get("partly", 0),
            "no": counts.get("no", 0),
        },
    }


def commitment_records(today):
    # Small chunks: the first bytes go out sooner, and memory stays small.
    for commitment in iterate_keyset(
        public_commitments_with_updates().order_by("pk"), chunk_size=CHUNK
    ):
        yield _commitment(commitment, list(commitment.updates.all()), today)


def board_response_download_items():
    responses = BoardResponse.objects.select_related("agenda_item", "commission").annotate(
        **{
            verdict: Count("reflections", filter=Q(reflections__verdict=verdict))
            for verdict in ("yes", "partly", "no")
        }
    )
    for response in iterate_keyset(responses):
        counts = {verdict: getattr(response, verdict) for verdict in ("yes", "partly", "no")}
        yield _board_response(response, {response.pk: counts})


def _safe_cell(value) -> str:
    # A spreadsheet would run a cell that starts like a formula.
    value = "" if value is None else str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


COMMITMENT_COLUMNS = [
    "id",
    "url",
    "what",
    "detail",
    "body",
    "owner",
    "due_date",
    "original_due_date",
    "status",
    "status_words",
    "overdue",
    "days_overdue",
    "reasons_not_done",
    "made_at",
    "finished_at",
    "source_type",
    "source_id",
    "source",
    "flag_id",
    "cycle",
    "topic",
    "updates",
]


def commitment_csv_rows(today):
    """The commitments CSV's rows (without its header, COMMITMENT_COLUMNS), not yet made safe
    for spreadsheets: the download and the nightly bulk file both use them."""
    for data in commitment_records(today):
        yield [
            data["id"],
            data["url"],
            data["what"],
            data["detail"],
            data["body"],
            data["owner"],
            data["due_date"],
            data["original_due_date"],
            data["status"],
            data["status_words"],
            "yes" if data["overdue"] else "no",
            data["days_overdue"],
            data["reasons_not_done"],
            data["made_at"],
            data["finished_at"],
            data["source"]["type"],
            data["source"]["id"],
            data["source"]["description"],
            data["flag_id"],
            data["cycle"],
            data["topic"],
            len(data["updates"]),
        ]


def safe_csv_rows(rows):
    """Rows with every cell made safe for spreadsheets."""
    return ([_safe_cell(value) for value in row] for row in rows)


UPDATE_COLUMNS = [
    "id",
    "commitment_id",
    "posted_at",
    "posted_by",
    "status",
    "previous_status",
    "note",
    "reasons_not_done",
    "evidence_title",
    "evidence_url",
    "due_date",
    "previous_due_date",
    "due_date_moved",
]


def update_csv_rows():
    """The updates CSV's rows (without its header, UPDATE_COLUMNS), not yet made safe."""
    for update in iterate_keyset(CommitmentUpdate.objects.all()):
        data = update_record(update)
        data["due_date_moved"] = "yes" if data["due_date_moved"] else "no"
        yield [data[column] for column in UPDATE_COLUMNS]
