"""Round a distribution over panels to a uniform lottery over m panels.

A published lottery is a list of m panels; the draw picks one of them, each with chance 1/m, so
anyone can check each volunteer's chance by counting. Following Flanigan, Kehne and Procaccia,
"Fair sortition made transparent" (NeurIPS 2021), we choose whole numbers of copies c_P of the
panels, adding up to m, so that everyone's count stays between floor(m * p_i) and
ceil(m * p_i), where p_i is their probability in the optimal distribution. Then nobody loses
more than 1/m, and the minimum probability drops by less than 1/m.

We solve this as an integer program on HiGHS over seats per group, then turn it into concrete
panels: within each group, seats go to members in turn, so members of a group differ by at most
one panel.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import highspy
import numpy as np

from nhs_citizen.core.words import count_words

from ._highs import (
    INF,
    OutOfTime,
    PanelProgram,
    column_matrix,
    past,
    quiet_highs,
    quota_keys,
    seconds_left,
)
from .model import Distribution, Problem, canonical_panels_json

DEFAULT_PANELS = 1000
# Seconds rounding may take in all (a real wall-clock deadline, checked throughout).
DEFAULT_TIME_LIMIT = 60.0
EXCESS_COST = 1000.0
OBJECTIVE_TARGET = 1.0 + 1e-9
# Slack for floating point when counts are compared with m * p.
TOLERANCE = 1e-9
# Rounding aims a hair inside the promise, so that the lottery still keeps it when the
# probabilities are published rounded (to 12 decimals: m * p changes by at most 5e-10 for
# m <= 1000): bands within 1 + BAND_SLACK of m * p, and the guarantee floor(m p_min + ...)
# taken with GUARANTEE_SLACK.
BAND_SLACK = 4e-10
GUARANTEE_SLACK = 2e-9
# How many problems ``guarantee_problems`` lists by name before "and N more".
MAX_LISTED = 5


class RoundingError(ValueError):
    """Rounding could not make a lottery that keeps its promise to everyone in the time allowed.
    The message is plain English, for the people running the draw."""


def _percent(p: float) -> str:
    return f"{100 * p:.2f}%"


def guarantee_problems(
    panels: Sequence[Sequence[str]],
    probabilities: Mapping[str, float],
    m: int | None = None,
) -> list[str]:
    """Plain-English reasons why ``panels`` (a lottery: the draw picks one of them, each with
    chance 1/m) breaks the promise made by rounding ``probabilities``; empty when it keeps it.

    The promise, for every person i with probability p_i: i is on at least floor(m * p_min) of
    the m panels (p_min is the lowest probability), and on m * p_i panels give or take at most
    one. Also checked: the lottery has m panels, nobody is on a panel twice, everyone on a panel
    has a probability, and every probability is a number from 0 to 1. Pure: no solver."""
    found: list[str] = []
    panels = list(panels)
    if m is None:
        m = len(panels)
    if not panels:
        return ["The lottery has no panels."]
    if len(panels) != m:
        found.append(f"The lottery has {count_words(len(panels), 'panel')}, not {m}.")
    if not probabilities:
        return [*found, "There are no probabilities to check the lottery against."]
    bad = sorted(
        pid
        for pid, p in probabilities.items()
        if not (math.isfinite(p) and -TOLERANCE <= p <= 1 + TOLERANCE)
    )
    if bad:
        found.append(
            f"{count_words(len(bad), 'person has', 'people have')} a probability that is not "
            "a number from 0 to 1 "
            f"(for example {bad[0]})."
        )
        return _capped(found)
    counts: Counter[str] = Counter()
    twice: list[tuple[int, str]] = []
    unknown: set[str] = set()
    for number, panel in enumerate(panels, start=1):
        seen: set[str] = set()
        for pid in panel:
            if pid in seen:
                twice.append((number, pid))
            seen.add(pid)
            if pid not in probabilities:
                unknown.add(pid)
        counts.update(seen)
    for number, pid in twice:
        found.append(f"Person {pid} is on panel {number} twice.")
    for pid in sorted(unknown):
        found.append(f"Person {pid} is on a panel but has no probability, so is not in the pool.")
    p_min = min(probabilities.values())
    promised = math.floor(m * p_min + TOLERANCE)
    for pid in sorted(probabilities):
        count = counts.get(pid, 0)
        fair = m * probabilities[pid]
        if count < promised:
            found.append(
                f"Person {pid} is on {count} of the {m} panels, fewer than the {promised} "
                f"everyone was promised (the lowest chance, {_percent(p_min)}, of {m}, "
                "rounded down)."
            )
        elif count < fair - 1 - TOLERANCE:
            found.append(
                f"Person {pid} is on {count} of the {m} panels, more than one fewer than their "
                f"fair share of {fair:.2f} (a chance of {_percent(probabilities[pid])})."
            )
        if count > fair + 1 + TOLERANCE:
            found.append(
                f"Person {pid} is on {count} of the {m} panels, more than one more than their "
                f"fair share of {fair:.2f} (a chance of {_percent(probabilities[pid])})."
            )
    return _capped(found)


def _breaks(panels: Sequence[Sequence[str]], probabilities: Mapping[str, float], m: int) -> int:
    """How many people are outside their band (for comparing two lotteries)."""
    counts = Counter(pid for panel in panels for pid in panel)
    promised = math.floor(m * min(probabilities.values()) + TOLERANCE)
    return sum(
        1
        for pid, p in probabilities.items()
        if counts.get(pid, 0) < promised or abs(counts.get(pid, 0) - m * p) > 1 + TOLERANCE
    )


def _capped(found: list[str]) -> list[str]:
    if len(found) <= MAX_LISTED:
        return found
    return [*found[:MAX_LISTED], f"And {len(found) - MAX_LISTED} more problems like these."]


@dataclass(frozen=True)
class Lottery:
    """m panels, each a sorted tuple of ids, in a canonical order. The draw picks one."""

    problem: Problem
    panels: tuple[tuple[str, ...], ...]
    # Each person's probability in the distribution that was rounded (for the loss).
    target: dict[str, float]
    method: str = "leximin"
    # Largest amount, in seats per member, by which the integer program had to miss the
    # floor/ceiling bounds (0.0 when it met them all, which is the usual case).
    shortfall: float = 0.0

    @property
    def m(self) -> int:
        return len(self.panels)

    @cached_property
    def counts(self) -> dict[str, int]:
        counts = Counter(member for panel in self.panels for member in panel)
        return {p.id: counts.get(p.id, 0) for p in self.problem.people}

    @cached_property
    def probabilities(self) -> dict[str, float]:
        """Each volunteer's chance in the lottery: panels that include them, out of m."""
        return {person: count / self.m for person, count in self.counts.items()}

    @property
    def min_probability(self) -> float:
        return min(self.probabilities.values())

    @property
    def loss(self) -> float:
        """How much the minimum probability dropped by rounding."""
        return min(self.target.values()) - self.min_probability

    @property
    def max_deviation(self) -> float:
        return max(abs(self.probabilities[i] - p) for i, p in self.target.items())

    @cached_property
    def digest(self) -> str:
        """SHA-256 of the canonical JSON of the panels: what the seed is tied to."""
        return hashlib.sha256(canonical_panels_json(self.panels).encode()).hexdigest()


def lottery_from_panels(
    problem: Problem,
    panels: Sequence[Sequence[str]],
    target: dict[str, float] | None = None,
    method: str = "",
) -> Lottery:
    """A lottery from concrete panels (for example one rounded by another library)."""
    ordered = tuple(sorted(tuple(sorted(p)) for p in panels))
    target = target if target is not None else {p.id: 0.0 for p in problem.people}
    return Lottery(problem=problem, panels=ordered, target=target, method=method)


def round_to_lottery(
    distribution: Distribution,
    m: int = DEFAULT_PANELS,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
    use_spare_panels: bool = False,
) -> Lottery:
    """Round ``distribution`` to a uniform lottery over ``m`` panels that keeps the promise
    ``guarantee_problems`` checks: everyone is on at least floor(m * p_min) panels (so the
    minimum probability drops by less than 1/m) and on m * p_i panels give or take one.

    ``time_limit`` is a wall-clock budget for the whole rounding, checked inside HiGHS and in
    every loop, so it holds on a busy machine too. Raises ``RoundingError`` (plain English)
    when no lottery that keeps the promise was found in time: it never returns one that breaks
    it.

    Steps: an integer program chooses whole copies of the distribution's panels (starting from
    a greedy rounding); a person-level repair swaps people between panels; if people are still
    short (tight quotas), the lottery is rebuilt with new panels chosen for who is short."""
    if m < 1:
        raise ValueError("A lottery needs at least one panel.")
    if not time_limit > 0:
        raise ValueError("The time limit for rounding must be more than 0 seconds.")
    start = time.perf_counter()
    deadline = start + float(time_limit)
    compiled = distribution.compiled
    sizes = np.array(compiled.sizes, dtype=np.float64)
    probabilities = np.array(distribution.group_probabilities)
    compositions = list(distribution.compositions)
    if use_spare_panels:
        compositions += list(distribution.spare_compositions)
    target = dict(distribution.probabilities)
    guarantee = math.floor(m * min(target.values()) + GUARANTEE_SLACK)
    # A little time for the integer program (after the first second or two it rarely gains
    # much on what the repair does faster), then the repair up to half the time.
    copies, _ = _whole_copies(
        compositions, distribution.weights, probabilities, sizes, m, min(0.15 * time_limit, 3.0)
    )
    panels = _concrete_panels(compiled.groups, compositions, copies)
    repair = _Repair(distribution.problem, panels, target, m, guarantee)
    panels, _ = repair.run(deadline=start + 0.5 * time_limit)
    problems = guarantee_problems(panels, target, m)
    if problems and not past(deadline):
        # Tight (for example exact) quotas: the panels of the distribution cannot be mixed
        # well enough. Build the lottery again, adding new panels chosen for who is short.
        budget = deadline - time.perf_counter()
        try:
            filled = _fill_with_new_panels(
                distribution, m, time.perf_counter() + 0.6 * budget, deadline
            )
        except OutOfTime:
            filled = None
        if filled is not None:
            filled_panels = _concrete_panels(compiled.groups, *filled)
            repair = _Repair(distribution.problem, filled_panels, target, m, guarantee)
            other, _ = repair.run(deadline=deadline)
            other_problems = guarantee_problems(other, target, m)
            if _breaks(other, target, m) < _breaks(panels, target, m):
                panels, problems = other, other_problems
    if problems:
        seconds = time.perf_counter() - start
        late = " in the time allowed" if seconds >= time_limit else ""
        raise RoundingError(
            f"Could not make a lottery of {m} panels that keeps its promise to everyone{late} "
            f"(it took {seconds:.1f} seconds). Nothing was published. "
            "Try again with more time, or check the quotas. " + " ".join(problems)
        )
    if any(len(set(panel)) != len(panel) for panel in panels):  # cannot happen; never publish
        raise RoundingError("Rounding put someone on a panel twice. Nothing was published.")
    return Lottery(
        problem=distribution.problem,
        panels=tuple(sorted(panels)),
        target=target,
        method=distribution.method,
        shortfall=0.0,
    )


def _bands(probabilities: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Per group, the fewest and most panels each member may be on: at least floor(m p_min)
    and m p - 1, at most m p + 1 (whole numbers)."""
    fair = m * probabilities
    guarantee = math.floor(m * float(probabilities.min()) + GUARANTEE_SLACK)
    lowest = np.maximum(np.ceil(fair - 1 - BAND_SLACK), guarantee)
    highest = np.floor(fair + 1 + BAND_SLACK)
    return lowest, highest


def _whole_copies(
    compositions: list[tuple[int, ...]],
    weights: Sequence[float],
    probabilities: np.ndarray,
    sizes: np.ndarray,
    m: int,
    time_limit: float,
) -> tuple[list[int], float]:
    """Integer copies per composition, adding up to m.

    Hard (with heavily penalised slacks, so there is always an answer): every group's seats
    per member stay in its band (``_bands``); members of a group then get whole numbers of
    panels in the band too, since they differ by at most one. Soft: every group's seats per
    member stay as close as possible to m * p_g (minimise the largest miss)."""
    num_groups = len(sizes)
    num_panels = len(compositions)
    target = m * probabilities * sizes  # seats each group should get across the m panels
    lowest, highest = _bands(probabilities, m)
    # Columns: copies per composition | miss below per group | miss above per group |
    #          shortfall below the band per group | excess above the band | largest miss.
    below0 = num_panels
    above0 = below0 + num_groups
    short0 = above0 + num_groups
    excess0 = short0 + num_groups
    worst = excess0 + num_groups
    num_col = worst + 1
    # Rows: 0: copies add up to m | 1+g: seats - above + below = target |
    #       1+G+g: seats + shortfall >= size * lowest | 1+2G+g: (below + above) / size <= worst
    #       1+3G+g: seats - excess <= size * highest
    num_row = 1 + 4 * num_groups
    columns: list[list[tuple[int, float]]] = []
    for composition in compositions:
        seats = [(g, float(n)) for g, n in enumerate(composition) if n]
        columns.append(
            [(0, 1.0)]
            + [(1 + g, n) for g, n in seats]
            + [(1 + num_groups + g, n) for g, n in seats]
            + [(1 + 3 * num_groups + g, n) for g, n in seats]
        )
    for g in range(num_groups):
        columns.append([(1 + g, 1.0), (1 + 2 * num_groups + g, 1.0 / sizes[g])])
    for g in range(num_groups):
        columns.append([(1 + g, -1.0), (1 + 2 * num_groups + g, 1.0 / sizes[g])])
    for g in range(num_groups):
        columns.append([(1 + num_groups + g, 1.0)])
    for g in range(num_groups):
        columns.append([(1 + 3 * num_groups + g, -1.0)])
    columns.append([(1 + 2 * num_groups + g, -1.0) for g in range(num_groups)])
    cost = np.zeros(num_col)
    cost[short0:excess0] = 1000.0 / sizes
    cost[excess0:worst] = EXCESS_COST / sizes
    cost[worst] = 1.0
    lp = highspy.HighsLp()
    lp.num_col_ = num_col
    lp.num_row_ = num_row
    lp.col_cost_ = cost
    # Each composition keeps its whole copies m * weight give or take a little: the integer
    # program then only has to place the fractional remainders, which it does far faster than
    # searching over every split of m copies (and the relaxation stays tight).
    padded = [*weights, *[0.0] * (num_panels - len(weights))]
    base = np.floor(m * np.asarray(padded, dtype=np.float64) + 1e-9)
    low = np.maximum(0.0, base - 1.0)
    high = np.minimum(float(m), base + 2.0)
    lp.col_lower_ = np.concatenate([low, np.zeros(4 * num_groups + 1)])
    lp.col_upper_ = np.concatenate([high, np.full(4 * num_groups + 1, INF)])
    lp.row_lower_ = np.concatenate(
        [[float(m)], target, sizes * lowest, np.full(num_groups, -INF), np.full(num_groups, -INF)]
    )
    lp.row_upper_ = np.concatenate(
        [[float(m)], target, np.full(num_groups, INF), np.zeros(num_groups), sizes * highest]
    )
    lp.a_matrix_ = column_matrix(columns, num_row)
    lp.integrality_ = [highspy.HighsVarType.kInteger] * num_panels + [
        highspy.HighsVarType.kContinuous
    ] * (4 * num_groups + 1)
    # Good enough, and stop there: every group in its band (each seat outside costs far more
    # than 1), and every group within one panel per member of its fair share.
    h = quiet_highs(time_limit=max(0.01, float(time_limit)), objective_target=OBJECTIVE_TARGET)
    h.passModel(lp)
    # Start from a greedy rounding, so there is always a good answer to improve on.
    start = _greedy_copies(compositions, padded, target, sizes, lowest, highest, m, high)
    start_values = _start_values(compositions, start, target, sizes, lowest, highest)
    solution = highspy.HighsSolution()
    solution.col_value = start_values
    h.setSolution(solution)
    h.run()
    values = h.getSolution().col_value if h.getInfo().primal_solution_status == 2 else start_values
    copies = [int(round(v)) for v in values[:num_panels]]
    if sum(copies) != m or min(copies) < 0:  # cannot happen with an integral solution
        copies = start
    seats = np.zeros(num_groups)
    for composition, number in zip(compositions, copies, strict=True):
        if number:
            seats += number * np.asarray(composition, dtype=np.float64)
    shortfall = float(np.maximum(0.0, sizes * lowest - seats).max(initial=0.0))
    return copies, shortfall


def _start_values(compositions, copies, target, sizes, lowest, highest) -> list[float]:
    seats = np.zeros(len(sizes))
    for composition, number in zip(compositions, copies, strict=True):
        if number:
            seats += number * np.asarray(composition, dtype=np.float64)
    below = np.maximum(0.0, target - seats)
    above = np.maximum(0.0, seats - target)
    short = np.maximum(0.0, sizes * lowest - seats)
    excess = np.maximum(0.0, seats - sizes * highest)
    worst = float(((below + above) / sizes).max(initial=0.0))
    return (
        [float(c) for c in copies]
        + list(below)
        + list(above)
        + list(short)
        + list(excess)
        + [worst]
    )


def _greedy_copies(compositions, weights, target, sizes, lowest, highest, m, high) -> list[int]:
    """Whole copies m * weight rounded down, then the remaining copies one by one, each to the
    composition that most reduces the shortfall below the bands without going above them, and
    then the squared miss sum_g (target_g - seats_g)^2 / size_g."""
    seats_matrix = np.array(compositions, dtype=np.float64).T  # groups x compositions
    copies = [math.floor(m * w + 1e-9) for w in weights]
    seats = seats_matrix @ np.array(copies, dtype=np.float64)
    floor_seats = sizes * lowest
    ceiling_seats = sizes * highest
    squares = (seats_matrix**2 / sizes[:, None]).sum(axis=0)
    for _ in range(m - sum(copies)):
        miss = target - seats
        short = np.maximum(0.0, floor_seats - seats)
        room = np.maximum(0.0, ceiling_seats - seats)
        gain_short = np.minimum(seats_matrix, short[:, None]).sum(axis=0)
        over = np.maximum(0.0, seats_matrix - room[:, None]).sum(axis=0)
        change = squares - 2 * (miss / sizes) @ seats_matrix
        full = np.array(copies, dtype=np.float64) >= high
        j = int(np.argmin(np.where(full, np.inf, change - 1e6 * (gain_short - over))))
        copies[j] += 1
        seats += seats_matrix[:, j]
    return copies


def _fill_with_new_panels(
    distribution: Distribution, m: int, deadline: float, hard_deadline: float | None = None
) -> tuple[list[tuple[int, ...]], list[int]]:
    """Whole copies m * weight rounded down, then the remaining copies one at a time, each a
    panel found by local search (and, when that is not enough, the integer program) for the
    groups furthest below the guarantee and then furthest below their fair share. Unlike
    ``_whole_copies`` this may use panels the distribution does not have."""
    compiled = distribution.compiled
    sizes = np.array(compiled.sizes, dtype=np.float64)
    probabilities = np.array(distribution.group_probabilities)
    target = m * probabilities * sizes
    guarantee = sizes * math.floor(m * float(probabilities.min()) + 1e-9)
    compositions = list(distribution.compositions)
    copies = [math.floor(m * w + 1e-9) for w in distribution.weights]
    matrix = np.array(compositions, dtype=np.float64)  # panels x groups
    seats = matrix.T @ np.array(copies, dtype=np.float64)
    program = PanelProgram(compiled)
    # Filling must finish (it is cheap); mending stops at ``deadline``. The integer program is
    # never allowed past ``hard_deadline``: it raises OutOfTime instead.
    program.deadline = hard_deadline if hard_deadline is not None else deadline
    index = {c: i for i, c in enumerate(compositions)}
    for _ in range(m - sum(copies)):
        if past(program.deadline):
            raise OutOfTime("The time limit passed while filling the lottery.")
        short = guarantee - seats > 1e-9
        weights = np.where(short, 1000.0, 0.0) + (target - seats) / sizes
        start = compositions[int(np.argmax(matrix @ weights))]
        found = program.exchange(weights, start)
        best = found[0] if found else start
        if float(np.dot(weights, best)) < float(np.dot(weights, start)) + 1e-12 and short.any():
            mip = program.best(weights)
            if mip is not None and float(np.dot(weights, mip[0])) > float(np.dot(weights, best)):
                best = mip[0]
        if best not in index:
            index[best] = len(compositions)
            compositions.append(best)
            copies.append(0)
            matrix = np.vstack([matrix, np.asarray(best, dtype=np.float64)])
        copies[index[best]] += 1
        seats += np.asarray(best, dtype=np.float64)
    _mend(program, compositions, copies, target, guarantee, sizes, deadline)
    return compositions, copies


def _mend(program, compositions, copies, target, guarantee, sizes, deadline) -> None:
    """Swap whole panels while some group is below the guarantee: take out one copy of a panel
    and put in the panel (local search, then the integer program) that best covers everyone
    the swap would leave short. A swap is kept only when the total shortfall goes down."""
    matrix = np.array(compositions, dtype=np.float64)
    seats = matrix.T @ np.array(copies, dtype=np.float64)

    def total_short(s: np.ndarray) -> float:
        return float(np.maximum(0.0, guarantee - s).sum())

    index = {c: i for i, c in enumerate(compositions)}
    while total_short(seats) > 1e-9 and time.perf_counter() < deadline:
        current = total_short(seats)
        used = [i for i, c in enumerate(copies) if c > 0]
        # Panels whose removal leaves the fewest new shortfalls first.
        after = seats[None, :] - matrix[used]
        cost = np.maximum(0.0, guarantee[None, :] - after).sum(axis=1)
        improved = False
        for k in np.argsort(cost, kind="stable")[:25]:
            if time.perf_counter() > deadline:
                break
            i = used[int(k)]
            rest = seats - matrix[i]
            need = np.maximum(0.0, guarantee - rest)
            weights = 1000.0 * np.minimum(need, 1.0) + (target - rest) / sizes
            found = program.exchange(weights, compositions[i])
            best = found[0] if found else compositions[i]
            if total_short(rest + np.asarray(best, dtype=np.float64)) >= current - 1e-9:
                saved = program.deadline
                program.deadline = deadline
                try:
                    mip = program.best(weights)
                except OutOfTime:
                    return
                finally:
                    program.deadline = saved
                if mip is not None:
                    best = mip[0]
            if total_short(rest + np.asarray(best, dtype=np.float64)) < current - 1e-9:
                if best not in index:
                    index[best] = len(compositions)
                    compositions.append(best)
                    copies.append(0)
                    matrix = np.vstack([matrix, np.asarray(best, dtype=np.float64)])
                copies[i] -= 1
                copies[index[best]] += 1
                seats = rest + np.asarray(best, dtype=np.float64)
                improved = True
                break
        if not improved:
            return


def _concrete_panels(
    groups, compositions: list[tuple[int, ...]], copies: list[int]
) -> list[tuple[str, ...]]:
    """Give each group's seats to its members in turn, panel after panel, so that members of a
    group are on the same number of panels, give or take one."""
    next_member = [0] * len(groups)
    panels = []
    for composition, number in zip(compositions, copies, strict=True):
        for _ in range(number):
            panel: list[str] = []
            for g, seats in enumerate(composition):
                if not seats:
                    continue
                members = groups[g].members
                start = next_member[g]
                panel += [members[(start + i) % len(members)] for i in range(seats)]
                next_member[g] = (start + seats) % len(members)
            panels.append(tuple(sorted(panel)))
    return panels


class _Repair:
    """Person-level repair of a lottery by swaps: in one panel, one member makes way for one
    person not on it, when every quota and the household rule still hold. First nobody may be
    on fewer than ``guarantee`` panels (this bounds the loss of the minimum by 1/m); then people
    below floor(m p) take panels from people above ceil(m p)."""

    def __init__(
        self,
        problem: Problem,
        panels: list[tuple[str, ...]],
        target: dict[str, float],
        m: int,
        guarantee: int,
    ):
        self.problem = problem
        compiled = problem.compiled
        self.ids = [p.id for p in problem.people]
        self.index = {pid: i for i, pid in enumerate(self.ids)}
        n, q = len(self.ids), len(problem.quotas)
        self.rows = np.zeros((n, q), dtype=np.float64)
        for i, pid in enumerate(self.ids):
            self.rows[i, list(compiled.groups[compiled.group_of[pid]].quota_rows)] = 1.0
        households = {}
        self.household = np.full(n, -1, dtype=np.int64)
        for i, person in enumerate(problem.people):
            if person.household is not None:
                self.household[i] = households.setdefault(person.household, len(households))
        self.lower = np.array([qq.min for qq in problem.quotas], dtype=np.float64)
        self.upper = np.array([qq.max for qq in problem.quotas], dtype=np.float64)
        # One row per panel; ``self.panels`` holds views of the rows, so changes show in both.
        self.matrix = np.array([[self.index[x] for x in panel] for panel in panels], dtype=np.int64)
        self.panels = list(self.matrix)
        # Each person's quota rows, padded with a row number past the last (a column of zeros).
        width = int(self.rows.sum(axis=1).max(initial=0))
        self.quota_rows = np.full((n, max(width, 1)), q, dtype=np.int64)
        for i in range(n):
            found = np.nonzero(self.rows[i])[0]
            self.quota_rows[i, : len(found)] = found
        self.members = [set(p.tolist()) for p in self.panels]
        self.quota_counts = np.array([self.rows[p].sum(axis=0) for p in self.panels])
        self.counts = np.zeros(n, dtype=np.int64)
        for p in self.panels:
            self.counts[p] += 1
        self.target = np.array([m * target[pid] for pid in self.ids])
        self.guarantee = guarantee
        # For exchanges of two for two: people keyed by the quotas they count towards (sums
        # of random 64-bit numbers per quota row; every match is checked exactly).
        self.key = quota_keys(self.rows)
        self.key_order = np.argsort(self.key, kind="stable")
        self.sorted_keys = self.key[self.key_order]
        self.pair_left, self.pair_right = np.triu_indices(
            len(self.panels[0]) if self.panels else 0, 1
        )
        self.deadline: float | None = None
        self._rng = np.random.default_rng(20261204)
        # The promise (aiming a hair inside it): within one panel of m * p, and never below
        # the guarantee.
        self.lowest = np.maximum(np.ceil(self.target - 1 - BAND_SLACK), guarantee)
        self.highest = np.floor(self.target + 1 + BAND_SLACK)

    def _swap_into(self, b: int, donor_floor: np.ndarray) -> bool:
        """Put person b on one more panel, taking the seat of a member whose count stays at or
        above ``donor_floor``; prefer the member furthest above their fair share. All panels
        are looked at at once (arrays of panels x seats)."""
        if past(self.deadline) or not len(self.panels):
            return False
        P = self.matrix
        m, k = P.shape
        fine = (self.counts[P] - 1 >= donor_floor[P]) & ~(P == b).any(axis=1)[:, None]
        if self.household[b] >= 0:
            mates = self.household[P] == self.household[b]
            number = mates.sum(axis=1)
            # A housemate on the panel: only they may make way for b. Two: no room at all.
            fine &= np.where((number == 1)[:, None], mates, number[:, None] == 0)
        if not fine.any():
            return False
        cannot_add = (self.quota_counts + 1 > self.upper).astype(np.float64)
        cannot_remove = (self.quota_counts - 1 < self.lower).astype(np.float64)
        rows_b = self.rows[b]
        added = cannot_add * rows_b  # b joins a row that is full ...
        # ... unless the member who leaves is in it too; a member leaving a row at its minimum
        # that b is not in breaks it.
        value = np.concatenate([cannot_remove * (1.0 - rows_b) - added, np.zeros((m, 1))], axis=1)
        rows_of = self.quota_rows[P].reshape(m, -1)
        per_member = np.take_along_axis(value, rows_of, axis=1).reshape(m, k, -1).sum(axis=2)
        bad = added.sum(axis=1)[:, None] + per_member
        fine &= bad < 0.5
        if not fine.any():
            return False
        surplus = np.where(fine, self.counts[P] - self.target[P], -np.inf)
        j, slot = divmod(int(np.argmax(surplus)), k)
        a = int(P[j, slot])
        P[j, slot] = b
        self.members[j].discard(a)
        self.members[j].add(b)
        self.quota_counts[j] += self.rows[b] - self.rows[a]
        self.counts[a] -= 1
        self.counts[b] += 1
        return True

    # Pairs of seats looked at in one go by ``_pair_into`` (panels x pairs on a panel), so that
    # large panels stay quick: 200 seats make about 20,000 pairs per panel.
    PAIR_CHUNK = 500_000

    def _pair_into(
        self, b: int, donor_floor: np.ndarray, must_give: np.ndarray | None = None
    ) -> bool:
        """Put person b on one more panel by an exchange of two for two: on a panel without b,
        members a and c make way for b and one more person d, where a and c count towards
        exactly the quotas that b and d count towards (so every quota count stays the same).
        This is the move that works when quotas are exact and no single swap is possible.
        Prefers donors furthest above their fair share, and a d furthest below theirs; d must
        stay within one panel of their fair share. With ``must_give``, a or c must be one of
        those people. Looks at ``PAIR_CHUNK`` pairs of seats at most."""
        if not len(self.pair_left):
            return False
        pairs = len(self.pair_left)
        chunk = max(1, self.PAIR_CHUNK // pairs)
        can_give = self.counts - 1 >= donor_floor
        if must_give is not None:
            can_give &= (self.counts - 1 >= self.lowest) | must_give
        surplus = self.counts - self.target
        # Panels with b on them, or with too few people who can give, cannot help.
        useful = [
            j
            for j, panel in enumerate(self.panels)
            if b not in self.members[j]
            and can_give[panel].sum() >= 2
            and (must_give is None or must_give[panel].any())
        ]
        # One chunk at most: with large panels this is a sample of the panels (the whole-panel
        # swaps of ``_replace_panel`` deal with what it misses), with small ones all of them.
        for first in range(0, min(len(useful), chunk), chunk):
            if past(self.deadline):
                return False
            rows = np.array(useful[first : first + chunk])
            panels = self.matrix[rows]
            a = panels[:, self.pair_left]
            c = panels[:, self.pair_right]
            usable = can_give[a] & can_give[c]
            if must_give is not None:
                usable &= must_give[a] | must_give[c]
            if not usable.any():
                continue
            with np.errstate(over="ignore"):
                wanted = self.key[a] + self.key[c] - self.key[b]
            low = np.searchsorted(self.sorted_keys, wanted, side="left")
            high = np.searchsorted(self.sorted_keys, wanted, side="right")
            usable &= high > low
            if not usable.any():
                continue
            score = np.where(usable, surplus[a] + surplus[c], -np.inf)
            order = np.argsort(-score, axis=None)
            for tried, flat in enumerate(order[:20000]):
                if not np.isfinite(score.flat[flat]):
                    break
                if tried % 64 == 0 and past(self.deadline):
                    return False
                row, pair = divmod(int(flat), a.shape[1])
                j = int(rows[row])
                ai, ci = int(a[row, pair]), int(c[row, pair])
                candidates = self.key_order[low[row, pair] : high[row, pair]]
                best_d = None
                for d in candidates[np.argsort(surplus[candidates], kind="stable")]:
                    d = int(d)
                    if d == b or d in self.members[j] or self.counts[d] + 1 > self.highest[d]:
                        continue
                    if not np.array_equal(
                        self.rows[ai] + self.rows[ci], self.rows[b] + self.rows[d]
                    ):
                        continue
                    if not self._households_fit(j, (ai, ci), (b, d)):
                        continue
                    best_d = d
                    break
                if best_d is None:
                    continue
                self._exchange(j, (ai, ci), (b, best_d))
                return True
        return False

    def _people_program(self) -> highspy.Highs:
        """A person-level integer program whose solutions are the valid panels (one binary per
        person: panel size, quotas, one per household), built once and reused."""
        if getattr(self, "_program", None) is not None:
            return self._program
        n = len(self.ids)
        households = sorted({int(h) for h in self.household if h >= 0})
        household_row = {h: 1 + len(self.lower) + i for i, h in enumerate(households)}
        num_row = 1 + len(self.lower) + len(households)
        columns = []
        for i in range(n):
            column = [(0, 1.0)] + [(1 + int(r), 1.0) for r in np.nonzero(self.rows[i])[0]]
            if self.household[i] >= 0:
                column.append((household_row[int(self.household[i])], 1.0))
            columns.append(column)
        k = float(self.matrix.shape[1])
        lp = highspy.HighsLp()
        lp.num_col_ = n
        lp.num_row_ = num_row
        lp.col_cost_ = np.zeros(n)
        lp.col_lower_ = np.zeros(n)
        lp.col_upper_ = np.ones(n)
        lp.row_lower_ = np.concatenate([[k], self.lower, np.zeros(len(households))])
        lp.row_upper_ = np.concatenate([[k], self.upper, np.ones(len(households))])
        lp.a_matrix_ = column_matrix(columns, num_row)
        lp.integrality_ = [highspy.HighsVarType.kInteger] * n
        self._program = quiet_highs(mip_rel_gap=0.05)
        self._program.passModel(lp)
        return self._program

    def _breaks(self) -> int:
        return int(((self.counts < self.lowest) | (self.counts > self.highest)).sum())

    def _replace_panel(self, tries: int = 400, relaxed: bool = False) -> bool:
        """Swap a whole panel for a new one (an integer program over people): everyone on the
        old panel who would drop below their lowest is kept, nobody is added who would go above
        their highest, and people below their lowest are added if at all possible. Kept only
        when fewer people end up outside their band. For the last few people that swaps of one
        or two seats cannot reach (exact quotas, people with a rare mix of quota values)."""
        short = self.counts < self.lowest
        over = self.counts > self.highest
        if not (short.any() or over.any()):
            return False
        P = self.matrix
        n = len(self.ids)
        score = over[P].sum(axis=1) * 2 + (short.sum() - short[P].sum(axis=1))
        h = self._people_program()
        everyone = np.arange(n, dtype=np.int32)
        current = self._breaks()
        order = np.argsort(-score, kind="stable")[:tries]
        if relaxed:  # a different order each time, so that it does not go round in circles
            order = self._rng.permutation(order)
        for j in order:
            if past(self.deadline):
                return False
            j = int(j)
            after = self.counts.copy()
            after[P[j]] -= 1
            # Kept: people on the old panel it would push below their lowest. Left out: people
            # it would push above their highest.
            # When the strict version has no answer, one of them may be left out, if that lets
            # someone short in (the count of people outside their band stays the same, and
            # the next swap works on someone else).
            must = (after < self.lowest) & ~short
            lower = (must & ~relaxed).astype(np.float64)
            upper = (after + 1 <= self.highest).astype(np.float64)
            if (lower > upper).any():
                continue
            h.changeColsBounds(n, everyone, lower, upper)
            # Minimise: people short of their lowest far first, then those below their share.
            cost = -(self.target - after) / np.maximum(self.target, 1.0) - 1000.0 * short
            if relaxed:
                cost = cost - 999.0 * must
            h.changeColsCost(n, everyone, cost)
            h.setOptionValue("time_limit", float(seconds_left(self.deadline)))
            h.run()
            if h.getInfo().primal_solution_status != 2:
                continue
            chosen = np.nonzero(np.asarray(h.getSolution().col_value) > 0.5)[0]
            if len(chosen) != P.shape[1]:
                continue
            new_counts = after.copy()
            new_counts[chosen] += 1
            breaks = int(((new_counts < self.lowest) | (new_counts > self.highest)).sum())
            if breaks > current or (breaks == current and not relaxed):
                continue
            if relaxed and (new_counts < self.lowest)[short].all():
                continue  # nobody who was short moved up: no progress
            P[j] = chosen
            self.members[j] = set(chosen.tolist())
            self.quota_counts[j] = self.rows[chosen].sum(axis=0)
            self.counts = new_counts
            return True
        return False

    def _households_fit(self, j: int, leaving: tuple[int, ...], joining: tuple[int, ...]) -> bool:
        staying = [x for x in self.panels[j] if x not in leaving]
        taken = {int(self.household[x]) for x in staying if self.household[x] >= 0}
        for x in joining:
            h = int(self.household[x])
            if h >= 0:
                if h in taken:
                    return False
                taken.add(h)
        return True

    def _exchange(self, j: int, leaving: tuple[int, ...], joining: tuple[int, ...]) -> None:
        panel = self.panels[j]
        for out, into in zip(leaving, joining, strict=True):
            panel[np.nonzero(panel == out)[0][0]] = into
            self.members[j].discard(out)
            self.members[j].add(into)
            self.quota_counts[j] += self.rows[into] - self.rows[out]
            self.counts[out] -= 1
            self.counts[into] += 1

    def run(
        self, rounds: int = 8, deadline: float | None = None
    ) -> tuple[list[tuple[str, ...]], float]:
        self.deadline = deadline

        def late() -> bool:
            return past(deadline)

        floor = np.floor(self.target + TOLERANCE)
        ceil = np.ceil(self.target - TOLERANCE)
        lowest, highest = self.lowest, self.highest
        guarantee = np.full(len(self.ids), float(self.guarantee))
        for _ in range(rounds):
            moved = False
            # 1. Everyone up to their lowest (the guarantee, and one panel below their fair
            #    share): first from people who stay at or above their own floor and the
            #    guarantee, then from anyone who stays at or above their own lowest.
            short = np.nonzero(self.counts < lowest)[0]
            for b in short[np.argsort(self.counts[short] - lowest[short], kind="stable")]:
                if late():
                    break
                for donor_floor in (np.maximum(guarantee, floor), lowest):
                    while (
                        self.counts[b] < lowest[b]
                        and not late()
                        and (
                            self._swap_into(int(b), donor_floor)
                            or self._pair_into(int(b), donor_floor)
                        )
                    ):
                        moved = True
            # 2. People below floor(m p) take panels from people above ceil(m p).
            for b in np.argsort(self.counts - self.target):
                if self.counts[b] >= floor[b] or late():
                    break
                donor_floor = np.maximum(guarantee, ceil)
                while (
                    self.counts[b] < floor[b]
                    and not late()
                    and (
                        self._swap_into(int(b), donor_floor) or self._pair_into(int(b), donor_floor)
                    )
                ):
                    moved = True
            # 3. People more than one panel above m p give panels to people who stay within
            #    one panel of theirs: people with the same quota values first (a simple swap
            #    works for them even when quotas are exact), then those furthest below.
            over = self.counts > highest
            if over.any() and not late():
                alike = np.isin(self.key, self.key[over])
                order = np.lexsort((self.counts - self.target, ~alike))
                for b in order:
                    if not over.any() or late():
                        break
                    if self.counts[b] + 1 > highest[b] or over[b]:
                        continue
                    # Only people who are over may give up a seat, and not below their lowest.
                    donor_floor = np.where(over, lowest, self.counts + 1).astype(np.float64)
                    while (
                        self.counts[b] + 1 <= highest[b]
                        and over.any()
                        and not late()
                        and (
                            self._swap_into(int(b), donor_floor)
                            or self._pair_into(int(b), lowest, must_give=over)
                        )
                    ):
                        moved = True
                        over = self.counts > highest
                        donor_floor = np.where(over, lowest, self.counts + 1).astype(np.float64)
            # 4. Whole panels swapped for new ones, for whoever is still outside their band.
            while self._breaks() and not late() and self._replace_panel():
                moved = True
            walks = 0
            while self._breaks() and not late() and walks < 50:
                walks += 1
                if not self._replace_panel(relaxed=True):
                    break
                moved = True
                while self._breaks() and not late() and self._replace_panel():
                    pass
            if not moved or late() or not self._breaks():
                break
        shortfall = float(max(0, self.guarantee - int(self.counts.min())))
        panels = [tuple(sorted(self.ids[i] for i in p)) for p in self.panels]
        return panels, shortfall
