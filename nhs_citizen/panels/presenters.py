"""View models for panels: the selection report and the published probabilities."""

from __future__ import annotations

import statistics

from nhs_citizen.panels import categories
from nhs_citizen.panels.models import MemberStatus, Panel


def selection_report(panel: Panel) -> list[dict]:
    """Target and achieved seats for each category value, for the people now on the panel."""
    seated = panel.members.filter(
        status__in=[MemberStatus.INVITED, MemberStatus.CONFIRMED]
    ).select_related("pool_member")
    counts: dict[tuple[str, str], int] = {}
    for member in seated:
        for category, value in member.pool_member.features.items():
            counts[(category, value)] = counts.get((category, value), 0) + 1
    rows = []
    for quota in panel.quotas.all():
        rows.append(
            {
                "category": categories.CATEGORY_LABELS.get(quota.category, quota.category),
                "value": categories.label_for(quota.category, quota.value),
                "minimum": quota.minimum,
                "maximum": quota.maximum,
                "achieved": counts.get((quota.category, quota.value), 0)
                if panel.drawn_at
                else None,
            }
        )
    return rows


def distribution_summary(panel: Panel) -> dict | None:
    if not panel.published_result:
        return None
    values = list(panel.published_result.get("probabilities", {}).values())
    if not values:
        return None
    return {
        "people": len(values),
        "minimum": min(values),
        "maximum": max(values),
        "median": statistics.median(values),
        "after_rounding": panel.published_result.get("minimum_after_rounding"),
        "lottery_size": len(panel.published_result.get("lottery", [])),
    }
