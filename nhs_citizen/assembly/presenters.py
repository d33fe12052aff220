"""View models for the Assembly pages: where a cycle stands in plain words, its timeline, the
vote's results and the jury's choices, and its dates as calendar events."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from nhs_citizen.assembly import ical, timetable
from nhs_citizen.assembly.models import Cycle, CycleEntry, Stage
from nhs_citizen.assembly.services import entries as entry_services
from nhs_citizen.assembly.services.vote import TIE_RULE
from nhs_citizen.core.dates import when_words


@dataclass
class Standing:
    """Where a cycle stands, and what happens next, in one or two sentences each."""

    now: str
    next: str | None


def standing(cycle: Cycle) -> Standing:
    stage = cycle.stage
    jury_size = cycle.shortlist_size
    if stage == Stage.PLANNED:
        return Standing(
            f"{cycle.name} is taking flags. Flags shortlisted by the review panel by "
            f"{when_words(cycle.flag_cutoff)} go into this cycle.",
            f"At the cut-off, {when_words(cycle.flag_cutoff)}, the flags are fixed. Flags shortlisted "
            "after that go to the next cycle.",
        )
    if stage == Stage.CUT_OFF:
        return Standing(
            "The flags for this cycle are fixed.",
            f"The priority vote opens on {when_words(cycle.vote_opens)}. People who had an account "
            "by the cut-off can vote.",
        )
    if stage == Stage.VOTING:
        return Standing(
            f"The priority vote is open until {when_words(cycle.vote_closes)}. The scores are hidden "
            "until it closes.",
            f"When the vote closes, the scores are published and the top {jury_size} flags go "
            "to the citizens' jury.",
        )
    if stage == Stage.VOTE_CLOSED:
        return Standing(
            "The vote has closed and the scores are published.",
            f"The citizens' jury meets on {when_words(cycle.jury_date, show='date')} to choose "
            f"{cycle.agenda_size} of the top {jury_size} flags for the Assembly Meeting.",
        )
    if stage == Stage.JURY:
        return Standing(
            f"The citizens' jury has chosen the {cycle.agenda_size} flags for the Assembly "
            "Meeting, and said why.",
            f"The Assembly Meeting is on {when_words(cycle.meeting_date, show='date')}.",
        )
    if stage == Stage.MEETING:
        return Standing(
            "The Assembly Meeting has been held.",
            f"The NHS England Board must respond in writing by {when_words(cycle.response_due, show='date')}.",
        )
    if stage == Stage.RESPONDING:
        return Standing(
            "The NHS England Board's responses are published.",
            f"At the stock-take on {when_words(cycle.stocktake_date, show='date')}, everyone can see what was "
            "promised and whether it was done.",
        )
    return Standing("This cycle is finished. The stock-take has been done.", None)


@dataclass
class Step:
    label: str
    when: str
    status: str  # "done", "next" or ""


def timeline(cycle: Cycle, now: datetime.datetime | None = None) -> list[Step]:
    """The cycle's steps in order. A step is "Done" only once it has been recorded AND its
    moment in the timetable has come."""
    now = now or timezone.now()
    steps = [
        ("Flag cut-off", when_words(cycle.flag_cutoff), Stage.CUT_OFF),
        ("Priority vote opens", when_words(cycle.vote_opens), Stage.VOTING),
        (
            "Priority vote closes and the scores are published",
            when_words(cycle.vote_closes),
            Stage.VOTE_CLOSED,
        ),
        (
            f"The citizens' jury chooses {cycle.agenda_size} of the top {cycle.shortlist_size} flags",
            when_words(cycle.jury_date, show="date"),
            Stage.JURY,
        ),
        ("Assembly Meeting", when_words(cycle.meeting_date, show="date"), Stage.MEETING),
        (
            "The NHS England Board's written response is due",
            when_words(cycle.response_due, show="date"),
            Stage.RESPONDING,
        ),
        (
            "Stock-take: what was promised, and was it done?",
            when_words(cycle.stocktake_date, show="date"),
            Stage.STOCK_TAKE,
        ),
    ]
    result, next_found = [], False
    for (label, moment, reached), action in zip(steps, timetable.TIMELINE_ACTIONS, strict=True):
        if timetable.step_done(action, cycle.has_reached(reached), cycle, now):
            status = "done"
        elif not next_found:
            status, next_found = "next", True
        else:
            status = ""
        result.append(Step(label, moment, status))
    return result


@dataclass
class ResultRow:
    entry: CycleEntry
    tied: bool


@dataclass
class Results:
    rows: list[ResultRow]
    voters: int
    recount_matches: bool
    paper_voters: int = 0
    recounted_at: datetime.datetime | None = None
    tie_rule: str = TIE_RULE


def results(cycle: Cycle, entries: list[CycleEntry]) -> Results | None:
    """The published scores, once the vote has closed, with the stored recount from the audit
    log (made when the vote closed and checked again daily: never counted by a page)."""
    if cycle.scores_published_at is None:
        return None
    ordered = sorted(entries, key=lambda e: e.place or 0)
    counts = Counter(e.votes for e in ordered)
    rows = [ResultRow(e, counts[e.votes] > 1) for e in ordered]
    return Results(
        rows=rows,
        voters=cycle.voters or 0,
        paper_voters=cycle.paper_voters or 0,
        recount_matches=cycle.recount_matches is not False,
        recounted_at=cycle.recounted_at,
    )


@dataclass
class CyclePage:
    cycle: Cycle
    standing: Standing
    timeline: list[Step]
    entries: list[CycleEntry]
    results: Results | None
    chosen: list[CycleEntry]
    not_chosen: list[CycleEntry]
    due_to_enter: list = field(default_factory=list)
    after_cutoff_waiting: list = field(default_factory=list)
    after_cutoff_moved: list[CycleEntry] = field(default_factory=list)
    next_cycle: Cycle | None = None
    meeting_url: str | None = None


def _meeting_url(cycle: Cycle) -> str | None:
    """The Assembly Meeting's page, once the meetings app has one for this cycle."""
    try:
        meeting = cycle.meeting
    except ObjectDoesNotExist:
        return None
    try:
        return meeting.get_absolute_url()
    except NoReverseMatch:
        return None


def cycle_page(cycle: Cycle) -> CyclePage:
    entries = list(
        cycle.entries.select_related("flag__topic", "jury_choice", "rolled_over_from").order_by(
            "place", "shortlisted_at", "pk"
        )
    )
    jury_entries = [e for e in entries if hasattr(e, "jury_choice")]
    page = CyclePage(
        cycle=cycle,
        standing=standing(cycle),
        timeline=timeline(cycle),
        entries=entries,
        results=results(cycle, entries),
        chosen=[e for e in jury_entries if e.jury_choice.chosen],
        not_chosen=[e for e in jury_entries if not e.jury_choice.chosen],
        next_cycle=entry_services.next_cycle(cycle),
        meeting_url=_meeting_url(cycle),
    )
    if cycle.stage == Stage.PLANNED:
        page.due_to_enter = list(entry_services.flags_due_to_enter(cycle))
    else:
        page.after_cutoff_waiting, page.after_cutoff_moved = entry_services.flags_after_cutoff(
            cycle
        )
    return page


def _uid(cycle: Cycle, kind: str) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "nhs-citizen"
    return f"assembly-cycle-{cycle.pk}-{kind}@{host}"


def calendar_text(cycles: list[Cycle], stamp: datetime.datetime | None = None) -> str:
    """Every cycle's dates and deadlines as an iCalendar feed."""
    events: list[ical.Event] = []
    for cycle in cycles:
        # Calendar apps update an event when its SEQUENCE goes up: once per change of the cycle.
        sequence = sum(1 for d in cycle.decisions.all() if d.kind == "cycle_changed")

        def event(kind, summary, start, end=None, description="", cycle=cycle, sequence=sequence):
            page = settings.SITE_URL + reverse("assembly:cycle_detail", args=[cycle.slug])
            events.append(
                ical.Event(
                    uid=_uid(cycle, kind),
                    summary=f"{summary} ({cycle.name})",
                    start=start,
                    end=end,
                    description=(description + "\n\n" if description else "") + page,
                    url=page,
                    sequence=sequence,
                )
            )

        event(
            "flag-cutoff",
            "NHS Citizen Assembly: flag cut-off",
            cycle.flag_cutoff,
            description="Flags shortlisted after this go to the next cycle.",
        )
        event(
            "priority-vote",
            "NHS Citizen Assembly: priority vote open",
            cycle.vote_opens,
            cycle.vote_closes,
            description=(
                f"Choose up to {cycle.max_choices} flags. Open to people who had an account "
                "and confirmed their email address by the cut-off."
            ),
        )
        event(
            "jury",
            "NHS Citizen Assembly: citizens' jury",
            cycle.jury_date,
            description=f"The jury chooses {cycle.agenda_size} of the top {cycle.shortlist_size} flags.",
        )
        event("meeting", "NHS Citizen Assembly Meeting", cycle.meeting_date)
        event(
            "board-response",
            "NHS England Board's written response due",
            cycle.response_due,
        )
        event("stock-take", "NHS Citizen Assembly: stock-take", cycle.stocktake_date)
    return ical.calendar(
        events,
        name="NHS Citizen Assembly dates",
        product="-//NHS Citizen//Assembly cycles//EN",
        stamp=stamp or timezone.now(),
    )
