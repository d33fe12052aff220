"""Is a topic rising? A test of the latest periods against the topic's own past. No Django.

Counts are treated as Poisson. The test is the exact conditional test for two Poisson rates:
given the total count N over the whole history, if the rate has not changed then the recent
count is Binomial(N, r / (r + m)), where r is the number of recent periods and m the number
of earlier ones. This needs no estimate of the past rate, so it stays correct when the past
is short or all zeros (a topic that was silent and now has 8 comments is rising; one that had
1 last week and 3 this week is not).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy.stats import binom

__all__ = ["Trend", "rising"]


@dataclass(frozen=True)
class Trend:
    recent: int  # count in the recent window
    expected: float  # mean count per earlier period x recent periods (nan without history)
    ratio: float  # recent / expected (inf if expected is 0; 1.0 if both are 0; nan without history)
    p_value: float  # one-sided: chance of a recent count at least this high if nothing changed
    rising: bool  # p_value < alpha, recent >= min_recent and recent > expected


def rising(
    counts: list[int], recent_periods: int = 1, alpha: float = 0.01, min_recent: int = 5
) -> Trend:
    """Is the sum of the last `recent_periods` counts significantly above the earlier rate?

    `counts` are per period, oldest first. With no earlier periods there is nothing to
    compare with: expected and ratio are nan, p_value is 1 and rising is False.
    """
    if recent_periods < 1:
        raise ValueError("recent_periods must be at least 1")
    values = [int(c) for c in counts]
    if any(c < 0 for c in values):
        raise ValueError("counts must not be negative")
    recent_counts = values[-recent_periods:]
    past = values[: max(len(values) - recent_periods, 0)]
    recent = sum(recent_counts)
    r = len(recent_counts)
    m = len(past)
    if m == 0 or r == 0:
        return Trend(recent, math.nan, math.nan, 1.0, False)

    expected = sum(past) / m * r
    if expected > 0:
        ratio = recent / expected
    else:
        ratio = math.inf if recent > 0 else 1.0
    total = recent + sum(past)
    p_value = float(binom.sf(recent - 1, total, r / (r + m))) if recent > 0 else 1.0
    p_value = min(max(p_value, 0.0), 1.0)
    is_rising = p_value < alpha and recent >= min_recent and recent > expected
    return Trend(recent, float(expected), float(ratio), p_value, bool(is_rising))
