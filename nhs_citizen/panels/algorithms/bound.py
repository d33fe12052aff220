"""An independent check that the lowest selection probability is as high as it can be.

For any weights y >= 0 on the people in the pool that add up to 1, and any distribution over
valid panels with probabilities p,

    min_i p_i  <=  sum_i y_i p_i  =  E[ y(P) ]  <=  max over valid panels P of y(P),

where y(P) is the total weight of the people on panel P. So if some y has
max_P y(P) <= minimum, no distribution can give everyone more than ``minimum``: the minimum is
optimal. The weights are the dual prices of the linear program that settled the minimum
(``optimality_certificate``); ``check_optimality`` needs nothing from that program. It solves one
integer program of its own, over people (quotas, panel size, one per household), with HiGHS.

Pure: numpy and highspy, no Django.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Mapping

import highspy
import numpy as np

from nhs_citizen.core.words import count_words

from .model import Distribution, Problem

# Weights below this are taken as zero when checking the sign (rounding in the dual prices).
SIGN_TOLERANCE = 1e-12
# The weights must add up to 1 give or take this.
SUM_TOLERANCE = 1e-6
MAX_LISTED = 5


def optimality_certificate(distribution: Distribution) -> dict[str, float]:
    """Weights per person id (non-negative, adding up to 1) that prove the distribution's
    minimum probability optimal: the dual prices, per group, of the linear program that settled
    the minimum, shared equally by the group's members. Raises ValueError when the distribution
    does not carry them (the minimum was not proved, or it came from another method)."""
    prices = distribution.details.get("certificate") if distribution.details else None
    if prices is None:
        raise ValueError(
            "This distribution has no proof that its lowest chance is the best possible."
        )
    groups = distribution.compiled.groups
    prices = np.maximum(np.asarray(prices, dtype=np.float64), 0.0)
    if len(prices) != len(groups) or not prices.sum() > 0:
        raise ValueError("The proof does not match the groups of this distribution.")
    prices = prices / prices.sum()
    weights: dict[str, float] = {}
    for g, group in enumerate(groups):
        share = float(prices[g]) / group.size
        for member in group.members:
            weights[member] = share
    total = math.fsum(weights.values())
    return {person: weight / total for person, weight in weights.items()}


def check_optimality(
    problem: Problem,
    minimum: float,
    certificate: Mapping[str, float],
    *,
    tolerance: float = 1e-6,
    time_limit: float | None = None,
) -> list[str]:
    """Plain-English reasons why ``certificate`` does not prove that no distribution over valid
    panels of ``problem`` can give everyone a chance above ``minimum``; empty when it does.

    Checks the certificate (every weight a number, none negative, adding up to 1, only people
    in the pool), then finds the valid panel of greatest weight with an integer program and
    confirms that its weight is at most ``minimum + tolerance``. ``time_limit`` (seconds) is a
    wall-clock limit on that program; if it runs out before the weight is settled, that is a
    problem too."""
    found: list[str] = []
    if not isinstance(minimum, int | float) or not math.isfinite(minimum):
        return ["The lowest chance to check is not a number."]
    known = {p.id for p in problem.people}
    unknown = sorted(pid for pid in certificate if pid not in known)
    if unknown:
        found.append(
            f"The proof gives weight to {count_words(len(unknown), 'person', 'people')} "
            f"who {'is' if len(unknown) == 1 else 'are'} not in the pool "
            f"(for example {unknown[0]})."
        )
    values: dict[str, float] = {}
    for pid, weight in certificate.items():
        try:
            value = float(weight)
        except (TypeError, ValueError):
            value = math.nan
        if not math.isfinite(value):
            found.append(f"The proof's weight for {pid} is not a number.")
        elif value < -SIGN_TOLERANCE:
            found.append(f"The proof's weight for {pid} is negative ({value:.3g}).")
        values[pid] = value
    if found:
        return _capped(found)
    total = math.fsum(values.values())
    if abs(total - 1.0) > SUM_TOLERANCE:
        return [f"The proof's weights add up to {total:.6f}, not 1."]
    best, settled = _heaviest_panel(problem, values, time_limit)
    if best is None:
        return ["No panel meets the quotas and the one-per-household rule, so there is no draw."]
    if best > minimum + tolerance:
        if settled:
            return [
                f"A valid panel has weight {best:.6f} under the proof's weights, more than the "
                f"lowest chance {minimum:.6f}: the proof does not show that the lowest chance "
                "is the best possible."
            ]
        return [
            "The check ran out of time before it could show that no valid panel weighs more "
            f"than the lowest chance {minimum:.6f} (it could only show at most {best:.6f})."
        ]
    return []


def _heaviest_panel(
    problem: Problem, weights: Mapping[str, float], time_limit: float | None
) -> tuple[float | None, bool]:
    """An upper bound on max over valid panels P of the weight of P, and whether it is exact.
    None when there is no valid panel.

    One integer variable per class of interchangeable people (the same quota values and
    weight, no housemate in the pool: how many of them sit on the panel), and one binary
    variable per person who shares a household. This is the same as one binary per person."""
    start = time.perf_counter()
    quota_index = {(q.category, q.value): r for r, q in enumerate(problem.quotas)}
    categories = list(dict.fromkeys(q.category for q in problem.quotas))
    household_size: dict[str, int] = defaultdict(int)
    for person in problem.people:
        if person.household is not None:
            household_size[person.household] += 1
    classes: dict[tuple, list[str]] = defaultdict(list)
    for person in problem.people:
        rows = tuple(
            quota_index[(c, person.features.get(c))]
            for c in categories
            if (c, person.features.get(c)) in quota_index
        )
        weight = float(weights.get(person.id, 0.0))
        if person.household is not None and household_size[person.household] > 1:
            key = ("household", person.id, person.household, rows, weight)
        else:
            key = ("alike", rows, weight)
        classes[key].append(person.id)
    keys = list(classes)
    households = sorted({k[2] for k in keys if k[0] == "household"})
    household_row = {h: 1 + len(problem.quotas) + i for i, h in enumerate(households)}
    num_row = 1 + len(problem.quotas) + len(households)
    start_index = [0]
    index: list[int] = []
    cost = np.zeros(len(keys))
    upper = np.zeros(len(keys))
    for j, key in enumerate(keys):
        rows = [0] + [1 + r for r in key[-2]]
        if key[0] == "household":
            rows.append(household_row[key[2]])
        index += rows
        start_index.append(len(index))
        cost[j] = -max(0.0, key[-1])  # HiGHS minimises
        upper[j] = len(classes[key])
    lp = highspy.HighsLp()
    lp.num_col_ = len(keys)
    lp.num_row_ = num_row
    lp.col_cost_ = cost
    lp.col_lower_ = np.zeros(len(keys))
    lp.col_upper_ = upper
    k = float(problem.panel_size)
    lp.row_lower_ = np.array([k] + [float(q.min) for q in problem.quotas] + [0.0] * len(households))
    lp.row_upper_ = np.array([k] + [float(q.max) for q in problem.quotas] + [1.0] * len(households))
    matrix = highspy.HighsSparseMatrix()
    matrix.format_ = highspy.MatrixFormat.kColwise
    matrix.num_col_ = len(keys)
    matrix.num_row_ = num_row
    matrix.start_ = np.array(start_index, dtype=np.int32)
    matrix.index_ = np.array(index, dtype=np.int32)
    matrix.value_ = np.ones(len(index))
    lp.a_matrix_ = matrix
    lp.integrality_ = [highspy.HighsVarType.kInteger] * len(keys)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("log_to_console", False)
    h.setOptionValue("random_seed", 0)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", 1e-10)
    if time_limit is not None:
        h.setOptionValue("time_limit", max(0.01, float(time_limit) - (time.perf_counter() - start)))
    h.passModel(lp)
    h.run()
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kInfeasible:
        return None, True
    bound = -float(h.getInfo().mip_dual_bound)
    if status == highspy.HighsModelStatus.kOptimal:
        value = -float(h.getInfo().objective_function_value)
        return max(value, bound), True
    if not math.isfinite(bound):
        return math.inf, False
    return bound, False


def _capped(found: list[str]) -> list[str]:
    if len(found) <= MAX_LISTED:
        return found
    return [*found[:MAX_LISTED], f"And {len(found) - MAX_LISTED} more problems like these."]
