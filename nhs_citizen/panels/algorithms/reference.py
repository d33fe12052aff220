"""A thin adapter to the reference library, ``sortition-algorithms`` (Sortition Foundation,
GPL-3.0), for tests and the benchmark: its maximin, on HiGHS or on CBC (its ``mip`` extra),
and its own lottery rounding.

The library is imported only when these functions are called, so the rest of the package works
without it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass

from .model import Distribution, Problem

BACKENDS = {"highs": "highspy", "cbc": "mip"}
HOUSEHOLD_COLUMN = "household"


class _TimeUp(Exception):
    pass


class ReferenceTimedOut(RuntimeError):
    """The time limit passed before the library had any distribution to return (it was still
    finding its first panels)."""


@dataclass(frozen=True)
class ReferenceResult:
    distribution: Distribution
    seconds: float
    # True when the time limit stopped column generation: the distribution is then the best one
    # over the panels found so far, not the maximin optimum.
    stopped_early: bool = False


def _features_and_people(problem: Problem):
    from sortition_algorithms.features import FeatureValueMinMax
    from sortition_algorithms.people import People

    k = problem.panel_size
    features: dict[str, dict[str, FeatureValueMinMax]] = {}
    for quota in problem.quotas:
        features.setdefault(quota.category, {})[quota.value] = FeatureValueMinMax(
            min=quota.min, max=quota.max, min_flex=0, max_flex=k
        )
    # The library wants every value a person has to be listed: values without a quota get 0..k.
    for person in problem.people:
        for category in features:
            value = person.features.get(category, "")
            if value not in features[category]:
                features[category][value] = FeatureValueMinMax(min=0, max=k, min_flex=0, max_flex=k)
    people = People(columns_to_keep=[HOUSEHOLD_COLUMN])
    for row, person in enumerate(problem.people):
        data = {category: person.features.get(category, "") for category in features}
        # Everyone gets an address; people who live alone get one of their own.
        data[HOUSEHOLD_COLUMN] = (
            person.household if person.household is not None else f"\x00{person.id}"
        )
        people.add(person.id, data, features, row_number=row + 1)
    return features, people


@contextlib.contextmanager
def _deadline(seconds: float | None) -> Iterator[None]:
    """Make every solver call of the library raise _TimeUp once ``seconds`` have passed, and
    catch it in the maximin loop to return the best distribution over the panels found so far."""
    if seconds is None:
        yield
        return
    from sortition_algorithms.committee_generation import maximin, solver

    end = time.perf_counter() + seconds
    state = {"armed": True}
    originals = {cls: cls.optimize for cls in (solver.HighsSolver, solver.MipSolver)}

    def guarded(original):
        def optimize(self):
            if state["armed"] and time.perf_counter() > end:
                raise _TimeUp
            return original(self)

        return optimize

    loop = maximin._run_maximin_optimization_loop

    def capped_loop(**kwargs):
        try:
            return loop(**kwargs)
        except _TimeUp:
            state["armed"] = False
            state["stopped"] = True
            committees = list(kwargs["committees"])
            probabilities = maximin._find_maximin_primal(
                committees, kwargs["covered_agents"], kwargs["solver_backend"]
            )
            return committees, probabilities, kwargs["report"]

    for cls, original in originals.items():
        cls.optimize = guarded(original)
    maximin._run_maximin_optimization_loop = capped_loop
    try:
        yield state
    finally:
        for cls, original in originals.items():
            cls.optimize = original
        maximin._run_maximin_optimization_loop = loop


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Silence the library: its loggers print to stdout, and CBC prints from C."""
    loggers = [logging.getLogger(n) for n in ("sortition_algorithms", "sortition_algorithms_user")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.WARNING)
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no real stdout (some test runners): nothing to silence at C level
        saved = None
    if saved is not None:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
    try:
        yield
    finally:
        if saved is not None:
            sys.stdout.flush()
            os.dup2(saved, 1)
            os.close(saved)
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


def reference_maximin(
    problem: Problem, *, solver: str = "highs", seed: int = 1, time_limit: float | None = None
) -> ReferenceResult:
    """The reference library's maximin distribution (``find_distribution_maximin``).

    ``solver`` is "highs" or "cbc". The library's random start is seeded with ``seed`` (it
    seeds Python's global ``random``). With ``time_limit`` (seconds), column generation stops
    once the limit has passed: see ``ReferenceResult.stopped_early``."""
    from sortition_algorithms.committee_generation import find_distribution_maximin
    from sortition_algorithms.utils import set_random_provider

    features, people = _features_and_people(problem)
    set_random_provider(seed)
    try:
        start = time.perf_counter()
        with _quiet(), _deadline(time_limit) as state:
            try:
                committees, probabilities, _report = find_distribution_maximin(
                    features,
                    people,
                    problem.panel_size,
                    [HOUSEHOLD_COLUMN],
                    solver_backend=BACKENDS[solver],
                )
            except _TimeUp:
                raise ReferenceTimedOut(
                    f"did not finish in {time_limit:.0f}s (no distribution yet)"
                ) from None
        seconds = time.perf_counter() - start
    finally:
        set_random_provider(None)
    distribution = Distribution.from_panels(
        problem, committees, probabilities, method=f"reference maximin ({solver})", seconds=seconds
    )
    return ReferenceResult(
        distribution, seconds, stopped_early=bool(state and state.get("stopped"))
    )


def reference_lottery(
    result: ReferenceResult, m: int = 1000, seed: int = 1
) -> list[frozenset[str]]:
    """The reference library's own rounding of its distribution to a uniform lottery over
    ``m`` panels (``core.lottery_rounding``: whole copies, then pipage rounding)."""
    from sortition_algorithms.committee_generation import standardize_distribution
    from sortition_algorithms.core import lottery_rounding
    from sortition_algorithms.utils import set_random_provider

    distribution = result.distribution
    members = [g.members[0] for g in distribution.compiled.groups]
    panels = [
        frozenset(members[i] for i, seats in enumerate(c) if seats)
        for c in distribution.compositions
    ]
    panels, weights = standardize_distribution(panels, list(distribution.weights))
    set_random_provider(seed)
    try:
        return lottery_rounding(panels, weights, m)
    finally:
        set_random_provider(None)
