"""Moving a cycle on, stage by stage. Each move is a decision on the cycle's public page and
in the audit log. The cut-off and the vote's opening and closing happen at their published times
(see schedule.py); the secretariat can also make them once the time has passed."""

from __future__ import annotations

import datetime

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from nhs_citizen.assembly import timetable
from nhs_citizen.assembly.models import STAGE_ORDER, Cycle, CycleEntry, Stage
from nhs_citizen.assembly.services import entries as entry_services
from nhs_citizen.assembly.services.cycles import (
    SECRETARIAT,
    TIMETABLE,
    record_decision,
)
from nhs_citizen.assembly.services.vote import (
    TIE_RULE,
    count_from_ballots,
    ranked,
    recount_from_audit,
)
from nhs_citizen.core.dates import when_words
from nhs_citizen.core.services.audit import record_audit_entry


def _role(by) -> str:
    return SECRETARIAT if by is not None else TIMETABLE


def _locked(cycle: Cycle, stage: str, already: str) -> Cycle:
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.stage != stage:
        raise ValidationError(already)
    return cycle


def do_cut_off(cycle: Cycle, by=None, reasons: str = "") -> Cycle:
    """Fix the flags in this cycle: every shortlisted flag not yet in a cycle whose shortlisting
    was at or before the cut-off goes in. Later ones stay out and go to the next cycle."""
    with transaction.atomic():
        cycle = _locked(
            cycle, Stage.PLANNED, f"The flags for {cycle.name} have already been cut off."
        )
        now = timezone.now()
        if wait := timetable.not_yet(timetable.CUT_OFF, cycle, now):
            raise ValidationError(wait)
        earlier = (
            Cycle.objects.filter(flag_cutoff__lt=cycle.flag_cutoff, stage=Stage.PLANNED)
            .order_by("flag_cutoff")
            .first()
        )
        if earlier is not None:
            raise ValidationError(
                f"Cut off the flags for {earlier.name} first: its cut-off comes before this one."
            )
        previous = entry_services.previous_cycle(cycle)
        flags = list(entry_services.waiting_flags().filter(shortlisted_at__lte=cycle.flag_cutoff))
        CycleEntry.objects.bulk_create(
            [
                CycleEntry(
                    cycle=cycle,
                    flag=flag,
                    shortlisted_at=flag.shortlisted_at,
                    entered_at=now,
                    rolled_over_from=previous
                    if previous is not None and flag.shortlisted_at > previous.flag_cutoff
                    else None,
                )
                for flag in flags
            ]
        )
        later = list(
            entry_services.waiting_flags()
            .filter(shortlisted_at__gt=cycle.flag_cutoff)
            .values_list("pk", flat=True)
        )
        cycle.stage = Stage.CUT_OFF
        cycle.save(update_fields=["stage"])
        summary = f"Cut off the flags: {len(flags)} shortlisted flag{'s' if len(flags) != 1 else ''} go into this cycle"
        if later:
            summary += f"; {len(later)} shortlisted after the cut-off go to the next cycle"
        record_decision(
            cycle,
            kind="cut_off",
            summary=summary,
            role=_role(by),
            by=by,
            reasons=(reasons or "").strip()
            or f"The cut-off time, {when_words(cycle.flag_cutoff)}, had passed.",
            data={"flags": [f.pk for f in flags], "after_cut_off": later},
        )
    return cycle


def do_open_vote(cycle: Cycle, by=None, reasons: str = "") -> Cycle:
    with transaction.atomic():
        cycle = _locked(cycle, Stage.CUT_OFF, _not_ready_or_done(cycle, Stage.CUT_OFF))
        if wait := timetable.not_yet(timetable.OPEN_VOTE, cycle, timezone.now()):
            raise ValidationError(wait)
        count = cycle.entries.count()
        if count == 0:
            raise ValidationError(
                "No flags went into this cycle at the cut-off, so there is nothing to vote on."
            )
        cycle.stage = Stage.VOTING
        cycle.save(update_fields=["stage"])
        record_decision(
            cycle,
            kind="vote_opened",
            summary=(
                f"Opened the priority vote on {count} flag{'s' if count != 1 else ''}, "
                f"until {when_words(cycle.vote_closes)}"
            ),
            role=_role(by),
            by=by,
            reasons=(reasons or "").strip()
            or f"The opening time, {when_words(cycle.vote_opens)}, had passed.",
        )
    return cycle


def do_close_vote(cycle: Cycle, by=None, reasons: str = "") -> Cycle:
    """Close the vote, count the ballots, check the count against a recount from the audit log,
    and only if they match publish the scores and send the top flags to the jury."""
    with transaction.atomic():
        cycle = _locked(cycle, Stage.VOTING, _not_ready_or_done(cycle, Stage.VOTING))
        if wait := timetable.not_yet(timetable.CLOSE_VOTE, cycle, timezone.now()):
            raise ValidationError(wait)
        tally = count_from_ballots(cycle)
        recount = recount_from_audit(cycle)
        matches = tally == recount
        if matches:
            entries = ranked(list(cycle.entries.all()), tally.votes)
            for place, entry in enumerate(entries, start=1):
                entry.votes = tally.votes.get(entry.pk, 0)
                entry.place = place
                entry.to_jury = place <= cycle.shortlist_size
            CycleEntry.objects.bulk_update(entries, ["votes", "place", "to_jury"])
            cycle.stage = Stage.VOTE_CLOSED
            cycle.scores_published_at = timezone.now()
            cycle.voters = tally.ballots
            cycle.paper_voters = tally.paper
            cycle.recount_matches = True
            cycle.recounted_at = cycle.scores_published_at
            cycle.save(
                update_fields=[
                    "stage",
                    "scores_published_at",
                    "voters",
                    "paper_voters",
                    "recount_matches",
                    "recounted_at",
                ]
            )
            to_jury = sum(1 for e in entries if e.to_jury)
            record_decision(
                cycle,
                kind="vote_closed",
                summary=(
                    f"Closed the priority vote and published the scores: "
                    f"{tally.ballots} {'person' if tally.ballots == 1 else 'people'} voted"
                    f"{f' ({tally.paper} on paper)' if tally.paper else ''}. "
                    f"The top {to_jury} flags go to the citizens' jury"
                ),
                role=_role(by),
                by=by,
                reasons=" ".join(
                    part
                    for part in (
                        (reasons or "").strip()
                        or f"The closing time, {when_words(cycle.vote_closes)}, had passed.",
                        "The ballots were counted, then counted again from the audit log: "
                        "the two counts match.",
                        TIE_RULE,
                    )
                    if part
                ),
                data={
                    "voters": tally.ballots,
                    "paper_voters": tally.paper,
                    "results": [
                        {
                            "flag": e.flag_id,
                            "votes": e.votes,
                            "place": e.place,
                            "to_jury": e.to_jury,
                        }
                        for e in entries
                    ],
                    "recount_matches": True,
                },
            )
    if not matches:
        record_audit_entry(
            actor=by,
            action="assembly.recount_mismatch",
            summary=(
                f"{cycle.name}: the recount from the audit log did not match the ballots, so the "
                "scores were not published"
            ),
            target=cycle,
            data={
                "ballots": tally.ballots,
                "recounted_ballots": recount.ballots,
                "paper": tally.paper,
                "recounted_paper": recount.paper,
            },
            public=True,
        )
        raise ValidationError(
            "The recount from the audit log does not match the ballots, so the scores have not "
            "been published. The vote stays closed to new ballots; ask an administrator to check "
            "the audit log."
        )
    return cycle


def _not_ready_or_done(cycle: Cycle, stage: str) -> str:
    if STAGE_ORDER.index(cycle.stage) > STAGE_ORDER.index(stage):
        return f"{cycle.name} has already moved past this step."
    return f"{cycle.name} is not ready for this step yet."


# The stages after the jury: the meeting, the Board's responses and the stock-take. Each is a
# move by the secretariat, with an optional note; the meetings and tracker apps fill them in.
LATER_STEPS = {
    Stage.JURY: (Stage.MEETING, "meeting_held", "Recorded that the Assembly Meeting was held"),
    Stage.MEETING: (
        Stage.RESPONDING,
        "responses_published",
        "Recorded that the Board's responses are published",
    ),
    Stage.RESPONDING: (
        Stage.STOCK_TAKE,
        "stock_take_done",
        "Recorded that the stock-take is done. This cycle is finished",
    ),
}


# The timetable action behind each later stage.
LATER_ACTIONS = {
    Stage.MEETING: timetable.MEETING_HELD,
    Stage.RESPONDING: timetable.RESPONSES_PUBLISHED,
    Stage.STOCK_TAKE: timetable.STOCK_TAKE,
}


def meeting_of(cycle: Cycle):
    """The cycle's Assembly Meeting, if the meetings app has arranged one (its start time is
    part of the timetable)."""
    try:
        return cycle.meeting
    except ObjectDoesNotExist:
        return None


def _do_later_step(cycle: Cycle, by, reasons: str) -> Cycle:
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
        target, kind, summary = LATER_STEPS[cycle.stage]
        if wait := timetable.not_yet(
            LATER_ACTIONS[target], cycle, timezone.now(), meeting_of(cycle)
        ):
            raise ValidationError(wait)
        cycle.stage = target
        cycle.save(update_fields=["stage"])
        record_decision(
            cycle, kind=kind, summary=summary, role=SECRETARIAT, by=by, reasons=reasons.strip()
        )
    return cycle


def check_move_on(*, cycle: Cycle, by, expected_stage: str, reasons: str = "") -> Cycle:
    """The secretariat's "move on" control: one step from the stage they saw on the page."""
    if cycle.stage != expected_stage:
        raise ValidationError(
            f"{cycle.name} has already moved on: it is now at “{Stage(cycle.stage).label}”."
        )
    reasons = reasons or ""
    if cycle.stage == Stage.PLANNED:
        return do_cut_off(cycle, by, reasons)
    if cycle.stage == Stage.CUT_OFF:
        return do_open_vote(cycle, by, reasons)
    if cycle.stage == Stage.VOTING:
        return do_close_vote(cycle, by, reasons)
    if cycle.stage == Stage.VOTE_CLOSED:
        raise ValidationError("Record the citizens' jury's choices to move this cycle on.")
    if cycle.stage in LATER_STEPS:
        return _do_later_step(cycle, by, reasons)
    raise ValidationError(f"{cycle.name} is finished. There is nothing more to do.")


RECHECK_AFTER = datetime.timedelta(days=1)


def do_recheck_count(cycle: Cycle) -> bool:
    """Count a published vote again, from the ballots and from the audit log alone, and store
    whether both still match the published scores. A background job (it reads every ballot);
    pages show the stored answer and when it was checked."""
    tally = count_from_ballots(cycle)
    recount = recount_from_audit(cycle)
    published = {pk: votes or 0 for pk, votes in cycle.entries.values_list("pk", "votes")}
    matches = tally == recount and recount.votes == published
    was, voters, paper = (
        Cycle.objects.filter(pk=cycle.pk)
        .values_list("recount_matches", "voters", "paper_voters")
        .first()
    )
    with transaction.atomic():
        Cycle.objects.filter(pk=cycle.pk).update(
            recount_matches=matches,
            recounted_at=timezone.now(),
            # Cycles loaded in bulk (scale data) get their number of voters here.
            voters=tally.ballots if voters is None else voters,
            paper_voters=tally.paper if paper is None else paper,
        )
        if was is not False and not matches:
            record_audit_entry(
                actor=None,
                action="assembly.recount_mismatch",
                summary=(
                    f"{cycle.name}: counting the vote again, the ballots, the audit log and the "
                    "published scores did not all match"
                ),
                target=cycle,
                data={"ballots": tally.ballots, "recounted_ballots": recount.ballots},
                public=True,
            )
    return matches


def do_recheck_counts(now: datetime.datetime | None = None) -> list[str]:
    """Check again every published vote not checked in the last day."""
    now = now or timezone.now()
    done = []
    for cycle in Cycle.objects.filter(scores_published_at__isnull=False).filter(
        Q(recounted_at__isnull=True) | Q(recounted_at__lt=now - RECHECK_AFTER)
    ):
        matches = do_recheck_count(cycle)
        done.append(f"{cycle.name}: counted again, {'matches' if matches else 'DOES NOT MATCH'}")
    return done
