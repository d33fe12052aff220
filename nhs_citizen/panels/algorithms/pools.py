"""Generated volunteer pools with self-selection bias, for tests and the benchmark.

People who volunteer are not like the population: here younger people, women and people with
a degree volunteer more, and older people, people without qualifications, disabled people and
people in deprived areas volunteer less. Quotas come from the population shares, so the groups
that volunteer least are the ones the algorithm must work hardest for.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from .model import Person, Problem, Quota


@dataclass(frozen=True)
class Category:
    name: str
    values: tuple[
        tuple[str, float, float], ...
    ]  # (value, population share, propensity to volunteer)


CATEGORIES: tuple[Category, ...] = (
    Category(
        "Age band",
        (
            ("16-29", 0.22, 1.7),
            ("30-44", 0.25, 1.3),
            ("45-59", 0.25, 1.0),
            ("60-74", 0.18, 0.7),
            ("75+", 0.10, 0.35),
        ),
    ),
    Category("Sex", (("Female", 0.51, 1.2), ("Male", 0.49, 0.8))),
    Category(
        "Education",
        (
            ("Degree", 0.34, 2.2),
            ("A level", 0.17, 1.0),
            ("GCSE", 0.30, 0.7),
            ("No qualifications", 0.19, 0.3),
        ),
    ),
    Category(
        "Region",
        (
            ("London", 0.16, 1.4),
            ("South East", 0.16, 1.1),
            ("South West", 0.10, 1.0),
            ("East of England", 0.11, 0.9),
            ("Midlands", 0.19, 0.8),
            ("North East and Yorkshire", 0.15, 0.8),
            ("North West", 0.13, 0.9),
        ),
    ),
    Category(
        "Ethnicity",
        (
            ("White", 0.81, 1.0),
            ("Asian", 0.10, 0.7),
            ("Black", 0.04, 0.6),
            ("Mixed", 0.03, 1.1),
            ("Other", 0.02, 0.8),
        ),
    ),
    Category("Disability", (("Disabled", 0.18, 0.6), ("Not disabled", 0.82, 1.1))),
    Category(
        "Deprivation",
        (
            ("Most deprived fifth", 0.20, 0.5),
            ("Second fifth", 0.20, 0.8),
            ("Middle fifth", 0.20, 1.0),
            ("Fourth fifth", 0.20, 1.2),
            ("Least deprived fifth", 0.20, 1.5),
        ),
    ),
)

# Categories that people at the same address share.
SHARED_BY_HOUSEHOLD = {"Region", "Deprivation"}


def _pick(rng: random.Random, values: tuple[tuple[str, float, float], ...]) -> str:
    weights = [share * propensity for _, share, propensity in values]
    return rng.choices([v for v, _, _ in values], weights=weights)[0]


def _apportion(shares: list[float], seats: int) -> list[int]:
    """Largest remainder: whole seats in proportion to ``shares``, adding up to ``seats``."""
    total = sum(shares)
    exact = [seats * s / total for s in shares]
    whole = [math.floor(e) for e in exact]
    order = sorted(range(len(shares)), key=lambda i: exact[i] - whole[i], reverse=True)
    for i in order[: seats - sum(whole)]:
        whole[i] += 1
    return whole


def generated_pool(
    size: int,
    panel_size: int,
    categories: int,
    *,
    exact: bool = False,
    slack: int = 1,
    household_share: float = 0.1,
    seed: int = 0,
) -> Problem:
    """A pool of ``size`` volunteers described by the first ``categories`` categories, with
    quotas for a panel of ``panel_size`` from population shares: exactly, or give or take
    ``slack`` seats. About ``household_share`` of people share a household with one other
    person in the pool. The first feasible pool for ``seed`` is returned, so the same arguments
    always give the same problem."""
    chosen = CATEGORIES[:categories]
    for attempt in range(100):
        rng = random.Random(f"{seed}/{attempt}")
        people: list[Person] = []
        number = 0
        while len(people) < size:
            features = {c.name: _pick(rng, c.values) for c in chosen}
            pair = len(people) + 1 < size and rng.random() < household_share / 2
            household = f"H{number:05d}" if pair else None
            people.append(
                Person(id=f"V{len(people) + 1:05d}", features=features, household=household)
            )
            if pair:
                mate = {c.name: _pick(rng, c.values) for c in chosen}
                mate.update({k: v for k, v in features.items() if k in SHARED_BY_HOUSEHOLD})
                people.append(
                    Person(id=f"V{len(people) + 1:05d}", features=mate, household=household)
                )
                number += 1
        quotas = []
        for category in chosen:
            seats = _apportion([share for _, share, _ in category.values], panel_size)
            for (value, _, _), target in zip(category.values, seats, strict=True):
                if exact:
                    quotas.append(Quota(category.name, value, target, target))
                else:
                    quotas.append(
                        Quota(
                            category.name,
                            value,
                            max(0, target - slack),
                            min(panel_size, target + slack),
                        )
                    )
        problem = Problem(people, quotas, panel_size)
        from .feasibility import check_feasibility

        if check_feasibility(problem).feasible:
            return problem
    raise RuntimeError("Could not generate a feasible pool.")


def symmetric_pool(size: int = 200, panel_size: int = 20) -> Problem:
    """Every combination of two binary categories equally often, quotas exactly in proportion:
    by symmetry, everyone's fair probability is panel_size / size."""
    people = []
    for i in range(size):
        people.append(
            Person(
                id=f"S{i:04d}",
                features={
                    "Sex": ("Female", "Male")[i % 2],
                    "Age band": ("Under 50", "50 and over")[(i // 2) % 2],
                },
            )
        )
    half = panel_size // 2
    quotas = [
        Quota("Sex", "Female", half, half),
        Quota("Sex", "Male", half, half),
        Quota("Age band", "Under 50", half, half),
        Quota("Age band", "50 and over", half, half),
    ]
    return Problem(people, quotas, panel_size)


# Named pools for the benchmark and the slow tests: name -> arguments of ``generated_pool``.
# All have self-selection bias; the larger three have households too (about a fifth of the
# 800 and 1,200 pools and a tenth of the 2,000 pool live with someone else in the pool).
NAMED_POOLS: dict[str, dict] = {
    "500/30/4": dict(size=500, panel_size=30, categories=4, slack=1, seed=1),
    "360/30/7 exact": dict(size=360, panel_size=30, categories=7, exact=True, seed=2),
    "800/60/5": dict(size=800, panel_size=60, categories=5, slack=1, household_share=0.2, seed=4),
    "1200/100/5": dict(
        size=1200, panel_size=100, categories=5, slack=2, household_share=0.2, seed=5
    ),
    "2000/200/6": dict(
        size=2000, panel_size=200, categories=6, slack=2, household_share=0.1, seed=3
    ),
}


def named_pool(name: str) -> Problem:
    """One of ``NAMED_POOLS`` (the same problem every time)."""
    return generated_pool(**NAMED_POOLS[name])
