"""What the public pages show about the Citizen Panels the Assembly commissioned, for the open
API and the nightly files. Reads only."""

from __future__ import annotations

from django.urls import reverse

from nhs_citizen.meetings.models import PanelCommission

COMMISSION_COLUMNS = [
    "id",
    "url",
    "question",
    "remit",
    "size",
    "who_it_must_include",
    "reasons",
    "report_due",
    "status",
    "cycle",
    "cycle_slug",
    "agenda_item_id",
    "panel_id",
    "commissioned_at",
    "report",
]


def commission_record(commission: PanelCommission, absolute=lambda path: path) -> dict:
    """One commission as its page shows it: never who commissioned it."""
    report = None
    if commission.report_published_at:
        if commission.report_file:
            url = absolute(reverse("meetings:report_file", args=[commission.pk]))
        else:
            url = commission.report_url or None
        report = {
            "summary": commission.report_summary,
            "url": url,
            "published_at": commission.report_published_at,
        }
    cycle = commission.meeting.cycle
    return {
        "id": commission.pk,
        "url": absolute(commission.get_absolute_url()),
        "question": commission.question,
        "remit": commission.remit,
        "size": commission.size,
        "who_it_must_include": commission.quotas_note,
        "reasons": commission.reasons,
        "report_due": commission.report_due,
        "status": commission.status,
        "cycle": cycle.name,
        "cycle_slug": cycle.slug,
        "agenda_item_id": commission.item_id,
        "panel_id": commission.panel_id,
        "commissioned_at": commission.commissioned_at,
        "report": report,
    }


def commission_records():
    """Every commission, oldest first, read in keyset chunks (the nightly files)."""
    from nhs_citizen.core.streaming import iterate_keyset

    commissions = PanelCommission.objects.select_related("meeting__cycle")
    for commission in iterate_keyset(commissions, chunk_size=500):
        yield commission_record(commission)
