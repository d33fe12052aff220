"""Small helpers around HiGHS (``highspy``): quiet solvers and the "find a panel" integer program."""

from __future__ import annotations

import time
from collections.abc import Sequence

import highspy
import numpy as np

from .model import CompiledProblem

INF = highspy.kHighsInf
Status = highspy.HighsModelStatus
# HiGHS is never given less than this (it treats 0 as "stop at once", which is fine too).
MIN_SOLVER_SECONDS = 0.01


class OutOfTime(RuntimeError):
    """A wall-clock deadline passed inside a solver before it had an answer."""


def seconds_left(deadline: float | None) -> float:
    """Seconds until ``deadline`` (a ``time.perf_counter()`` value), for a solver's time_limit;
    infinity without one."""
    if deadline is None:
        return INF
    return max(MIN_SOLVER_SECONDS, deadline - time.perf_counter())


def past(deadline: float | None) -> bool:
    return deadline is not None and time.perf_counter() > deadline


def quiet_highs(**options: object) -> highspy.Highs:
    """A HiGHS instance that prints nothing and is reproducible."""
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("log_to_console", False)
    h.setOptionValue("random_seed", 0)
    for name, value in options.items():
        h.setOptionValue(name, value)
    return h


def column_matrix(
    columns: Sequence[Sequence[tuple[int, float]]], num_row: int
) -> highspy.HighsSparseMatrix:
    matrix = highspy.HighsSparseMatrix()
    matrix.format_ = highspy.MatrixFormat.kColwise
    matrix.num_col_ = len(columns)
    matrix.num_row_ = num_row
    start = [0]
    index: list[int] = []
    value: list[float] = []
    for column in columns:
        for row, coefficient in column:
            index.append(row)
            value.append(coefficient)
        start.append(len(index))
    matrix.start_ = np.array(start, dtype=np.int32)
    matrix.index_ = np.array(index, dtype=np.int32)
    matrix.value_ = np.array(value, dtype=np.float64)
    return matrix


class PanelProgram:
    """The integer program whose solutions are the valid panels, in seats per group:
    ``0 <= n_g <= size_g``, seats add up to the panel size, every quota holds, and a household
    shared by several people in the pool gets at most one seat.

    ``best(weights)`` finds the panel that maximises ``sum(weights[g] * n_g)``: the pricing
    oracle of column generation. Quota bounds can be relaxed with ``relaxed_bounds``."""

    def __init__(
        self, compiled: CompiledProblem, *, rel_gap: float = 1e-9, save_others: bool = False
    ):
        self.compiled = compiled
        problem = compiled.problem
        groups = compiled.groups
        num_quota = len(problem.quotas)
        # Rows: 0 = panel size; 1..num_quota = quotas; then one row per shared household.
        num_row = 1 + num_quota + len(compiled.households)
        household_row = {}
        for h, members in enumerate(compiled.households):
            for g in members:
                household_row[g] = 1 + num_quota + h
        columns = []
        for g, group in enumerate(groups):
            column = [(0, 1.0)] + [(1 + r, 1.0) for r in group.quota_rows]
            if g in household_row:
                column.append((household_row[g], 1.0))
            columns.append(column)
        lp = highspy.HighsLp()
        lp.num_col_ = len(groups)
        lp.num_row_ = num_row
        lp.col_cost_ = np.zeros(len(groups))
        lp.col_lower_ = np.zeros(len(groups))
        lp.col_upper_ = np.array([float(g.size) for g in groups])
        lower = [float(problem.panel_size)]
        upper = [float(problem.panel_size)]
        for quota in problem.quotas:
            lower.append(float(quota.min))
            upper.append(float(quota.max))
        lower += [0.0] * len(compiled.households)
        upper += [1.0] * len(compiled.households)
        lp.row_lower_ = np.array(lower)
        lp.row_upper_ = np.array(upper)
        lp.a_matrix_ = column_matrix(columns, num_row)
        lp.integrality_ = [highspy.HighsVarType.kInteger] * len(groups)
        lp.sense_ = highspy.ObjSense.kMinimize
        options: dict[str, object] = {
            "presolve": "off",
            "mip_rel_gap": rel_gap,
            "mip_abs_gap": 1e-12,
        }
        if save_others:
            options["mip_improving_solution_save"] = True
        self.highs = quiet_highs(**options)
        self.save_others = save_others
        self.highs.passModel(lp)
        self.num_col = len(groups)
        self.calls = 0
        self.others: list[tuple[int, ...]] = []
        # Dense copies of the constraints, to check panels found by HiGHS exactly.
        self._incidence = np.zeros((num_row, len(groups)), dtype=np.int64)
        for g, column in enumerate(columns):
            for row, _ in column:
                self._incidence[row, g] = 1
        self._row_lower = np.array(lower)
        self._row_upper = np.array(upper)
        self._col_upper = np.array([g.size for g in groups], dtype=np.int64)
        # For local search: quota rows only (row 0, the panel size, never changes in a swap),
        # and each group's shared household (-1 for none).
        self._quota_incidence = self._incidence[1 : 1 + num_quota].astype(np.float64)
        self._quota_lower = self._row_lower[1 : 1 + num_quota]
        self._quota_upper = self._row_upper[1 : 1 + num_quota]
        self._household = np.full(len(groups), -1, dtype=np.int64)
        for h, members in enumerate(compiled.households):
            self._household[list(members)] = h
        self._num_households = len(compiled.households)
        self._pairs: _PairTable | None = None
        # A wall-clock deadline (``time.perf_counter()``) for every solve, or None. When it
        # passes inside HiGHS, ``best`` raises ``OutOfTime``.
        self.deadline: float | None = None

    def improve(
        self, weights: Sequence[float], composition: Sequence[int], max_steps: int = 15
    ) -> list[tuple[int, ...]]:
        """Local search: from a valid panel, move one seat at a time from one group to another
        (keeping every quota and household rule) while that raises ``sum(weights[g] * n_g)``,
        always taking the best move. Returns the panel it ends on (a list of one; empty when no
        move helps). Much cheaper than the integer program, and in quotas with some slack it
        usually finds the improving panels that column generation needs."""
        n, moves = self._single_moves(
            np.asarray(weights, dtype=np.float64), np.array(composition, dtype=np.int64), max_steps
        )
        return [tuple(int(x) for x in n)] if moves else []

    def _single_moves(self, w: np.ndarray, n: np.ndarray, max_steps: int) -> tuple[np.ndarray, int]:
        """``improve`` on arrays: the panel it ends on and how many seats it moved."""
        M = self._quota_incidence
        moves = 0
        for _ in range(max_steps):
            counts = M @ n
            cannot_add = (counts + 1 > self._quota_upper + 1e-9).astype(np.float64)
            cannot_remove = (counts - 1 < self._quota_lower - 1e-9).astype(np.float64)
            support = np.nonzero(n)[0]
            A = M[:, support]  # quota rows x groups on the panel
            # Moving a seat from a to b breaks a quota if b adds to a row that is full and a is
            # not in, or a leaves a row that is at its minimum and b is not in.
            blocked = ((1.0 - A) * cannot_add[:, None]).T @ M
            leaving = A * cannot_remove[:, None]
            blocked += leaving.sum(axis=0)[:, None] - leaving.T @ M
            ok = (blocked < 0.5) & (n < self._col_upper)[None, :]
            if self._num_households:
                taken = np.bincount(
                    self._household[support][self._household[support] >= 0],
                    weights=n[support][self._household[support] >= 0],
                    minlength=self._num_households,
                )
                in_household = self._household >= 0
                busy = np.zeros(len(n), dtype=bool)
                busy[in_household] = taken[self._household[in_household]] > 0
                # Busy unless the seat that leaves is the household's own.
                same = (
                    self._household[support][:, None] == self._household[None, :]
                ) & in_household[None, :]
                ok &= ~busy[None, :] | same
            ok[np.arange(len(support)), support] = False
            gains = np.where(ok, w[None, :] - w[support][:, None], -np.inf)
            flat = int(np.argmax(gains))
            i, b = divmod(flat, gains.shape[1])
            if not gains[i, b] > 1e-12:
                break
            n[support[i]] -= 1
            n[b] += 1
            moves += 1
        return n, moves

    def exchange(
        self, weights: Sequence[float], composition: Sequence[int], max_steps: int = 15
    ) -> list[tuple[int, ...]]:
        """Local search for tight quotas: like ``improve``, but when no single seat can move it
        also tries swapping two seats for two others with the same quota values between them
        (a and c leave, b and d join, where a and c count towards exactly the quotas that b and
        d count towards). With exact quotas single moves are almost never possible, and these
        exchanges are what keep local search useful."""
        w = np.asarray(weights, dtype=np.float64)
        n = np.array(composition, dtype=np.int64)
        if self._pairs is None:
            self._pairs = _PairTable(self._quota_incidence.T)
        moved = False
        steps = 0
        while steps < max_steps:
            n, moves = self._single_moves(w, n, max_steps - steps)
            steps += moves + 1
            moved = moved or moves > 0
            better = self._pairs.best_exchange(w, n, self._col_upper, self._busy_groups(n))
            if better is None:
                break
            candidate = n.copy()
            a, c, b, d = better
            candidate[a] -= 1
            candidate[c] -= 1
            candidate[b] += 1
            candidate[d] += 1
            if not self.is_valid(candidate):
                break
            n = candidate
            moved = True
        return [tuple(int(x) for x in n)] if moved else []

    def _busy_groups(self, n: np.ndarray) -> np.ndarray:
        """Groups that cannot take a seat because their household already has one."""
        busy = np.zeros(len(n), dtype=bool)
        if self._num_households:
            seated = self._household[n > 0]
            taken = np.unique(seated[seated >= 0])
            busy = np.isin(self._household, taken) & (self._household >= 0)
        return busy

    def is_valid(self, composition: Sequence[int]) -> bool:
        seats = np.asarray(composition, dtype=np.int64)
        if (seats < 0).any() or (seats > self._col_upper).any():
            return False
        rows = self._incidence @ seats
        return bool((rows >= self._row_lower).all() and (rows <= self._row_upper).all())

    def best(
        self, weights: Sequence[float], above: float | None = None
    ) -> tuple[tuple[int, ...] | None, float, float] | None:
        """The panel with the largest ``sum(weights[g] * n_g)``, as
        (seats per group, value, upper bound on the value); the other panels met on the way
        are in ``self.others`` afterwards. None when no panel exists at all.

        With ``above``, only panels worth more than ``above`` are of interest: when there is
        none, HiGHS proves it much faster and this returns (None, above, above)."""
        self.calls += 1
        h = self.highs
        costs = -np.asarray(weights, dtype=np.float64)  # HiGHS minimises; the cutoff needs it
        h.changeColsCost(self.num_col, np.arange(self.num_col, dtype=np.int32), costs)
        h.setOptionValue("objective_bound", INF if above is None else -above)
        if past(self.deadline):
            raise OutOfTime("The time limit passed before the panel program could run.")
        h.setOptionValue("time_limit", float(seconds_left(self.deadline)))
        h.run()
        status = h.getModelStatus()
        if status == Status.kTimeLimit:
            raise OutOfTime("The time limit passed inside the panel program.")
        if status == Status.kInfeasible:
            self.others = []
            return None if above is None else (None, above, above)
        if status != Status.kOptimal:
            raise RuntimeError(
                f"HiGHS could not solve the panel program: {h.modelStatusToString(status)}"
            )
        values = h.getSolution().col_value
        composition = tuple(int(round(v)) for v in values)
        if not self.is_valid(composition):
            raise RuntimeError("HiGHS returned a panel that breaks the constraints.")
        value = float(np.dot(-costs, np.asarray(composition, dtype=np.float64)))
        bound = -float(h.getInfo().mip_dual_bound)
        self.others = []
        if self.save_others:
            for saved in h.getSavedMipSolutions():
                other = tuple(int(round(v)) for v in saved.col_value)
                if other != composition and self.is_valid(other):
                    self.others.append(other)
        return composition, value, max(bound, value)

    def any_panel(self) -> tuple[int, ...] | None:
        found = self.best([0.0] * self.num_col)
        return None if found is None else found[0]


def quota_keys(incidence: np.ndarray) -> np.ndarray:
    """One 64-bit key per row of ``incidence`` (people or groups x quota rows, 0/1): the sum of
    a fixed random number per quota row. Two sets of people count towards the same quotas
    exactly when their keys add up to the same sum (barring a 64-bit collision, so callers check
    every match exactly)."""
    rng = np.random.default_rng(20261121)
    row_keys = rng.integers(1, 2**62, size=incidence.shape[1], dtype=np.int64)
    with np.errstate(over="ignore"):
        return (incidence.astype(np.int64) * row_keys[None, :]).sum(axis=1)


class _PairTable:
    """Every unordered pair of groups (i <= j), keyed by the quotas the two count towards
    together, so that pairs which can replace each other on a panel without changing any quota
    count are found by a sort and a binary search. Keys are sums of random 64-bit numbers per
    quota row (exchanges found this way are always checked exactly before they are used)."""

    def __init__(self, incidence: np.ndarray):  # groups x quota rows, 0/1
        num_groups = incidence.shape[0]
        self.group_key = quota_keys(incidence)
        with np.errstate(over="ignore"):
            first, second = np.triu_indices(num_groups)
            keys = self.group_key[first] + self.group_key[second]
        order = np.argsort(keys, kind="stable")
        self.first = first[order]
        self.second = second[order]
        self.keys = keys[order]
        self.unique_keys, self.starts = np.unique(self.keys, return_index=True)

    def best_exchange(
        self, weights: np.ndarray, n: np.ndarray, upper: np.ndarray, busy: np.ndarray
    ) -> tuple[int, int, int, int] | None:
        """The exchange (a, c leave; b, d join) that raises ``weights . n`` the most, or None."""
        room = np.where(busy, 0, upper - n)
        same = self.first == self.second
        fits = np.where(
            same, room[self.first] >= 2, (room[self.first] >= 1) & (room[self.second] >= 1)
        )
        if not fits.any():
            return None
        value = np.where(fits, weights[self.first] + weights[self.second], -np.inf)
        best_per_key = np.maximum.reduceat(value, self.starts)
        # Where each key's best pair is (first index, within the key's run, of its maximum).
        on = np.nonzero(n > 0)[0]
        if len(on) == 0:
            return None
        left, right = np.triu_indices(len(on))
        a, c = on[left], on[right]
        ok = (a != c) | (n[a] >= 2)
        a, c = a[ok], c[ok]
        with np.errstate(over="ignore"):
            keys = self.group_key[a] + self.group_key[c]
        slot = np.searchsorted(self.unique_keys, keys)
        slot = np.minimum(slot, len(self.unique_keys) - 1)
        found = self.unique_keys[slot] == keys
        if not found.any():
            return None
        gains = np.where(found, best_per_key[slot] - weights[a] - weights[c], -np.inf)
        k = int(np.argmax(gains))
        if not gains[k] > 1e-12:
            return None
        key_slot = int(slot[k])
        start = self.starts[key_slot]
        stop = self.starts[key_slot + 1] if key_slot + 1 < len(self.starts) else len(self.keys)
        j = start + int(np.argmax(value[start:stop]))
        return int(a[k]), int(c[k]), int(self.first[j]), int(self.second[j])
