"""Can the quotas be met from this pool? If not, say why in plain English and suggest the
smallest change to the quotas that would work."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import highspy
import numpy as np

from nhs_citizen.core.words import count_words

from ._highs import INF, PanelProgram, Status, column_matrix, quiet_highs
from .model import Problem, Quota


@dataclass(frozen=True)
class Relaxation:
    """A change to one quota. Only ``new_min`` < ``min`` or ``new_max`` > ``max`` ever happens."""

    category: str
    value: str
    min: int
    max: int
    new_min: int
    new_max: int

    @property
    def label(self) -> str:
        return f"{self.category}: {self.value}"

    @property
    def seats(self) -> int:
        return (self.min - self.new_min) + (self.new_max - self.max)

    def describe(self) -> str:
        parts = []
        if self.new_min < self.min:
            parts.append(f"lower the minimum for {self.label} from {self.min} to {self.new_min}")
        if self.new_max > self.max:
            parts.append(f"raise the maximum for {self.label} from {self.max} to {self.new_max}")
        text = " and ".join(parts)
        return text[0].upper() + text[1:] + "."


@dataclass(frozen=True)
class Feasibility:
    feasible: bool
    reasons: tuple[str, ...] = ()
    conflicting: tuple[Quota, ...] = ()
    relaxations: tuple[Relaxation, ...] = ()
    # True when no change of quotas helps: the pool itself is too small (or has too few households).
    pool_too_small: bool = False

    @property
    def explanation(self) -> str:
        if self.feasible:
            return "The quotas can be met from this pool."
        lines = list(self.reasons)
        if self.relaxations:
            lines.append("The smallest change that would work:")
            lines += [f"- {r.describe()}" for r in self.relaxations]
        return "\n".join(lines)

    def relaxed_quotas(self, problem: Problem) -> list[Quota]:
        changed = {(r.category, r.value): r for r in self.relaxations}
        quotas = []
        for q in problem.quotas:
            r = changed.get((q.category, q.value))
            quotas.append(q if r is None else Quota(q.category, q.value, r.new_min, r.new_max))
        return quotas


def _seats_word(n: int) -> str:
    return count_words(n, "seat")


def _people_word(n: int) -> str:
    return count_words(n, "person", "people")


def _available(problem: Problem, members: list[str]) -> int:
    """How many of ``members`` can sit on one panel: one per household."""
    households = set()
    count = 0
    for m in members:
        h = problem.person(m).household
        if h is None:
            count += 1
        elif h not in households:
            households.add(h)
            count += 1
    return count


def _simple_reasons(problem: Problem) -> tuple[list[str], set[int], bool]:
    """Conflicts that arithmetic shows: (reasons, indices of quotas involved, pool too small)."""
    k = problem.panel_size
    reasons: list[str] = []
    involved: set[int] = set()
    pool_too_small = False
    everyone = [p.id for p in problem.people]
    if len(everyone) < k:
        reasons.append(
            f"The panel has {_seats_word(k)}, but only {_people_word(len(everyone))} are in the pool."
        )
        pool_too_small = True
    elif _available(problem, everyone) < k:
        reasons.append(
            f"The panel has {_seats_word(k)}, but the pool has people from only "
            f"{_available(problem, everyone)} different households, and only one person per "
            "household can be chosen."
        )
        pool_too_small = True

    members: dict[tuple[str, str], list[str]] = defaultdict(list)
    for person in problem.people:
        for category in problem.categories:
            members[(category, person.features.get(category))].append(person.id)

    for i, q in enumerate(problem.quotas):
        available = _available(problem, members[(q.category, q.value)])
        if q.min > q.max:
            reasons.append(
                f"The minimum for {q.label} ({q.min}) is more than its maximum ({q.max})."
            )
            involved.add(i)
        if q.min > k:
            reasons.append(
                f"The minimum for {q.label} is {q.min}, but the panel has only {_seats_word(k)}."
            )
            involved.add(i)
        elif q.min > available:
            people = len(members[(q.category, q.value)])
            if people > available:
                reasons.append(
                    f"The minimum for {q.label} is {q.min}, but the pool has only {available} people "
                    f"in that group from different households."
                )
            else:
                in_group = (
                    "nobody in the pool is"
                    if people == 0
                    else f"only {_people_word(people)} in the pool {'is' if people == 1 else 'are'}"
                )
                reasons.append(
                    f"The minimum for {q.label} is {q.min}, but {in_group} in that group."
                )
            involved.add(i)

    for category in problem.categories:
        rows = [i for i, q in enumerate(problem.quotas) if q.category == category]
        mins = sum(problem.quotas[i].min for i in rows)
        if mins > k:
            reasons.append(
                f"The panel has {_seats_word(k)}, but the minimums for {category} add up to {mins}."
            )
            involved.update(rows)
        values = {problem.quotas[i].value for i in rows}
        uncounted = [p.id for p in problem.people if p.features.get(category) not in values]
        # Most seats this category's quotas let us fill, group by group.
        fillable = sum(
            min(
                problem.quotas[i].max,
                _available(problem, members[(category, problem.quotas[i].value)]),
            )
            for i in rows
        ) + min(k, _available(problem, uncounted))
        maxes = sum(problem.quotas[i].max for i in rows)
        if not uncounted and maxes < k:
            reasons.append(
                f"The panel has {_seats_word(k)}, but the maximums for {category} add up to only {maxes}."
            )
            involved.update(rows)
        elif fillable < k and len(everyone) >= k:
            reasons.append(
                f"The panel has {_seats_word(k)}, but even with every {category} group filled up to "
                f"its maximum, this pool fills only {_seats_word(fillable)}."
            )
            involved.update(rows)
    return reasons, involved, pool_too_small


def _smallest_relaxation(problem: Problem) -> list[Relaxation] | None:
    """Integer program: choose a panel and per-quota slack that minimises the total seats of
    change to the quotas. None when no change to the quotas helps."""
    compiled = problem.compiled
    groups = compiled.groups
    k = problem.panel_size
    quotas = problem.quotas
    nq = len(quotas)
    ng = len(groups)
    # Columns: seats per group, then slack below each minimum, then slack above each maximum.
    num_row = 1 + 2 * nq + len(compiled.households)
    household_row = {
        g: 1 + 2 * nq + h for h, members in enumerate(compiled.households) for g in members
    }
    columns = []
    for g, group in enumerate(groups):
        column = [(0, 1.0)]
        for r in group.quota_rows:
            column += [(1 + r, 1.0), (1 + nq + r, 1.0)]
        if g in household_row:
            column.append((household_row[g], 1.0))
        columns.append(column)
    for r in range(nq):
        columns.append([(1 + r, 1.0)])  # count + below >= min
    for r in range(nq):
        columns.append([(1 + nq + r, -1.0)])  # count - above <= max
    lp = highspy.HighsLp()
    lp.num_col_ = ng + 2 * nq
    lp.num_row_ = num_row
    # Lowering a small minimum is a bigger change than raising a maximum: a tie-break only.
    cost = [0.0] * ng
    cost += [1.0 + 0.01 / max(1, q.min) for q in quotas]
    cost += [1.0] * nq
    lp.col_cost_ = np.array(cost)
    lp.col_lower_ = np.zeros(ng + 2 * nq)
    lp.col_upper_ = np.array(
        [float(g.size) for g in groups] + [float(q.min) for q in quotas] + [float(k)] * nq
    )
    lp.row_lower_ = np.array(
        [float(k)] + [float(q.min) for q in quotas] + [-INF] * nq + [0.0] * len(compiled.households)
    )
    lp.row_upper_ = np.array(
        [float(k)] + [INF] * nq + [float(q.max) for q in quotas] + [1.0] * len(compiled.households)
    )
    lp.a_matrix_ = column_matrix(columns, num_row)
    lp.integrality_ = [highspy.HighsVarType.kInteger] * (ng + 2 * nq)
    h = quiet_highs(mip_rel_gap=0.0)
    h.passModel(lp)
    h.run()
    if h.getModelStatus() != Status.kOptimal:
        return None
    values = h.getSolution().col_value
    relaxations = []
    for r, q in enumerate(quotas):
        below = int(round(values[ng + r]))
        above = int(round(values[ng + nq + r]))
        if below or above:
            relaxations.append(
                Relaxation(q.category, q.value, q.min, q.max, q.min - below, q.max + above)
            )
    return relaxations


def check_feasibility(problem: Problem) -> Feasibility:
    """Whether some panel meets every quota and the one-per-household rule; if none does, the
    reasons in plain English, the quotas in conflict and the smallest relaxation."""
    reasons, involved, pool_too_small = _simple_reasons(problem)
    if not reasons and PanelProgram(problem.compiled, rel_gap=1e-4).any_panel() is not None:
        return Feasibility(feasible=True)
    if pool_too_small:
        return Feasibility(feasible=False, reasons=tuple(reasons), pool_too_small=True)
    relaxations = _smallest_relaxation(problem)
    if relaxations is None:
        return Feasibility(
            feasible=False,
            reasons=tuple(reasons)
            or ("No panel can be formed from this pool, whatever the quotas.",),
            pool_too_small=True,
        )
    if not reasons:
        # No single quota or category is at fault: several quotas conflict through the people
        # the pool has (for example, too few young men for both the young and the men minimums).
        labels = [f"{r.label}" for r in relaxations]
        reasons.append(
            "Each quota can be met on its own, but not all together with the people in this pool. "
            f"The quotas that conflict include {_join(labels)}."
        )
    index = {(q.category, q.value): i for i, q in enumerate(problem.quotas)}
    involved.update(index[(r.category, r.value)] for r in relaxations)
    return Feasibility(
        feasible=False,
        reasons=tuple(reasons),
        conflicting=tuple(problem.quotas[i] for i in sorted(involved)),
        relaxations=tuple(relaxations),
    )


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
