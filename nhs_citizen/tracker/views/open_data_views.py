"""The tracker as open data: every commitment and every update, as JSON and as CSV. Only what
the tracker shows to visitors: bodies, teams and roles, never a person's name or e-mail."""

from __future__ import annotations

import csv
import io

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from nhs_citizen.tracker import presenters
from nhs_citizen.tracker.models import BoardResponse, Commitment, CommitmentUpdate, Reflection
from nhs_citizen.tracker.queries import flag_title

LICENCE = "Open Government Licence v3.0"


def _commitments():
    return Commitment.objects.select_related(
        "organisation",
        "cycle",
        "topic",
        "flag",
        "board_response__agenda_item",
        "board_response__commission",
        "referral_response__referral__flag",
        "referral_response__referral__organisation",
        "call_for_views__organisation",
    ).order_by("pk")


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


def _update(update: CommitmentUpdate) -> dict:
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
        "made_at": commitment.created_at.isoformat(),
        "finished_at": commitment.completed_at.isoformat() if commitment.completed_at else None,
        "last_changed_at": commitment.updated_at.isoformat(),
        "source": _source(commitment),
        "flag_id": commitment.flag_id,
        "flag_title": flag_title(commitment.flag) if commitment.flag_id else None,
        "cycle": commitment.cycle.name if commitment.cycle_id else None,
        "topic": commitment.topic.name if commitment.topic_id else None,
        "updates": [_update(u) for u in updates],
    }


def _updates_by_commitment() -> dict[int, list[CommitmentUpdate]]:
    result: dict[int, list[CommitmentUpdate]] = {}
    for update in CommitmentUpdate.objects.order_by("created_at", "pk").iterator(chunk_size=2000):
        result.setdefault(update.commitment_id, []).append(update)
    return result


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


def commitments_json(request: HttpRequest) -> JsonResponse:
    today = timezone.localdate()
    updates = _updates_by_commitment()
    verdicts: dict[int, dict[str, int]] = {}
    for response_id, verdict in Reflection.objects.values_list("response_id", "verdict"):
        counts = verdicts.setdefault(response_id, {})
        counts[verdict] = counts.get(verdict, 0) + 1
    responses = BoardResponse.objects.select_related("agenda_item", "commission").order_by("pk")
    response = JsonResponse(
        {
            "licence": LICENCE,
            "made_at": timezone.now().isoformat(),
            "commitments": [_commitment(c, updates.get(c.pk, []), today) for c in _commitments()],
            "board_responses": [_board_response(r, verdicts) for r in responses],
        },
        json_dumps_params={"ensure_ascii": False},
    )
    response["Content-Disposition"] = 'attachment; filename="nhs-citizen-commitments.json"'
    return response


def _safe_cell(value) -> str:
    # A spreadsheet would run a cell that starts like a formula.
    value = "" if value is None else str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _csv(filename: str, header: list[str], rows) -> HttpResponse:
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_safe_cell(value) for value in row])
    # A byte order mark, so that spreadsheets read the file as UTF-8.
    response = HttpResponse(
        output.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


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


def commitments_csv(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    updates = _updates_by_commitment()

    def rows():
        for commitment in _commitments():
            data = _commitment(commitment, updates.get(commitment.pk, []), today)
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

    return _csv("nhs-citizen-commitments.csv", COMMITMENT_COLUMNS, rows())


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


def updates_csv(request: HttpRequest) -> HttpResponse:
    def rows():
        for update in CommitmentUpdate.objects.order_by("created_at", "pk").iterator(
            chunk_size=2000
        ):
            data = _update(update)
            data["due_date_moved"] = "yes" if data["due_date_moved"] else "no"
            yield [data[column] for column in UPDATE_COLUMNS]

    return _csv("nhs-citizen-commitment-updates.csv", UPDATE_COLUMNS, rows())
