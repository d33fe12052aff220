"""Gather's open data: every public flag, decision, referral and answer, as JSON.

Only what the site already shows to visitors: display names people chose, never email
addresses; hidden content keeps its placeholder reason and nothing else."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest, JsonResponse

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


def flags_json(request: HttpRequest) -> JsonResponse:
    flags = (
        Flag.objects.select_related("topic", "region", "icb__region", "raised_by", "raised_for")
        .prefetch_related(
            Prefetch(
                "referrals",
                queryset=Referral.objects.select_related(
                    "organisation", "response__responsible_organisation"
                ).order_by("referred_at", "pk"),
            ),
            Prefetch(
                "review_decisions", queryset=ReviewDecision.objects.order_by("created_at", "pk")
            ),
        )
        .order_by("pk")
    )
    response = JsonResponse(
        {"licence": "Open Government Licence v3.0", "flags": [_flag(f) for f in flags]},
        json_dumps_params={"ensure_ascii": False},
    )
    response["Content-Disposition"] = 'attachment; filename="nhs-citizen-flags.json"'
    return response
