"""Decisions of a cycle, shown on the cycle's public page with who took them and why."""

from __future__ import annotations

from nhs_citizen.assembly.models import Cycle, CycleDecision

SECRETARIAT = "The secretariat"
ASSEMBLY = "The Assembly Meeting, recorded by the secretariat"


def record_cycle_decision(
    *, cycle: Cycle, kind: str, summary: str, decided_by, decided_by_role: str, reasons: str = ""
) -> CycleDecision:
    """Call it inside the transaction that makes the change, beside the audit entry."""
    return CycleDecision.objects.create(
        cycle=cycle,
        kind=kind,
        summary=summary[:300],
        reasons=reasons[:3000],
        decided_by=decided_by,
        decided_by_role=decided_by_role,
    )
