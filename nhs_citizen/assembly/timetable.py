"""One timetable for an Assembly cycle: the earliest moment each step may happen, and how to
say so. Forms, services, the manage page and the public timeline all ask this module, so they
cannot disagree.

Pure: no database and no Django. Moments are put in words by core's `when_words`, like
everywhere else. It reads only the dates on the cycle (and the meeting, when one
is passed in) and the time it is given.

The rules, in UK time (Europe/London):
- The cut-off and the vote's opening and closing happen at their published times.
- A date without a time (the jury, the stock-take) starts at 00:00 UK time on that day.
- The Assembly Meeting counts as held from the moment it begins: 00:00 on its published date,
  or its arranged start time if that is later. So "meeting held" can be recorded, and the Board
  can respond to its agenda items, from then.
- The minutes are the record of the whole meeting, so they can be published once it has ended
  (and never before it counts as held).
- The Board's responses can be recorded as published once the meeting has been held.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from nhs_citizen.core.dates import LONDON, when_words

# Each action: what it does (after "You can"), and why then (ends the sentence).
CUT_OFF = "cut_off"
OPEN_VOTE = "open_vote"
CLOSE_VOTE = "close_vote"
JURY_CHOICES = "jury_choices"
MEETING_HELD = "meeting_held"
MINUTES_PUBLISHED = "minutes_published"
BOARD_RESPONSE = "board_response"
RESPONSES_PUBLISHED = "responses_published"
STOCK_TAKE = "stock_take"

WORDS = {
    CUT_OFF: ("cut off the flags", "the cut-off time as published"),
    OPEN_VOTE: ("open the vote", "the opening time as published"),
    CLOSE_VOTE: ("close the vote", "the closing time as published"),
    JURY_CHOICES: ("record the jury's choices", "the day the citizens' jury meets"),
    MEETING_HELD: (
        "record that the Assembly Meeting was held",
        "when it begins. Record it once it has been held",
    ),
    MINUTES_PUBLISHED: ("publish the minutes", "when the Assembly Meeting ends"),
    BOARD_RESPONSE: (
        "record the Board's response to this agenda item",
        "when the Assembly Meeting begins: the Board responds after the Assembly Meeting has begun",
    ),
    RESPONSES_PUBLISHED: (
        "record that the Board's responses are published",
        "when the Assembly Meeting begins",
    ),
    STOCK_TAKE: ("record that the stock-take is done", "the day of the stock-take"),
}

ACTIONS = tuple(WORDS)


def start_of_day(value: datetime.date) -> datetime.datetime:
    """00:00 UK time on a day, as an aware moment."""
    return datetime.datetime.combine(value, datetime.time(0), tzinfo=LONDON)


def meeting_begins(cycle: Any, meeting: Any = None) -> datetime.datetime:
    """When the Assembly Meeting counts as held: 00:00 on its date, or its start if later."""
    moment = start_of_day(cycle.meeting_date)
    if meeting is not None and meeting.starts_at > moment:
        moment = meeting.starts_at
    return moment


def earliest(action: str, cycle: Any, meeting: Any = None) -> datetime.datetime:
    """The earliest moment `action` may happen in this cycle."""
    if action == CUT_OFF:
        return cycle.flag_cutoff
    if action == OPEN_VOTE:
        return cycle.vote_opens
    if action == CLOSE_VOTE:
        return cycle.vote_closes
    if action == JURY_CHOICES:
        return start_of_day(cycle.jury_date)
    if action in (MEETING_HELD, BOARD_RESPONSE, RESPONSES_PUBLISHED):
        return meeting_begins(cycle, meeting)
    if action == MINUTES_PUBLISHED:
        begins = meeting_begins(cycle, meeting)
        return max(begins, meeting.ends_at) if meeting is not None else begins
    if action == STOCK_TAKE:
        return start_of_day(cycle.stocktake_date)
    raise KeyError(f"Unknown timetable action: {action}")


@dataclass(frozen=True)
class Opening:
    """Whether an action may happen now, and if not, when it opens, in words."""

    action: str
    at: datetime.datetime
    now: datetime.datetime

    @property
    def is_open(self) -> bool:
        return self.now >= self.at

    @property
    def message(self) -> str:
        """You can open the vote from 4 December 2026 at 5pm, the opening time as published."""
        verb, why = WORDS[self.action]
        return f"You can {verb} from {when_words(self.at, show='moment')}, {why}."


def opening(action: str, cycle: Any, now: datetime.datetime, meeting: Any = None) -> Opening:
    return Opening(action, earliest(action, cycle, meeting), now)


def not_yet(action: str, cycle: Any, now: datetime.datetime, meeting: Any = None) -> str | None:
    """None if `action` may happen now; otherwise the message saying when it opens."""
    found = opening(action, cycle, now, meeting)
    return None if found.is_open else found.message


# The public timeline's steps: the action whose moment it is, in the order they happen. A step
# is "done" only once the cycle has recorded it AND its moment has come.
TIMELINE_ACTIONS = (
    CUT_OFF,
    OPEN_VOTE,
    CLOSE_VOTE,
    JURY_CHOICES,
    MEETING_HELD,
    RESPONSES_PUBLISHED,
    STOCK_TAKE,
)


def step_done(action: str, recorded: bool, cycle: Any, now: datetime.datetime) -> bool:
    return recorded and now >= earliest(action, cycle)
