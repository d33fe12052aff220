"""Small helpers around HiGHS (``highspy``): quiet solvers and the "find a panel" integer program."""

from __future__ import annotations

from collections.abc import Sequence

import highspy
import numpy as np

from .model import CompiledProblem

INF = highspy.kHighsInf
Status = highspy.HighsModelStatus


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

    def improve(
        self, weights: Sequence[float], composition: Sequence[int], max_steps: int = 15
    ) -> list[tuple[int, ...]]:
        """Local search: from a valid panel, move one seat at a time from one group to another
        (keeping every quota and household rule) while that raises ``sum(weights[g] * n_g)``,
        always taking the best move. Returns the panel it ends on (a list of one; empty when no
        move helps). Much cheaper than the integer program, and in quotas with some slack it
        usually finds the improving panels that column generation needs."""
        w = np.asarray(weights, dtype=np.float64)
        n = np.array(composition, dtype=np.int64)
        M = self._quota_incidence
        moved = False
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
            moved = True
        return [tuple(int(x) for x in n)] if moved else []

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
        h.run()
        status = h.getModelStatus()
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
