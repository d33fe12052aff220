"""LEXIMIN at the Assembly's size: the decomposition of the relaxation's leximin point, and the
whole pipeline (both stages, the proof of the minimum, the lottery) on a medium pool."""

import time

import numpy as np
import pytest

from nhs_citizen.panels.algorithms._highs import PanelProgram
from nhs_citizen.panels.algorithms.bound import check_optimality, optimality_certificate
from nhs_citizen.panels.algorithms.leximin import (
    _decomposition_panels,
    find_distribution,
    relaxed_leximin,
)
from nhs_citizen.panels.algorithms.lottery import guarantee_problems, round_to_lottery
from nhs_citizen.panels.algorithms.pools import NAMED_POOLS, generated_pool, named_pool


def test_the_decomposition_finds_only_valid_panels():
    problem = generated_pool(150, 15, 4, seed=2)
    target, _ = relaxed_leximin(problem.compiled)
    panels = _decomposition_panels(problem.compiled, target, None, max_steps=500)
    program = PanelProgram(problem.compiled)

    assert len(panels) >= 2
    assert len(set(panels)) == len(panels)
    assert all(program.is_valid(panel) for panel in panels)


def test_with_or_without_the_decomposition_the_leximin_is_the_same():
    problem = generated_pool(150, 15, 4, seed=2)
    quick = find_distribution(problem)
    slow = find_distribution(problem, decompose=False)

    assert quick.finished and slow.finished
    assert quick.details["route"] == slow.details["route"] == "relaxation reached"
    for person, probability in slow.probabilities.items():
        assert quick.probabilities[person] == pytest.approx(probability, abs=1e-7)


def test_the_named_pools_have_households_and_the_sizes_they_say():
    for name, arguments in NAMED_POOLS.items():
        size, panel = (int(x) for x in name.split("/")[:2])
        assert arguments["size"] == size and arguments["panel_size"] == panel
    problem = named_pool("800/60/5")
    assert len(problem.people) == 800 and problem.panel_size == 60
    assert len(problem.compiled.households) > 50


@pytest.mark.slow
def test_a_medium_pool_finishes_both_stages_proves_its_minimum_and_rounds_within_the_promise():
    problem = named_pool("800/60/5")
    start = time.perf_counter()
    distribution = find_distribution(problem, time_limit=120)

    assert distribution.finished
    assert distribution.details["route"] == "relaxation reached"
    assert time.perf_counter() - start < 125
    certificate = optimality_certificate(distribution)
    assert check_optimality(problem, distribution.min_probability, certificate, time_limit=60) == []
    # Not a hair more: the proof is tight.
    assert check_optimality(problem, distribution.min_probability - 1e-4, certificate) != []

    lottery = round_to_lottery(distribution, m=1000, time_limit=60)
    assert guarantee_problems(lottery.panels, distribution.probabilities, 1000) == []
    assert 0 <= lottery.loss <= 0.001
    assert all(problem.is_valid_panel(panel) for panel in set(lottery.panels))
    counts = np.array([lottery.counts[p.id] for p in problem.people])
    fair = np.array([1000 * distribution.probabilities[p.id] for p in problem.people])
    assert np.abs(counts - fair).max() <= 1 + 1e-9


@pytest.mark.slow
def test_a_short_time_limit_on_a_large_pool_is_kept():
    problem = named_pool("2000/200/6")
    start = time.perf_counter()
    distribution = find_distribution(problem, time_limit=1.0)
    seconds = time.perf_counter() - start

    assert seconds < 3.0  # a real deadline: building the programs adds a little, not seconds
    assert not distribution.finished
    assert distribution.details["route"].startswith("time limit")
    program = PanelProgram(problem.compiled)
    assert all(program.is_valid(c) for c in distribution.compositions)
