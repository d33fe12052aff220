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
import json
import math
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import highspy
import numpy as np

from ._highs import INF, PanelProgram, column_matrix, quiet_highs, quota_keys
from .model import Distribution, Problem

DEFAULT_PANELS = 1000


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


def canonical_panels_json(panels: Sequence[Sequence[str]]) -> str:
    return json.dumps([list(p) for p in panels], separators=(",", ":"), ensure_ascii=True)


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
    time_limit: float = 2.0,
    use_spare_panels: bool = False,
) -> Lottery:
    """Round ``distribution`` to a uniform lottery over ``m`` panels, losing as little as
    possible: everyone keeps at least floor(m * p) of the m panels whenever the integer program
    can do it (it almost always can), so the minimum probability drops by less than 1/m.

    The integer program starts from a greedy rounding and gets ``time_limit`` seconds to improve
    it; on pools of 120 to 500 it found nothing better in 60 seconds than in half a second, and
    the person-level repair after it does the rest, so the default is short enough for a web
    request."""
    if m < 1:
        raise ValueError("A lottery needs at least one panel.")
    compiled = distribution.compiled
    sizes = np.array(compiled.sizes, dtype=np.float64)
    probabilities = np.array(distribution.group_probabilities)
    compositions = list(distribution.compositions)
    if use_spare_panels:
        compositions += list(distribution.spare_compositions)
    start = time.perf_counter()
    copies, _ = _whole_copies(
        compositions, distribution.weights, probabilities, sizes, m, time_limit
    )
    panels = _concrete_panels(compiled.groups, compositions, copies)
    target = dict(distribution.probabilities)
    guarantee = math.floor(m * min(target.values()) + 1e-9)
    # The repair may take as long again as the integer program was allowed: first for the
    # guarantee, then (if time is left) to bring people nearer their fair share.
    deadline = start + 2 * time_limit + 1.0
    repair = _Repair(distribution.problem, panels, target, m, guarantee)
    panels, shortfall = repair.run(deadline=deadline)
    if shortfall > 0:
        # Tight (for example exact) quotas: the panels of the distribution cannot be mixed
        # well enough. Build the lottery again, adding new panels chosen for who is short.
        filled = _fill_with_new_panels(distribution, m, time.perf_counter() + 4 * time_limit + 5.0)
        filled_panels = _concrete_panels(compiled.groups, *filled)
        repair = _Repair(distribution.problem, filled_panels, target, m, guarantee)
        other, other_shortfall = repair.run(deadline=time.perf_counter() + 2 * time_limit + 1.0)
        if other_shortfall < shortfall:
            panels, shortfall = other, other_shortfall
    return Lottery(
        problem=distribution.problem,
        panels=tuple(sorted(panels)),
        target=target,
        method=distribution.method,
        shortfall=shortfall,
    )


def _whole_copies(
    compositions: list[tuple[int, ...]],
    weights: Sequence[float],
    probabilities: np.ndarray,
    sizes: np.ndarray,
    m: int,
    time_limit: float,
) -> tuple[list[int], float]:
    """Integer copies per composition, adding up to m.

    Hard (with a heavily penalised slack, so there is always an answer): every group gets at
    least size * floor(m * p_min) seats, so that nobody falls below floor(m * p_min) panels and
    the minimum probability drops by less than 1/m. Soft: every group's seats per member stay as
    close as possible to m * p_g (minimise the largest miss, then the total miss)."""
    num_groups = len(sizes)
    num_panels = len(compositions)
    target = m * probabilities * sizes  # seats each group should get across the m panels
    floor_min = math.floor(m * float(probabilities.min()) + 1e-9)
    # Columns: copies per composition | miss below per group | miss above per group |
    #          shortfall below the guarantee per group | largest miss (per member).
    below0 = num_panels
    above0 = below0 + num_groups
    short0 = above0 + num_groups
    worst = short0 + num_groups
    num_col = worst + 1
    # Rows: 0: copies add up to m | 1+g: seats - above + below = target |
    #       1+G+g: seats + shortfall >= size * floor_min | 1+2G+g: (below + above) / size <= worst
    num_row = 1 + 3 * num_groups
    columns: list[list[tuple[int, float]]] = []
    for composition in compositions:
        seats = [(g, float(n)) for g, n in enumerate(composition) if n]
        columns.append(
            [(0, 1.0)]
            + [(1 + g, n) for g, n in seats]
            + [(1 + num_groups + g, n) for g, n in seats]
        )
    for g in range(num_groups):
        columns.append([(1 + g, 1.0), (1 + 2 * num_groups + g, 1.0 / sizes[g])])
    for g in range(num_groups):
        columns.append([(1 + g, -1.0), (1 + 2 * num_groups + g, 1.0 / sizes[g])])
    for g in range(num_groups):
        columns.append([(1 + num_groups + g, 1.0)])
    columns.append([(1 + 2 * num_groups + g, -1.0) for g in range(num_groups)])
    cost = np.zeros(num_col)
    cost[short0:worst] = 1000.0 / sizes
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
    lp.col_lower_ = np.concatenate([low, np.zeros(3 * num_groups + 1)])
    lp.col_upper_ = np.concatenate([high, np.full(3 * num_groups + 1, INF)])
    lp.row_lower_ = np.concatenate(
        [[float(m)], target, sizes * floor_min, np.full(num_groups, -INF)]
    )
    lp.row_upper_ = np.concatenate(
        [[float(m)], target, np.full(num_groups, INF), np.zeros(num_groups)]
    )
    lp.a_matrix_ = column_matrix(columns, num_row)
    lp.integrality_ = [highspy.HighsVarType.kInteger] * num_panels + [
        highspy.HighsVarType.kContinuous
    ] * (3 * num_groups + 1)
    # Good enough, and stop there: nobody below the guarantee (each seat short costs far more
    # than 2), and every group within two panels per member of its fair share.
    h = quiet_highs(time_limit=float(time_limit), objective_target=2.0 + 1e-9)
    h.passModel(lp)
    # Start from a greedy rounding, so there is always a good answer to improve on.
    start = _greedy_copies(compositions, padded, target, sizes, floor_min, m, high)
    start_values = _start_values(compositions, start, target, sizes, floor_min)
    solution = highspy.HighsSolution()
    solution.col_value = start_values
    h.setSolution(solution)
    h.run()
    values = h.getSolution().col_value if h.getInfo().primal_solution_status == 2 else start_values
    copies = [int(round(v)) for v in values[:num_panels]]
    if sum(copies) != m:  # cannot happen with an integral solution; keep the simple rounding
        copies = start
    seats = np.zeros(num_groups)
    for composition, number in zip(compositions, copies, strict=True):
        if number:
            seats += number * np.asarray(composition, dtype=np.float64)
    shortfall = float(np.maximum(0.0, sizes * floor_min - seats).max(initial=0.0))
    return copies, shortfall


def _start_values(compositions, copies, target, sizes, floor_min) -> list[float]:
    seats = np.zeros(len(sizes))
    for composition, number in zip(compositions, copies, strict=True):
        if number:
            seats += number * np.asarray(composition, dtype=np.float64)
    below = np.maximum(0.0, target - seats)
    above = np.maximum(0.0, seats - target)
    short = np.maximum(0.0, sizes * floor_min - seats)
    worst = float(((below + above) / sizes).max(initial=0.0))
    return [float(c) for c in copies] + list(below) + list(above) + list(short) + [worst]


def _greedy_copies(compositions, weights, target, sizes, floor_min, m, high) -> list[int]:
    """Whole copies m * weight rounded down, then the remaining copies one by one, each to the
    composition that most reduces the shortfall below the guarantee, and then the squared miss
    sum_g (target_g - seats_g)^2 / size_g."""
    seats_matrix = np.array(compositions, dtype=np.float64).T  # groups x compositions
    copies = [math.floor(m * w + 1e-9) for w in weights]
    seats = seats_matrix @ np.array(copies, dtype=np.float64)
    guarantee = sizes * floor_min
    squares = (seats_matrix**2 / sizes[:, None]).sum(axis=0)
    for _ in range(m - sum(copies)):
        miss = target - seats
        short = np.maximum(0.0, guarantee - seats)
        gain_short = np.minimum(seats_matrix, short[:, None]).sum(axis=0)
        change = squares - 2 * (miss / sizes) @ seats_matrix
        full = np.array(copies, dtype=np.float64) >= high
        j = int(np.argmin(np.where(full, np.inf, change - 1e6 * gain_short)))
        copies[j] += 1
        seats += seats_matrix[:, j]
    return copies


def _fill_with_new_panels(
    distribution: Distribution, m: int, deadline: float
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
    index = {c: i for i, c in enumerate(compositions)}
    for _ in range(m - sum(copies)):
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
                mip = program.best(weights)
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
        self.panels = [np.array([self.index[x] for x in panel], dtype=np.int64) for panel in panels]
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

    def _swap_into(self, b: int, donor_floor: np.ndarray) -> bool:
        """Put person b on one more panel, taking the seat of a member whose count stays at or
        above ``donor_floor``; prefer the member furthest above their fair share."""
        best = None
        rows_b = self.rows[b]
        for j, panel in enumerate(self.panels):
            if b in self.members[j]:
                continue
            if self.household[b] >= 0:
                mates = self.household[panel] == self.household[b]
                if mates.sum() > 1:
                    continue
            else:
                mates = None
            donors = panel[self.counts[panel] - 1 >= donor_floor[panel]]
            if mates is not None and mates.any():
                donors = panel[mates & (self.counts[panel] - 1 >= donor_floor[panel])]
            if not len(donors):
                continue
            counts = self.quota_counts[j]
            cannot_add = (counts + 1 > self.upper).astype(np.float64)
            cannot_remove = (counts - 1 < self.lower).astype(np.float64)
            rows_a = self.rows[donors]
            bad = ((1.0 - rows_a) * rows_b * cannot_add).sum(axis=1) + (
                rows_a * (1.0 - rows_b) * cannot_remove
            ).sum(axis=1)
            fine = donors[bad < 0.5]
            if not len(fine):
                continue
            surplus = self.counts[fine] - self.target[fine]
            k = int(np.argmax(surplus))
            if best is None or surplus[k] > best[0]:
                best = (surplus[k], j, int(fine[k]))
        if best is None:
            return False
        _, j, a = best
        panel = self.panels[j]
        panel[np.nonzero(panel == a)[0][0]] = b
        self.members[j].discard(a)
        self.members[j].add(b)
        self.quota_counts[j] += self.rows[b] - self.rows[a]
        self.counts[a] -= 1
        self.counts[b] += 1
        return True

    def _pair_into(self, b: int, donor_floor: np.ndarray) -> bool:
        """Put person b on one more panel by an exchange of two for two: on a panel without b,
        members a and c make way for b and one more person d, where a and c count towards
        exactly the quotas that b and d count towards (so every quota count stays the same).
        This is the move that works when quotas are exact and no single swap is possible.
        Prefers donors furthest above their fair share, and a d furthest below theirs."""
        if not len(self.pair_left):
            return False
        panels = np.array(self.panels)  # m x k
        on_panel = (panels == b).any(axis=1)
        a = panels[:, self.pair_left]
        c = panels[:, self.pair_right]
        can_give = self.counts - 1 >= donor_floor
        usable = can_give[a] & can_give[c] & ~on_panel[:, None]
        if not usable.any():
            return False
        with np.errstate(over="ignore"):
            wanted = self.key[a] + self.key[c] - self.key[b]
        low = np.searchsorted(self.sorted_keys, wanted, side="left")
        high = np.searchsorted(self.sorted_keys, wanted, side="right")
        usable &= high > low
        if not usable.any():
            return False
        surplus = self.counts - self.target
        score = np.where(usable, surplus[a] + surplus[c], -np.inf)
        order = np.argsort(-score, axis=None)
        for flat in order[:20000]:
            if not np.isfinite(score.flat[flat]):
                break
            j, pair = divmod(int(flat), a.shape[1])
            ai, ci = int(a[j, pair]), int(c[j, pair])
            candidates = self.key_order[low[j, pair] : high[j, pair]]
            best_d = None
            for d in candidates[np.argsort(surplus[candidates], kind="stable")]:
                d = int(d)
                if d == b or d in self.members[j]:
                    continue
                if not np.array_equal(self.rows[ai] + self.rows[ci], self.rows[b] + self.rows[d]):
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
        self, rounds: int = 3, deadline: float | None = None
    ) -> tuple[list[tuple[str, ...]], float]:
        def late() -> bool:
            return deadline is not None and time.perf_counter() > deadline

        floor = np.floor(self.target + 1e-9)
        ceil = np.ceil(self.target - 1e-9)
        guarantee = np.full(len(self.ids), float(self.guarantee))
        for _ in range(rounds):
            moved = False
            # 1. Everyone up to the guarantee: first from people who stay at or above their own
            #    floor, then from anyone who stays at or above the guarantee.
            for b in np.argsort(self.counts - self.target):
                if self.counts[b] >= self.guarantee:
                    break
                for donor_floor in (np.maximum(guarantee, floor), guarantee):
                    while self.counts[b] < self.guarantee and (
                        self._swap_into(int(b), donor_floor) or self._pair_into(int(b), donor_floor)
                    ):
                        moved = True
                if late():
                    break
            # 2. People below floor(m p) take panels from people above ceil(m p).
            for b in np.argsort(self.counts - self.target):
                if self.counts[b] >= floor[b] or late():
                    break
                donor_floor = np.maximum(guarantee, ceil)
                while self.counts[b] < floor[b] and (
                    self._swap_into(int(b), donor_floor) or self._pair_into(int(b), donor_floor)
                ):
                    moved = True
            if not moved or late():
                break
        shortfall = float(max(0, self.guarantee - int(self.counts.min())))
        panels = [tuple(sorted(self.ids[i] for i in p)) for p in self.panels]
        return panels, shortfall
