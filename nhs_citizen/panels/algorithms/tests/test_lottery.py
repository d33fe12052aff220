from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings

from nhs_citizen.panels.algorithms.leximin import find_distribution
from nhs_citizen.panels.algorithms.lottery import round_to_lottery
from nhs_citizen.panels.algorithms.model import Distribution
from nhs_citizen.panels.algorithms.pools import generated_pool, symmetric_pool

from .strategies import feasible, small_problems


def test_a_symmetric_pool_rounds_without_loss():
    lottery = round_to_lottery(find_distribution(symmetric_pool(200, 20)), m=1000)

    assert lottery.m == 1000
    assert set(lottery.counts.values()) == {100}
    assert lottery.loss == pytest.approx(0.0, abs=1e-12)


def test_rounding_loses_less_than_one_panel_in_m_of_the_minimum():
    distribution = find_distribution(generated_pool(150, 15, 4, seed=2))
    lottery = round_to_lottery(distribution, m=1000, time_limit=20.0)

    assert lottery.shortfall == 0.0
    assert 0 <= lottery.loss < 1 / 1000
    assert all(
        count >= int(1000 * distribution.min_probability + 1e-9)
        for count in lottery.counts.values()
    )


def test_members_of_a_group_are_on_the_same_number_of_panels_give_or_take_one():
    problem = generated_pool(150, 15, 3, seed=6)
    lottery = round_to_lottery(find_distribution(problem), m=500, time_limit=20.0)

    for group in problem.compiled.groups:
        counts = {lottery.counts[m] for m in group.members}
        assert max(counts) - min(counts) <= 1


def test_the_lottery_does_not_depend_on_the_order_it_was_built_in():
    problem = generated_pool(80, 8, 3, seed=7)
    first = round_to_lottery(find_distribution(problem), m=200, time_limit=20.0)
    second = round_to_lottery(find_distribution(problem), m=200, time_limit=20.0)

    assert first.panels == second.panels
    assert first.digest == second.digest


def test_it_rounds_a_distribution_over_concrete_panels():
    problem = symmetric_pool(8, 4)
    ids = sorted(p.id for p in problem.people)
    panels = [frozenset(ids[:2] + ids[4:6]), frozenset(ids[2:4] + ids[6:])]
    distribution = Distribution.from_panels(problem, panels, [0.5, 0.5], method="test")
    lottery = round_to_lottery(distribution, m=10)

    assert Counter(lottery.panels) == {tuple(sorted(p)): 5 for p in panels}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems(max_people=14, max_panel=5))
def test_every_panel_in_every_lottery_meets_every_quota_and_the_household_rule(problem):
    assume(feasible(problem))
    distribution = find_distribution(problem)
    lottery = round_to_lottery(distribution, m=100, time_limit=10.0)

    assert lottery.m == 100
    for panel in set(lottery.panels):
        assert problem.panel_problems(panel) == []
    assert lottery.loss < 1 / 100 + 1e-12


@pytest.mark.slow
def test_new_panels_make_up_for_a_rounding_that_leaves_people_short(monkeypatch):
    """When the panels of the distribution cannot be mixed into a lottery that keeps everyone at
    or above floor(m * p_min) (as happens with exact quotas), panels are swapped for new ones."""
    from nhs_citizen.panels.algorithms import lottery as module

    problem = generated_pool(150, 15, 4, seed=2)
    distribution = find_distribution(problem)
    guarantee = int(1000 * distribution.min_probability + 1e-9)
    assert guarantee > 0

    def everything_on_the_first_panel(compositions, *args):
        return [1000] + [0] * (len(compositions) - 1), 0.0

    monkeypatch.setattr(module, "_whole_copies", everything_on_the_first_panel)
    lottery = round_to_lottery(distribution, m=1000, time_limit=20.0)

    assert lottery.m == 1000
    assert lottery.shortfall == 0.0
    assert min(lottery.counts.values()) >= guarantee
    assert all(problem.is_valid_panel(panel) for panel in set(lottery.panels))


def test_filling_with_new_panels_meets_the_guarantee():
    from nhs_citizen.panels.algorithms import lottery as module

    problem = generated_pool(150, 15, 4, seed=2)
    distribution = find_distribution(problem)
    compositions, copies = module._fill_with_new_panels(distribution, 1000, deadline=1e18)
    sizes = np.array(distribution.compiled.sizes, dtype=float)
    seats = np.array(compositions, dtype=float).T @ np.array(copies, dtype=float)
    guarantee = int(1000 * distribution.min_probability + 1e-9)

    assert guarantee > 0
    assert sum(copies) == 1000
    assert (seats >= sizes * guarantee - 1e-9).all()
