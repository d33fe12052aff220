"""The citizens' jury: which panel it is, and its choice of the flags for the Assembly Meeting,
with its reasons for every flag, chosen or not."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from nhs_citizen.assembly import timetable
from nhs_citizen.assembly.models import Cycle, JuryChoice, Stage
from nhs_citizen.assembly.services.cycles import JURY, SECRETARIAT, record_decision
from nhs_citizen.core.words import count_words
from nhs_citizen.panels.models import Panel, PanelPurpose


def jury_panels_for(cycle: Cycle) -> QuerySet[Panel]:
    """Jury panels the secretariat can name for this cycle: set up as a jury, not another
    cycle's."""
    taken = Cycle.objects.exclude(pk=cycle.pk).filter(jury_panel__isnull=False).values("jury_panel")
    return (
        Panel.objects.filter(purpose=PanelPurpose.JURY)
        .exclude(pk__in=taken)
        .order_by("-created_at")
    )


def do_link_jury_panel(*, cycle: Cycle, panel: Panel, by) -> Cycle:
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
        if cycle.has_reached(Stage.JURY):
            raise ValidationError(
                {"panel": "The jury has already chosen, so its panel cannot change"}
            )
        if panel.purpose != PanelPurpose.JURY:
            raise ValidationError({"panel": "Select a panel that was set up as a citizens' jury"})
        if not jury_panels_for(cycle).filter(pk=panel.pk).exists():
            raise ValidationError({"panel": "That panel is already the jury for another cycle"})
        if cycle.jury_panel_id == panel.pk:
            return cycle
        cycle.jury_panel = panel
        cycle.save(update_fields=["jury_panel"])
        record_decision(
            cycle,
            kind="jury_panel_named",
            summary=f"Named the citizens' jury for this cycle: {panel.title}, chosen by lot",
            role=SECRETARIAT,
            by=by,
            data={"panel": panel.pk},
        )
    return cycle


def required_choices(cycle: Cycle, sent_to_jury: int) -> int:
    return min(cycle.agenda_size, sent_to_jury)


def check_record_jury_choices(
    *, cycle: Cycle, choices: dict[int, tuple[bool | None, str]], by
) -> list[JuryChoice]:
    """Record the jury's decision on each flag sent to it: chosen or not, and why. Exactly
    `agenda_size` must be chosen. This moves the cycle to the jury stage."""
    with transaction.atomic():
        cycle = (
            Cycle.objects.select_for_update(of=("self",))
            .select_related("jury_panel")
            .get(pk=cycle.pk)
        )
        if cycle.stage != Stage.VOTE_CLOSED:
            if cycle.has_reached(Stage.JURY):
                raise ValidationError("The jury's choices have already been recorded.")
            raise ValidationError("The jury's choices can be recorded once the vote has closed.")
        if cycle.jury_panel is None:
            raise ValidationError("Name the panel that is this cycle's citizens' jury first.")
        if cycle.jury_panel.drawn_at is None:
            raise ValidationError(
                "The jury panel has not been drawn yet. Run its draw by lot first."
            )
        if wait := timetable.not_yet(timetable.JURY_CHOICES, cycle, timezone.now()):
            raise ValidationError(wait)
        entries = list(cycle.entries.filter(to_jury=True).select_related("flag").order_by("place"))
        errors: dict[str, list[str]] = {}
        cleaned: dict[int, tuple[bool, str]] = {}
        for entry in entries:
            chosen, reasons = choices.get(entry.pk, (None, ""))
            reasons = (reasons or "").strip()
            if chosen is None:
                errors[f"chosen_{entry.pk}"] = [
                    f"Select whether the jury chose number {entry.place}, “{entry.flag.title}”"
                ]
            if not reasons:
                errors[f"reasons_{entry.pk}"] = [
                    f"Enter the jury's reasons for number {entry.place}, “{entry.flag.title}”"
                ]
            cleaned[entry.pk] = (bool(chosen), reasons)
        needed = required_choices(cycle, len(entries))
        chosen_count = sum(1 for chosen, _ in cleaned.values() if chosen)
        if not errors and chosen_count != needed:
            errors[NON_FIELD_ERRORS] = [
                f"The jury chooses exactly {count_words(needed, 'flag')}. "
                f"You marked {chosen_count} as chosen"
            ]
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        records = JuryChoice.objects.bulk_create(
            [
                JuryChoice(
                    entry=entry,
                    chosen=cleaned[entry.pk][0],
                    reasons=cleaned[entry.pk][1],
                    recorded_by=by,
                    recorded_at=now,
                )
                for entry in entries
            ]
        )
        cycle.stage = Stage.JURY
        cycle.save(update_fields=["stage"])
        record_decision(
            cycle,
            kind="jury_chose",
            summary=(
                f"Chose {needed} of the {count_words(len(entries), 'flag')} with the most votes for the "
                "Assembly Meeting"
            ),
            role=JURY,
            by=by,
            reasons="The jury's reasons for each flag, chosen or not, are published on this page.",
            data={
                "panel": cycle.jury_panel_id,
                "chosen": [e.flag_id for e in entries if cleaned[e.pk][0]],
                "not_chosen": [e.flag_id for e in entries if not cleaned[e.pk][0]],
                "reasons": {str(e.flag_id): cleaned[e.pk][1] for e in entries},
            },
        )
    return records
