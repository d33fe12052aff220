"""The published timetable, kept automatically: cut off the flags, open the vote and close it
when their times come. Safe to run at any time and as often as wanted; each step happens once
(the services lock the cycle and check its stage)."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.utils import timezone

from nhs_citizen.assembly.models import Cycle, Stage
from nhs_citizen.assembly.services import stages

logger = logging.getLogger(__name__)

# Stage, the time field that makes it due, the step, and what the step did (for the log).
STEPS = [
    (Stage.PLANNED, "flag_cutoff", stages.do_cut_off, "cut off the flags"),
    (Stage.CUT_OFF, "vote_opens", stages.do_open_vote, "opened the vote"),
    (Stage.VOTING, "vote_closes", stages.do_close_vote, "closed the vote"),
]


def run_assembly_schedule() -> list[str]:
    """Do every step that is due, in time order; a cycle whose times have all passed (the
    worker was down, say) goes through each step in turn. Returns what was done."""
    done: list[str] = []
    failed: set[tuple[int, str]] = set()
    while True:
        now = timezone.now()
        due = []
        for stage, time_field, step, words in STEPS:
            for cycle in Cycle.objects.filter(stage=stage, **{f"{time_field}__lte": now}):
                if (cycle.pk, stage) not in failed:
                    due.append((getattr(cycle, time_field), cycle.pk, stage, step, words))
        if not due:
            return done
        due.sort(key=lambda item: (item[0], item[1]))
        moment, pk, stage, step, words = due[0]
        cycle = Cycle.objects.get(pk=pk)
        try:
            step(cycle)
        except ValidationError as error:
            # Already done by someone else, or it cannot be done (no flags to vote on, a recount
            # that does not match): say so, and leave it for the secretariat.
            failed.add((pk, stage))
            logger.warning("Assembly timetable: %s: %s", cycle.name, " ".join(error.messages))
            continue
        done.append(f"{cycle.name}: {words}")
