"""Culture-change measures per NHS body, and the league table's ranking rule.

Pure arithmetic over plain counts: no Django here, so the rules can be read, tested and
benchmarked on their own. ``culture.services.measures`` loads the counts from the database.

The words used:

- An **answer is due** when the body has answered a referred flag, or when the date it had to
  answer by has passed without an answer. A flag whose answer date is today or later, still
  waiting, is not due yet: the body still has time.
- A **commitment is due** when it is finished (done, or not done), or when its due date has
  passed while it is still open.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

# A body is recognised when it did everything due on time, and at least this much was due.
RECOGNITION_MINIMUM_DUE = 3


@dataclass(frozen=True)
class Share:
    """``part`` out of ``whole``. With nothing in the whole there is no share (not 0%)."""

    part: int
    whole: int

    @property
    def value(self) -> Fraction | None:
        return Fraction(self.part, self.whole) if self.whole else None

    @property
    def percent(self) -> int | None:
        """Rounded half up, so 2 of 3 is 67% and 1 of 8 is 13%."""
        if not self.whole:
            return None
        return (200 * self.part + self.whole) // (2 * self.whole)

    def __post_init__(self) -> None:
        if not 0 <= self.part <= self.whole:
            raise ValueError(f"A share needs 0 <= part <= whole, not {self.part} of {self.whole}")


@dataclass(frozen=True)
class ReferralCounts:
    received: int = 0
    answered: int = 0  # including "not ours, it is theirs": passing it on is an answer
    answered_on_time: int = 0
    waiting: int = 0
    overdue: int = 0  # waiting, and the date to answer by has passed


@dataclass(frozen=True)
class CommitmentCounts:
    made: int = 0
    kept: int = 0  # done
    not_done: int = 0
    open: int = 0  # not started or in progress
    overdue: int = 0  # open, and the due date has passed


@dataclass(frozen=True)
class Body:
    id: int
    name: str
    slug: str
    kind: str
    kind_label: str


def median(counts: Mapping[int, int]) -> Fraction | None:
    """The median of a distribution given as {value: how many times}. None when empty.
    With an even number of values it is halfway between the two middle ones."""
    total = sum(counts.values())
    if total == 0:
        return None
    # The middle positions, counting from 1: one for an odd total, two for an even total.
    wanted = sorted({(total + 1) // 2, total // 2 + 1})
    found: list[int] = []
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        while wanted and wanted[0] <= seen:
            wanted.pop(0)
            found.append(value)
        if not wanted:
            break
    return Fraction(sum(found), len(found))


@dataclass(frozen=True)
class BodyMeasures:
    body: Body
    referrals: ReferralCounts = ReferralCounts()
    commitments: CommitmentCounts = CommitmentCounts()
    # Days from being sent a flag to answering it: {days: how many answers}.
    days_to_answer: Mapping[int, int] = field(default_factory=dict)

    @property
    def answers_due(self) -> int:
        return self.referrals.answered + self.referrals.overdue

    @property
    def answered_on_time(self) -> Share:
        return Share(self.referrals.answered_on_time, self.answers_due)

    @property
    def median_days_to_answer(self) -> Fraction | None:
        return median(self.days_to_answer)

    @property
    def commitments_due(self) -> int:
        c = self.commitments
        return c.kept + c.not_done + c.overdue

    @property
    def commitments_kept(self) -> Share:
        return Share(self.commitments.kept, self.commitments_due)

    @property
    def overdue(self) -> int:
        """Answers and commitments late right now."""
        return self.referrals.overdue + self.commitments.overdue

    @property
    def is_ranked(self) -> bool:
        return bool(self.answers_due or self.commitments_due)

    @property
    def recognition(self) -> tuple[str, ...]:
        """Why the body is recognised, in words; empty if it is not. Nothing may be overdue."""
        if self.overdue:
            return ()
        reasons = []
        on_time = self.answered_on_time
        if on_time.whole >= RECOGNITION_MINIMUM_DUE and on_time.part == on_time.whole:
            reasons.append(f"Answered all {on_time.whole} flags on time")
        kept = self.commitments_kept
        if kept.whole >= RECOGNITION_MINIMUM_DUE and kept.part == kept.whole:
            reasons.append(f"Kept all {kept.whole} commitments that were due")
        return tuple(reasons)


def _best_first(share: Share) -> tuple[int, Fraction]:
    # Bodies with a share come before bodies with none yet; then the bigger share first.
    value = share.value
    return (1, Fraction(0)) if value is None else (0, -value)


def ranking_key(m: BodyMeasures) -> tuple:
    """The ranking rule. Smaller comes first:
    1. the share of answers given on time, biggest first;
    2. then the share of due commitments kept, biggest first.
    A body with no answers due comes after every body with some, and the same for
    commitments. Bodies equal on both share a place."""
    return (_best_first(m.answered_on_time), _best_first(m.commitments_kept))


@dataclass(frozen=True)
class Ranked:
    measures: BodyMeasures
    place: int | None  # None: nothing due yet, so not ranked
    shared: bool = False  # another body has the same place

    @property
    def place_label(self) -> str:
        if self.place is None:
            return "Not ranked yet"
        return f"={self.place}" if self.shared else str(self.place)


def rank(bodies: Iterable[BodyMeasures]) -> list[Ranked]:
    """Ranked bodies in order (ties share a place, the next place is skipped: 1, =2, =2, 4),
    then bodies with nothing due yet, by name."""
    bodies = list(bodies)
    ranked = sorted((m for m in bodies if m.is_ranked), key=lambda m: (ranking_key(m), m.body.name))
    unranked = sorted((m for m in bodies if not m.is_ranked), key=lambda m: m.body.name)
    keys = [ranking_key(m) for m in ranked]
    rows: list[Ranked] = []
    place = 0
    for index, m in enumerate(ranked):
        if index == 0 or keys[index] != keys[index - 1]:
            place = index + 1
        shared = (index > 0 and keys[index] == keys[index - 1]) or (
            index + 1 < len(keys) and keys[index] == keys[index + 1]
        )
        rows.append(Ranked(m, place, shared))
    rows.extend(Ranked(m, None) for m in unranked)
    return rows
