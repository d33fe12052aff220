"""Small random pools for property-based tests, and an independent brute-force leximin."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import strategies as st
from scipy.optimize import linprog

from nhs_citizen.panels.algorithms.feasibility import check_feasibility
from nhs_citizen.panels.algorithms.model import Person, Problem, Quota

CATEGORY_VALUES = {
    "Age band": ["Young", "Middle", "Old"],
    "Sex": ["Female", "Male"],
    "Region": ["North", "South"],
}


@st.composite
def small_problems(draw, max_people: int = 12, max_panel: int = 4) -> Problem:
    """A pool of 5-12 people, 1-3 categories, some households, quotas near proportional."""
    number = draw(st.integers(5, max_people))
    categories = draw(
        st.lists(st.sampled_from(sorted(CATEGORY_VALUES)), min_size=1, max_size=3, unique=True)
    )
    people = []
    household = 0
    i = 0
    while i < number:
        features = {c: draw(st.sampled_from(CATEGORY_VALUES[c])) for c in categories}
        pair = i + 1 < number and draw(st.integers(0, 4)) == 0
        label = f"H{household}" if pair else None
        people.append(Person(id=f"p{i:02d}", features=features, household=label))
        i += 1
        if pair:
            mate = {c: draw(st.sampled_from(CATEGORY_VALUES[c])) for c in categories}
            people.append(Person(id=f"p{i:02d}", features=mate, household=label))
            household += 1
            i += 1
    k = draw(st.integers(2, min(max_panel, len(people) - 1)))
    quotas = []
    for category in categories:
        for value in CATEGORY_VALUES[category]:
            share = sum(p.features[category] == value for p in people) / len(people)
            target = round(share * k)
            low = max(0, target - draw(st.integers(0, 1)))
            high = min(k, target + draw(st.integers(0, 1)))
            quotas.append(Quota(category, value, low, high))
    return Problem(people, quotas, k)


def feasible(problem: Problem) -> bool:
    return check_feasibility(problem).feasible


def all_panels(problem: Problem) -> list[frozenset[str]]:
    ids = [p.id for p in problem.people]
    return [
        frozenset(c)
        for c in itertools.combinations(ids, problem.panel_size)
        if problem.is_valid_panel(c)
    ]


def brute_force_leximin(problem: Problem) -> dict[str, float]:
    """Textbook leximin over every valid panel, person by person, with scipy's LP solver: after
    each stage, a person is fixed only if an LP shows they cannot rise above the stage level."""
    panels = all_panels(problem)
    ids = [p.id for p in problem.people]
    n, m = len(ids), len(panels)
    a = np.array([[1.0 if i in panel else 0.0 for panel in panels] for i in ids])  # people x panels
    fixed: dict[int, float] = {}
    while len(fixed) < n:
        unfixed = [i for i in range(n) if i not in fixed]
        z = _max_min(a, m, fixed, unfixed)
        stuck = []
        for i in unfixed:
            # Can i rise above z while every other unfixed person keeps z and fixed ones keep theirs?
            c = np.zeros(m)
            c[:] = -a[i]
            rows, rhs = [], []
            for j in unfixed:
                rows.append(-a[j])
                rhs.append(-(z - 1e-9))
            for j, level in fixed.items():
                rows.append(-a[j])
                rhs.append(-(level - 1e-9))
            result = linprog(
                c,
                A_ub=np.array(rows),
                b_ub=np.array(rhs),
                A_eq=np.ones((1, m)),
                b_eq=[1.0],
                bounds=(0, None),
                method="highs",
            )
            if -result.fun <= z + 1e-7:
                stuck.append(i)
        for i in stuck or [unfixed[0]]:
            fixed[i] = z
    return {ids[i]: fixed[i] for i in range(n)}


def _max_min(a, m, fixed, unfixed) -> float:
    # Variables: x (m), z. Maximise z.
    c = np.zeros(m + 1)
    c[-1] = -1.0
    rows, rhs = [], []
    for j in unfixed:
        rows.append(np.concatenate([-a[j], [1.0]]))
        rhs.append(0.0)
    for j, level in fixed.items():
        rows.append(np.concatenate([-a[j], [0.0]]))
        rhs.append(-(level - 1e-9))
    result = linprog(
        c,
        A_ub=np.array(rows),
        b_ub=np.array(rhs),
        A_eq=np.concatenate([np.ones(m), [0.0]])[None, :],
        b_eq=[1.0],
        bounds=[(0, None)] * m + [(0, 1)],
        method="highs",
    )
    return -result.fun
