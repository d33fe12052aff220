"""Quotas for a panel: typed in, or worked out from England's Census 2021 shares."""

from __future__ import annotations

import math

from django.core.exceptions import ValidationError
from django.db import transaction

from nhs_citizen.core.services.audit import record_audit_entry
from nhs_citizen.panels import categories
from nhs_citizen.panels.models import Panel, PanelQuota, PanelStatus


def quotas_from_census(
    size: int, tolerance: float = 0.1, oversample: dict[str, float] | None = None
) -> list[tuple[str, str, int, int]]:
    """(category, value, min, max) for each census value: the population share of the panel,
    give or take `tolerance`, with chosen groups (``"category:value": factor``) given more seats."""
    oversample = oversample or {}
    quotas = []
    for category in categories.CATEGORY_LABELS:
        values = categories.values_for(category)
        weights = {v.value: v.share * oversample.get(f"{category}:{v.value}", 1.0) for v in values}
        total = sum(weights.values())
        for value in values:
            target = size * weights[value.value] / total
            minimum = max(0, math.floor(target * (1 - tolerance)))
            maximum = min(size, math.ceil(target * (1 + tolerance)))
            quotas.append((category, value.value, minimum, maximum))
    return quotas


def check_set_quotas(
    *, panel: Panel, quotas: list[tuple[str, str, int, int]], set_by
) -> list[PanelQuota]:
    if panel.status != PanelStatus.SETTING_UP:
        raise ValidationError("The quotas cannot change once the seed has been committed.")
    errors = []
    for category, value, minimum, maximum in quotas:
        if minimum < 0 or maximum < minimum:
            errors.append(
                f"{category} = {value}: the minimum must be 0 or more and the maximum must not be less than the minimum."
            )
        if minimum > panel.size:
            errors.append(
                f"{category} = {value}: the minimum is more than the {panel.size} seats on the panel."
            )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        PanelQuota.objects.filter(panel=panel).delete()
        created = PanelQuota.objects.bulk_create(
            [
                PanelQuota(panel=panel, category=c, value=v, minimum=lo, maximum=hi)
                for c, v, lo, hi in quotas
            ]
        )
        record_audit_entry(
            actor=set_by,
            action="panels.quotas_set",
            summary=f"Set the quotas for “{panel.title}”",
            target=panel,
            data={"quotas": [[c, v, lo, hi] for c, v, lo, hi in quotas]},
            public=True,
        )
    return created
