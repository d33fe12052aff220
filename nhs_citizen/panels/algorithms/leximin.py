"""LEXIMIN selection probabilities by column generation on HiGHS.

Flanigan, Gölz, Gupta, Hennig and Procaccia, "Fair algorithms for selecting citizens'
assemblies", Nature 596 (2021). Among all probability distributions over valid panels, choose
the one that maximises the lowest selection probability, then the next lowest, and so on.

People who are interchangeable (same value in every quota category, no housemate in the pool)
form one *group*: leximin treats them alike, so a panel is described by its seats per group and
a member of group g with n_g seats out of size_g has probability n_g / size_g. The programs
shrink from one variable per person to one per group.

How it works
------------
1. **Leximin of the linear relaxation.** The expected seats per group of any distribution over
   valid panels satisfy the quotas in expectation, so they lie in the polytope of the linear
   relaxation (seats per group between 0 and the group's size, quotas, panel size, households).
   Leximin over that polytope is a short sequence of small linear programs: maximise the lowest
   probability, fix the groups whose dual price is positive (complementary slackness: they
   cannot rise in any optimal solution), repeat. This gives an *upper bound* in the leximin
   order on what any distribution over panels can achieve, in a fraction of a second.

2. **Decomposition, greedily.** The relaxation's leximin point (expected seats per group) is
   split into valid panels as in Carathéodory's theorem (``_decomposition_panels``): a valid
   panel in the point's smallest face, then the rest of the point, on a smaller face, and so
   on. Each step is a small integer program. On the generated pools of 500 to 2,000 with slack
   in the quotas, the 90 to 120 panels it finds already reach the target, and step 3 only
   confirms it with one master solve; with exact quotas it stops sooner and step 3 finishes.

3. **Decomposition by column generation.** We look for a distribution over valid (integer)
   panels whose probabilities reach that bound. The *master* linear program, over the panels
   found so far, is

       maximise z  subject to  sum_P x_P = 1,  x >= 0,
                               pi_g(x) - d_g z >= b_g   for every group g,

   where pi_g(x) = sum_P x_P * seats_g(P) / size_g, here with d_g = 1 and b_g = target_g - 1,
   so z = 1 means every group meets its target. Its dual prices y_g say how much each group is
   worth; the *pricing* integer program (HiGHS MIP) finds the valid panel with the largest
   sum_g y_g * seats_g / size_g. If that beats the dual bound, the panel joins the master;
   if not, no panel can help (column generation). In the pools we have tried the bound is
   always reached, which *proves* the distribution leximin-optimal.

4. **Fallback: leximin stage by stage.** If the bound cannot be reached (the relaxation has
   fractional corners that no mix of panels reaches), the same machinery runs the algorithm of
   Flanigan et al.: each stage maximises the lowest probability among groups not yet fixed
   (d_g = 1, b_g = 0; fixed groups d_g = 0, b_g = their level) by column generation, then fixes
   the groups with positive dual prices.

Pricing uses Wentges dual smoothing while far from the optimum, asks HiGHS only for panels
worth more than the current bound (which makes the proof that none exists fast), and adds every
improving panel HiGHS met on the way.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence

import highspy
import numpy as np

from ._highs import (
    INF,
    OutOfTime,
    PanelProgram,
    Status,
    column_matrix,
    past,
    quiet_highs,
    seconds_left,
)
from .model import CompiledProblem, Distribution, Problem

# A panel enters the master only if it improves the dual bound by more than this.
PRICING_TOLERANCE = 1e-9
# A group is fixed when its dual price is above this (prices add up to one).
FIXING_TOLERANCE = 1e-7
# A stage ends when the Lagrangian bound is within this of the master's value.
STAGE_TOLERANCE = 1e-9
# Smoothing stops once the bound is this close, so that the end of a stage is exact.
SMOOTHING_GAP = 1e-6
# Each step of the decomposition wants a panel near r, not the nearest one: this is the gap to
# the nearest that it accepts (the decomposition takes a few more steps, each far quicker).
DECOMPOSITION_GAP = 0.05
# The decomposition counts as reaching its target when every group is within this of it.
DECOMPOSITION_TOLERANCE = 1e-8


class InfeasibleError(ValueError):
    """No panel meets the quotas: see ``feasibility.check_feasibility`` for why."""


# 1. Leximin of the linear relaxation ------------------------------------------------------------


def relaxed_leximin(compiled: CompiledProblem) -> tuple[np.ndarray, list[float]]:
    """Leximin probabilities per group over the linear relaxation, and the levels found."""
    target, levels, _ = _relaxed_leximin(compiled)
    return target, levels


def _relaxed_leximin(
    compiled: CompiledProblem, deadline: float | None = None
) -> tuple[np.ndarray, list[float], np.ndarray]:
    """``relaxed_leximin``, and the dual prices per group of its first program (the maximin):
    weights that add up to 1 and prove no distribution can give everyone more than levels[0].

    Columns: seats per group n_g in [0, size_g], then z. Rows: panel size, quotas, shared
    households, then one row per group: n_g / size_g - z >= 0 (or >= its level once fixed)."""
    problem = compiled.problem
    groups = compiled.groups
    sizes = np.array(compiled.sizes, dtype=np.float64)
    num_groups = len(groups)
    num_quota = len(problem.quotas)
    num_households = len(compiled.households)
    first_group_row = 1 + num_quota + num_households
    num_row = first_group_row + num_groups
    household_row = {
        g: 1 + num_quota + h for h, members in enumerate(compiled.households) for g in members
    }
    columns = []
    for g, group in enumerate(groups):
        column = [(0, 1.0)] + [(1 + r, 1.0) for r in group.quota_rows]
        if g in household_row:
            column.append((household_row[g], 1.0))
        column.append((first_group_row + g, 1.0 / sizes[g]))
        columns.append(column)
    columns.append([(first_group_row + g, -1.0) for g in range(num_groups)])
    lp = highspy.HighsLp()
    lp.num_col_ = num_groups + 1
    lp.num_row_ = num_row
    lp.col_cost_ = np.array([0.0] * num_groups + [-1.0])
    lp.col_lower_ = np.zeros(num_groups + 1)
    lp.col_upper_ = np.concatenate([sizes, [1.0]])
    k = float(problem.panel_size)
    lp.row_lower_ = np.array(
        [k] + [float(q.min) for q in problem.quotas] + [0.0] * num_households + [0.0] * num_groups
    )
    lp.row_upper_ = np.array(
        [k] + [float(q.max) for q in problem.quotas] + [1.0] * num_households + [INF] * num_groups
    )
    lp.a_matrix_ = column_matrix(columns, num_row)
    h = quiet_highs(primal_feasibility_tolerance=1e-10, dual_feasibility_tolerance=1e-10)
    h.passModel(lp)
    fixed: dict[int, float] = {}
    levels: list[float] = []
    first_duals: np.ndarray | None = None
    while len(fixed) < num_groups:
        if past(deadline):
            raise OutOfTime("The time limit passed while bounding the probabilities.")
        h.setOptionValue("time_limit", float(seconds_left(deadline)))
        h.run()
        for _ in range(5):
            if h.getModelStatus() != Status.kInfeasible or not fixed:
                break
            for g in fixed:  # rounding: lower the fixed levels by a hair and try again
                fixed[g] = max(0.0, fixed[g] - 1e-9)
                h.changeRowBounds(first_group_row + g, fixed[g], INF)
            h.run()
        if h.getModelStatus() == Status.kTimeLimit:
            raise OutOfTime("The time limit passed while bounding the probabilities.")
        if h.getModelStatus() != Status.kOptimal:
            raise RuntimeError("HiGHS could not solve the relaxed leximin program.")
        solution = h.getSolution()
        z = float(solution.col_value[num_groups])
        duals = np.asarray(solution.row_dual)[first_group_row:]
        if first_duals is None:
            first_duals = np.maximum(duals, 0.0).copy()
        unfixed = [g for g in range(num_groups) if g not in fixed]
        to_fix = [g for g in unfixed if duals[g] > FIXING_TOLERANCE]
        if not to_fix:
            to_fix = [max(unfixed, key=lambda g: duals[g])]
        levels.append(z)
        for g in to_fix:
            fixed[g] = z
            h.changeCoeff(first_group_row + g, num_groups, 0.0)
            h.changeRowBounds(first_group_row + g, z, INF)
    h.setOptionValue("time_limit", float(seconds_left(deadline)))
    h.run()
    if h.getModelStatus() != Status.kOptimal:
        raise OutOfTime("The time limit passed while bounding the probabilities.")
    seats = np.asarray(h.getSolution().col_value[:num_groups])
    assert first_duals is not None
    return np.clip(seats / sizes, 0.0, 1.0), levels, first_duals


# 3 and 4. Column generation ---------------------------------------------------------------------


class _Master:
    """The master LP in HiGHS: column 0 is z, columns 1.. are panels (x_P); row 0 is
    sum_P x_P = 1, row 1 + g is group g's row pi_g(x) - d_g z >= b_g."""

    OPTIONS: dict[str, object] = {
        "primal_feasibility_tolerance": 1e-10,
        "dual_feasibility_tolerance": 1e-10,
        "simplex_strategy": 4,  # primal simplex: warm starts after adding columns
    }

    def __init__(self, compiled: CompiledProblem):
        self.sizes = np.array(compiled.sizes, dtype=np.float64)
        self.num_groups = len(self.sizes)
        self.highs = quiet_highs(**self.OPTIONS)
        n = self.num_groups
        lp = highspy.HighsLp()
        lp.num_col_ = 1
        lp.num_row_ = 1 + n
        lp.col_cost_ = np.array([-1.0])  # minimise -z
        lp.col_lower_ = np.array([0.0])
        lp.col_upper_ = np.array([2.0])  # never reached: z <= 1 always
        lp.row_lower_ = np.array([1.0] + [0.0] * n)
        lp.row_upper_ = np.array([1.0] + [INF] * n)
        lp.a_matrix_ = column_matrix([[(1 + g, -1.0) for g in range(n)]], 1 + n)
        self.highs.passModel(lp)
        self.columns: list[tuple[int, ...]] = []
        self.known: set[tuple[int, ...]] = set()
        self.retired: list[tuple[int, ...]] = []
        self.lower = np.zeros(n)  # b_g
        self.fixed: dict[int, float] = {}
        self.relaxations = 0

    def add(self, composition: tuple[int, ...]) -> bool:
        if composition in self.known:
            return False
        self.known.add(composition)
        self.columns.append(composition)
        rows = [0]
        values = [1.0]
        for g, seats in enumerate(composition):
            if seats:
                rows.append(1 + g)
                values.append(seats / self.sizes[g])
        self.highs.addCol(
            0.0, 0.0, INF, len(rows), np.array(rows, dtype=np.int32), np.array(values)
        )
        return True

    def set_lower(self, lower: np.ndarray) -> None:
        """Every group unfixed (d_g = 1) with b_g = lower[g]."""
        self.lower = np.array(lower, dtype=np.float64)
        n = self.num_groups
        self.highs.changeRowsBounds(
            n, np.arange(1, n + 1, dtype=np.int32), self.lower, np.full(n, INF)
        )

    def set_rows(self, slope: np.ndarray, lower: np.ndarray) -> None:
        """Every group unfixed with d_g = slope[g] and b_g = lower[g]."""
        n = self.num_groups
        for g in range(n):
            self.highs.changeCoeff(1 + g, 0, -float(slope[g]))
        self.set_lower(lower)

    def fix(self, groups: Sequence[int], level: float) -> None:
        for g in groups:
            self.fixed[g] = level
            self.lower[g] = level
            self.highs.changeCoeff(1 + g, 0, 0.0)
            self.highs.changeRowBounds(1 + g, level, INF)
        if len(self.fixed) == self.num_groups:
            self.highs.changeColBounds(0, 0.0, 1.0)

    def offset(self, prices: np.ndarray) -> float:
        """sum_g y_g b_g: the Lagrangian bound is max_P y.a(P) minus this."""
        return float(np.dot(prices, self.lower))

    def solve(self) -> tuple[float, np.ndarray, float, np.ndarray]:
        """(z, dual price per group, dual bound y_hat, panel weights)."""
        h = self.highs
        h.run()
        status = h.getModelStatus()
        if status not in (Status.kOptimal, Status.kInfeasible):
            # Numerical trouble in the warm start (after the rows change): start afresh, and
            # if that is not enough, with the dual simplex, then slightly looser tolerances.
            for options in (
                {},
                {"simplex_strategy": 1},
                {"primal_feasibility_tolerance": 1e-9, "dual_feasibility_tolerance": 1e-9},
            ):
                for name, value in options.items():
                    h.setOptionValue(name, value)
                h.clearSolver()
                h.run()
                status = h.getModelStatus()
                if status in (Status.kOptimal, Status.kInfeasible):
                    break
            for name, value in self.OPTIONS.items():
                h.setOptionValue(name, value)
        for _ in range(5):
            if status != Status.kInfeasible or not self.fixed:
                break
            # Rounding can leave the fixed levels a hair too high to meet together: lower them
            # all by a hair (far below anything the tests or the lottery can see) and try again.
            self.relaxations += 1
            for g, level in list(self.fixed.items()):
                self.fixed[g] = self.lower[g] = max(0.0, level - 1e-9)
                self.highs.changeRowBounds(1 + g, self.fixed[g], INF)
            h.run()
            status = h.getModelStatus()
        if status != Status.kOptimal:
            raise RuntimeError(
                f"HiGHS could not solve the leximin master: {h.modelStatusToString(status)}"
            )
        solution = h.getSolution()
        duals = np.asarray(solution.row_dual)
        values = np.asarray(solution.col_value)
        weights = values[1:].copy()
        if len(self.columns) > self.prune_above:
            kept = self._prune(np.asarray(solution.col_dual)[1:])
            weights = weights[kept]
        return float(values[0]), duals[1:].copy(), float(-duals[0]), weights

    @property
    def prune_above(self) -> int:
        return max(600, 4 * (self.num_groups + 1))

    def _prune(self, reduced_costs: np.ndarray) -> np.ndarray:
        """Retire the panels least likely to be needed (out of the basis, largest reduced
        cost) so that the master stays small and fast; half the limit is kept. Retired panels
        may come back if pricing finds them again, and are kept as spares for the lottery."""
        basis = self.highs.getBasis()
        basic = np.array(
            [status == highspy.HighsBasisStatus.kBasic for status in basis.col_status[1:]]
        )
        keep = self.prune_above // 2
        candidates = np.nonzero(~basic)[0]
        surplus = len(self.columns) - keep
        if surplus <= 0 or not len(candidates):
            return np.ones(len(self.columns), dtype=bool)
        worst = candidates[np.argsort(-reduced_costs[candidates], kind="stable")][:surplus]
        indices = np.sort(1 + worst).astype(np.int32)
        self.highs.deleteCols(len(indices), indices)  # keeps the basis: only nonbasic go
        for j in np.sort(worst):
            self.retired.append(self.columns[j])
            self.known.discard(self.columns[j])
        kept = np.ones(len(self.columns), dtype=bool)
        kept[worst] = False
        self.columns = [c for j, c in enumerate(self.columns) if kept[j]]
        return kept


def _decomposition_panels(
    compiled: CompiledProblem, target: np.ndarray, deadline: float | None, max_steps: int
) -> list[tuple[int, ...]]:
    """Panels that (nearly) decompose the relaxation's leximin point, found without column
    generation (Carathéodory's construction, greedily). With r the expected seats per group
    still to be covered: find a valid panel P in r's smallest face (every quota, size bound and
    household row that is tight at r stays tight) with each group's seats r_g rounded up or
    down; write r as a mix of P and r' = r + mu (r - P), with mu as large as the constraints
    allow; r' lies on a smaller face; repeat. Each step is a small integer program (almost
    every variable is fixed by the box and the tight rows). It can stop early (no integer
    panel in a face, or the time is up); the panels found are then a start for column
    generation, which makes the answer exact either way."""
    program = PanelProgram(compiled)
    h = program.highs
    h.setOptionValue("mip_rel_gap", DECOMPOSITION_GAP)
    sizes = np.array(compiled.sizes, dtype=np.float64)
    incidence = program._incidence.astype(np.float64)
    row_lower, row_upper = program._row_lower, program._row_upper
    num_col = program.num_col
    num_row = len(row_lower)
    columns = np.arange(num_col, dtype=np.int32)
    rows_index = np.arange(num_row, dtype=np.int32)
    r = np.clip(target * sizes, 0.0, sizes)
    panels: list[tuple[int, ...]] = []
    eps = 1e-7  # drift in r over hundreds of steps stays below this
    for _ in range(max_steps):
        if past(deadline):
            break
        near = np.abs(r - np.round(r)) < eps
        r = np.where(near, np.round(r), r)
        low = np.floor(r + eps)
        high = np.ceil(r - eps)
        h.changeColsBounds(num_col, columns, low, high)
        values = incidence @ r
        at_lower = values <= row_lower + eps
        at_upper = values >= row_upper - eps
        lower = np.where(at_upper, row_upper, row_lower)
        upper = np.where(at_lower, row_lower, row_upper)
        h.changeRowsBounds(num_row, rows_index, lower, upper)
        # Prefer rounding each group to its nearer whole number.
        fraction = r - low
        h.changeColsCost(num_col, columns, -(fraction - 0.5))
        h.setOptionValue("time_limit", float(seconds_left(deadline)))
        h.run()
        if h.getModelStatus() != Status.kOptimal:
            break
        panel = np.round(np.asarray(h.getSolution().col_value)).astype(np.int64)
        if not program.is_valid(panel):
            break
        panels.append(tuple(int(x) for x in panel))
        d = r - panel
        if np.abs(d).max() < eps:
            break  # r is this panel: done
        steps = [np.inf]
        up = d > eps
        down = d < -eps
        steps.append(np.min(np.maximum(sizes[up] - r[up], 0.0) / d[up], initial=np.inf))
        steps.append(np.min(np.maximum(r[down], 0.0) / -d[down], initial=np.inf))
        change = incidence @ d
        # Rows held at their bound stay there (up to drift in the last digits): skip them.
        free = ~(at_lower | at_upper)
        up = (change > eps) & free
        down = (change < -eps) & free
        slack_up = np.maximum(row_upper[up] - values[up], 0.0)
        slack_down = np.maximum(values[down] - row_lower[down], 0.0)
        steps.append(np.min(slack_up / change[up], initial=np.inf))
        steps.append(np.min(slack_down / -change[down], initial=np.inf))
        mu = min(steps)
        if not np.isfinite(mu) or mu <= 1e-12:
            break
        r = np.clip(r + mu * d, 0.0, sizes)
    return panels


def _initial_panels(
    program: PanelProgram, compiled: CompiledProblem, rounds: int
) -> list[tuple[int, ...]]:
    """A few diverse panels to start from: each round favours the groups that the panels so far
    have given the fewest seats (per member)."""
    sizes = np.array(compiled.sizes, dtype=np.float64)
    coverage = np.zeros(len(sizes))
    panels = []
    for _ in range(rounds):
        weights = np.exp(-3.0 * coverage) / sizes
        try:
            found = program.best(weights)
        except OutOfTime:
            return panels
        if found is None:
            return panels
        panels.append(found[0])
        panels.extend(program.others)
        coverage += np.asarray(found[0]) / sizes
    return panels


class _Pricing:
    """The pricing oracles and their bookkeeping: the integer program, and the local search,
    which is used only while it pays (in time per panel it finds) against the integer program.
    Both costs are running averages over recent calls, since both change as the prices do; a
    search that stopped paying is tried again now and then."""

    RETRY_EVERY = 10
    DECAY = 0.8  # weight of the past in the running averages

    def __init__(self, program: PanelProgram, deadline: float | None):
        self.program = program
        self.deadline = deadline
        self.mip_seconds = 0.0
        self.mip_calls = 0
        self.recent_mip = 0.0  # running average of seconds per integer program
        self.search_seconds = 0.0
        self.search_tries = 0
        self.search_found = 0
        self.recent_search = 0.0  # running average of seconds per panel found by search
        self.skipped = 0
        self.started = time.perf_counter()
        self.minimum_seconds: float | None = None  # when the minimum was proved

    def out_of_time(self) -> bool:
        return self.deadline is not None and time.perf_counter() > self.deadline

    def best(self, prices: np.ndarray, above: float):
        start = time.perf_counter()
        found = self.program.best(prices, above=above)
        seconds = time.perf_counter() - start
        self.mip_seconds += seconds
        self.recent_mip = (
            seconds
            if self.mip_calls == 0
            else self.DECAY * self.recent_mip + (1 - self.DECAY) * seconds
        )
        self.mip_calls += 1
        return found

    def search_pays(self) -> bool:
        if self.search_tries < 3 or self.mip_calls == 0:
            return True
        if self.recent_search < self.recent_mip:
            return True
        self.skipped += 1
        return self.skipped % self.RETRY_EVERY == 0

    def local_search(
        self, master: _Master, duals: np.ndarray, y_hat: float, weights: np.ndarray
    ) -> bool:
        if not self.search_pays():
            return False
        start = time.perf_counter()
        added = _local_search(master, self.program, duals, y_hat, weights)
        seconds = time.perf_counter() - start
        self.search_seconds += seconds
        self.search_tries += 1
        self.search_found += added
        per_panel = seconds / max(added, 0.5)
        self.recent_search = (
            per_panel
            if self.search_tries == 1
            else self.DECAY * self.recent_search + (1 - self.DECAY) * per_panel
        )
        return added > 0


def _column_generation(
    master: _Master,
    pricing: _Pricing,
    smoothing: float,
    good_enough: float = math.inf,
    progress: Callable[[dict], None] | None = None,
) -> tuple[float, np.ndarray, bool]:
    """Column generation to optimality (or until z reaches ``good_enough``). Returns z, dual
    prices that are optimal over *all* valid panels (the oracle proved no panel beats them),
    and True; or, when the pricing's deadline passes first, the z and prices reached so far
    and False.

    While far from the optimum, the oracle is asked about a mix of the best prices seen so far
    (the "centre") and the master's current prices (Wentges smoothing): the prices jump about
    less and fewer rounds are needed. For prices y >= 0 with sum_g d_g y_g = 1,
    z* <= max_P y.a(P) - sum_g y_g b_g (the Lagrangian bound).

    The prices returned are always the master's own (a vertex of its dual): a smoothed centre
    can keep tiny remnants of old prices, and a group must not be fixed because of those."""
    try:
        return _column_generation_loop(master, pricing, smoothing, good_enough, progress)
    except OutOfTime:
        z, duals, _, _ = master.solve()
        return z, np.maximum(duals, 0.0), False


def _column_generation_loop(
    master: _Master,
    pricing: _Pricing,
    smoothing: float,
    good_enough: float,
    progress: Callable[[dict], None] | None,
) -> tuple[float, np.ndarray, bool]:
    sizes = master.sizes

    def add_improving(candidates: list[tuple[int, ...]], duals: np.ndarray, y_hat: float) -> bool:
        added = False
        for candidate in candidates:
            gain = float(np.dot(duals, np.asarray(candidate) / sizes))
            if gain > y_hat + PRICING_TOLERANCE and master.add(candidate):
                added = True
        return added

    program = pricing.program
    centre: np.ndarray | None = None
    centre_bound = math.inf
    while True:
        z, duals, y_hat, weights = master.solve()
        duals = np.maximum(duals, 0.0)
        if progress is not None:
            progress({"panels_found": len(master.columns)})
        if z >= good_enough:
            return z, duals, True
        if pricing.out_of_time():
            return z, duals, False
        if pricing.local_search(master, duals, y_hat, weights):
            continue
        if centre is not None and smoothing > 0 and centre_bound - z > SMOOTHING_GAP:
            prices = smoothing * centre + (1 - smoothing) * duals
            offset = master.offset(prices)
            composition, _value, bound = pricing.best(
                prices / sizes, above=z + offset + STAGE_TOLERANCE
            )
            if bound - offset < centre_bound:
                centre, centre_bound = prices, bound - offset
            if composition is not None and add_improving(
                [composition, *program.others], duals, y_hat
            ):
                continue
        # Ask the oracle at the master's own prices: either a better panel, or proof that none is.
        composition, _value, bound = pricing.best(duals / sizes, above=y_hat + PRICING_TOLERANCE)
        if bound - master.offset(duals) < centre_bound:
            centre, centre_bound = duals, bound - master.offset(duals)
        if composition is None or not add_improving([composition, *program.others], duals, y_hat):
            return z, duals, True


def _local_search(
    master: _Master,
    program: PanelProgram,
    duals: np.ndarray,
    y_hat: float,
    weights: np.ndarray,
    starts: int = 12,
) -> int:
    """Cheap pricing: improve the panels the master uses most by moving single seats, and add
    the best panel each search ends on if it beats the dual bound. Returns how many were added."""
    prices = duals / master.sizes
    added = 0
    for j in np.argsort(-weights)[:starts]:
        if weights[j] <= 0:
            break
        path = program.exchange(prices, master.columns[j])
        if path and float(np.dot(prices, path[-1])) > y_hat + PRICING_TOLERANCE:
            added += master.add(path[-1])
    return added


def find_distribution(
    problem: Problem,
    *,
    smoothing: float = 0.7,
    use_relaxation: bool = True,
    initial_rounds: int = 10,
    decompose: bool = True,
    time_limit: float | None = None,
    progress: Callable[[dict], None] | None = None,
) -> Distribution:
    """The LEXIMIN distribution over valid panels and each volunteer's probability.

    Raises ``InfeasibleError`` when no panel meets the quotas. ``use_relaxation=False`` skips
    straight to the stage-by-stage algorithm (for tests and comparison).

    With ``time_limit`` (seconds of wall-clock time, checked inside HiGHS and in every loop),
    the work stops once that time has passed and the best distribution over the panels found
    so far is returned with ``finished`` False; ``details["route"]`` then says how far it got,
    and ``details["certified_minimum"]`` whether the minimum probability was already proved
    optimal (it is settled first). ``finished`` is True when both stages ran to the end: the
    minimum proved optimal, and everyone else levelled up as far as possible. Without a time
    limit (the default) the answer does not depend on the speed of the machine. Raises
    ``_highs.OutOfTime`` only if the time runs out before a single valid panel is found.

    ``details["certificate"]``: the dual prices per group that prove the minimum optimal (see
    ``bound.optimality_certificate``), or None when it was not proved.

    ``progress``, if given, is called now and then with what is known so far: a dict with
    ``panels_found`` (panels in the master program) and, once it is proved, ``minimum_proved``
    (the lowest probability, proved optimal). It must be quick; it does not change the answer."""
    start = time.perf_counter()
    deadline = None if time_limit is None else start + time_limit
    compiled = problem.compiled
    program = PanelProgram(compiled, save_others=True)
    program.deadline = deadline
    first_panel = program.any_panel()
    if first_panel is None:
        raise InfeasibleError("No panel meets the quotas and the one-per-household rule.")
    pricing = _Pricing(program, deadline)

    num_groups = len(compiled.groups)
    levels: list[float] = []
    route = "stages"
    certified_minimum: float | None = None
    certificate: np.ndarray | None = None
    finished = False
    master = _Master(compiled)
    master.add(first_panel)
    initial_added = False

    def add_initial_panels() -> None:
        nonlocal initial_added
        if not initial_added:
            initial_added = True
            rounds = min(initial_rounds, len(compiled.groups))
            for composition in _initial_panels(program, compiled, rounds):
                master.add(composition)

    if use_relaxation:
        try:
            target, levels, first_duals = _relaxed_leximin(compiled, deadline)
        except OutOfTime:
            route = "time limit: minimum not proved"
        else:
            found = 0
            if decompose:
                for composition in _decomposition_panels(
                    compiled, target, deadline, max_steps=4 * num_groups + 10
                ):
                    found += master.add(composition)
            if found < 2:
                add_initial_panels()
            try:
                route, certified_minimum = _relaxation_route(
                    master, pricing, smoothing, target, levels, progress
                )
            except RuntimeError:
                # HiGHS found the master infeasible after fixing levels (seen once, on a loaded
                # machine): start again stage by stage from the panels found so far.
                route, certified_minimum = "stages", None
            if certified_minimum is not None:
                certificate = first_duals
            finished = route == "relaxation reached"
            if route == "stages":
                levels = []
                columns = master.columns
                master = _Master(compiled)
                for composition in columns:
                    master.add(composition)
    if route == "stages":
        add_initial_panels()
        while len(master.fixed) < num_groups:
            z, prices, complete = _column_generation(master, pricing, smoothing, progress=progress)
            if not complete:
                route = "time limit in the stages"
                break
            unfixed = [g for g in range(num_groups) if g not in master.fixed]
            to_fix = [g for g in unfixed if prices[g] > FIXING_TOLERANCE]
            if not to_fix:
                # Numerically every price is tiny: fix the group with the largest price.
                to_fix = [max(unfixed, key=lambda g: prices[g])]
            levels.append(z)
            if certified_minimum is None:
                certified_minimum = z
                certificate = prices.copy()
                pricing.minimum_seconds = time.perf_counter() - pricing.started
                if progress is not None:
                    progress({"minimum_proved": z})
            master.fix(to_fix, z)
        else:
            finished = True
    _, _, _, weights = master.solve()
    compositions, panel_weights = _clean(master.columns, weights)
    support = set(compositions)
    return Distribution(
        compiled=compiled,
        compositions=tuple(compositions),
        weights=tuple(panel_weights),
        method="leximin",
        seconds=time.perf_counter() - start,
        spare_compositions=tuple(
            dict.fromkeys(c for c in [*master.columns, *master.retired] if c not in support)
        ),
        details={
            "route": route,
            "stages": len(levels),
            "columns": len(master.columns),
            "pricing_calls": program.calls,
            "levels": levels,
            "relaxations": master.relaxations,
            "retired": len(master.retired),
            "certified_minimum": certified_minimum,
            "certificate": None if certificate is None else tuple(float(x) for x in certificate),
            "minimum_seconds": pricing.minimum_seconds,
        },
        finished=finished,
    )


def _relaxation_route(
    master: _Master,
    pricing: _Pricing,
    smoothing: float,
    target: np.ndarray,
    levels: list[float],
    progress: Callable[[dict], None] | None = None,
) -> tuple[str, float | None]:
    """Reach the leximin of the relaxation with panels, in two phases. First the minimum:
    everyone at least ``levels[0]`` (the relaxation's maximin, an upper bound, so reaching it
    proves the minimum optimal). Then everyone up to their own target, on the straight line
    b + z * (target_g - b) from the minimum b (z from 0 to 1), so that stopping early still
    keeps everyone at or above the minimum and partly on the way to their target.

    Returns the route taken ("relaxation reached", "stages" when the target cannot be reached,
    or a time limit) and the minimum probability proved optimal (None when not proved)."""
    n = master.num_groups
    minimum = float(levels[0])
    master.set_lower(np.full(n, minimum - 1.0))
    z, _, complete = _column_generation(
        master, pricing, smoothing, good_enough=1.0 - DECOMPOSITION_TOLERANCE, progress=progress
    )
    if not complete:
        return "time limit: minimum not proved", None
    if z < 1.0 - DECOMPOSITION_TOLERANCE:
        return "stages", None
    # The minimum every group has now (a hair below levels[0] at most).
    floor = minimum - max(0.0, 1.0 - z)
    pricing.minimum_seconds = time.perf_counter() - pricing.started
    if progress is not None:
        progress({"minimum_proved": floor})
    slope = np.where(target - floor > 1e-9, target - floor, 0.0)
    if not slope.any():
        return "relaxation reached", floor
    master.set_rows(slope, np.full(n, floor))
    z, _, complete = _column_generation(
        master, pricing, smoothing, good_enough=1.0 - DECOMPOSITION_TOLERANCE, progress=progress
    )
    if not complete:
        return "time limit: minimum proved", floor
    if z < 1.0 - DECOMPOSITION_TOLERANCE:
        return "stages", floor
    return "relaxation reached", floor


def _clean(
    columns: list[tuple[int, ...]], weights: np.ndarray
) -> tuple[list[tuple[int, ...]], list[float]]:
    """Drop panels with (numerically) zero weight and make the weights add up to exactly one."""
    kept = [(c, float(w)) for c, w in zip(columns, weights, strict=True) if w > 1e-12]
    total = math.fsum(w for _, w in kept)
    return [c for c, _ in kept], [w / total for _, w in kept]
