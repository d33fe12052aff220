"""Gather's open data: every public flag, decision, referral and answer, as JSON and as JSON
Lines, streamed (the file is written as it is read, whatever its size).

Only what the site already shows to visitors: display names people chose, never email
addresses; hidden content keeps its placeholder reason and nothing else."""

from __future__ import annotations

from collections import defaultdict

from django.http import HttpRequest, StreamingHttpResponse

from nhs_citizen.core.streaming import (
    JSON,
    JSONL,
    OPEN_DATA_LICENCE,
    download,
    iterate_keyset,
    json_document,
    json_lines,
)
from nhs_citizen.gather.models import Flag, Referral, ReviewDecision
from nhs_citizen.gather.presenters import status_line


def _flag(flag: Flag) -> dict:
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
        "raised_by": flag.raised_by.public_name,
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


def _flags():
    """Every flag in order of its number, read by key a chunk at a time, with each chunk's
    decisions and referrals in one query each: memory and queries per flag stay the same at
    any size. (Set on each flag by hand: Django's prefetch costs more than the queries here.)"""
    flags = Flag.objects.select_related(
        "topic", "region", "icb__region", "raised_by", "raised_for"
    ).defer("embedding")
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
            yield _flag(flag)


def _with_licence_link(response: StreamingHttpResponse) -> StreamingHttpResponse:
    response["Link"] = f'<{OPEN_DATA_LICENCE["url"]}>; rel="license"'
    return response


def flags_json(request: HttpRequest) -> StreamingHttpResponse:
    """One JSON document: the licence, then every flag (the same shape as ever)."""
    head = {"licence": OPEN_DATA_LICENCE["name"]}
    return _with_licence_link(
        download(json_document(head, "flags", _flags()), JSON, "nhs-citizen-flags.json")
    )


def flags_jsonl(request: HttpRequest) -> StreamingHttpResponse:
    """JSON Lines: one flag per line, each the same object as in the JSON file. The licence is
    in the Link header."""
    return _with_licence_link(download(json_lines(_flags()), JSONL, "nhs-citizen-flags.jsonl"))
