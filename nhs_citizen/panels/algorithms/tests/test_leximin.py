import math

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings

from nhs_citizen.panels.algorithms._highs import PanelProgram
from nhs_citizen.panels.algorithms.leximin import (
    InfeasibleError,
    find_distribution,
    relaxed_leximin,
)
from nhs_citizen.panels.algorithms.measures import leximin_compare
from nhs_citizen.panels.algorithms.model import Person, Problem, Quota
from nhs_citizen.panels.algorithms.pools import generated_pool, symmetric_pool
from nhs_citizen.panels.algorithms.reference import reference_maximin

from .strategies import brute_force_leximin, feasible, small_problems


def test_everyone_has_exactly_a_ten_percent_chance_in_a_symmetric_pool():
    distribution = find_distribution(symmetric_pool(200, 20))

    assert len(distribution.probabilities) == 200
    for probability in distribution.probabilities.values():
        assert probability == pytest.approx(0.1, abs=1e-12)


def test_the_distribution_is_over_valid_panels_and_adds_up():
    problem = generated_pool(120, 12, 3, seed=5)
    distribution = find_distribution(problem)

    assert math.fsum(distribution.weights) == pytest.approx(1.0, abs=1e-12)
    assert all(w > 0 for w in distribution.weights)
    # Seats add up to the panel size, so probabilities add up to it too.
    assert math.fsum(distribution.probabilities.values()) == pytest.approx(12, abs=1e-9)
    program_rows = problem.compiled
    for composition in distribution.compositions:
        assert sum(composition) == 12
        for g, seats in enumerate(composition):
            assert 0 <= seats <= program_rows.groups[g].size


def test_interchangeable_people_get_the_same_probability():
    problem = generated_pool(150, 15, 3, seed=8)
    distribution = find_distribution(problem)

    for group in problem.compiled.groups:
        chances = {distribution.probabilities[m] for m in group.members}
        assert len(chances) == 1


def test_the_relaxation_route_and_the_stage_by_stage_route_agree():
    problem = generated_pool(100, 10, 3, seed=3)
    fast = find_distribution(problem)
    staged = find_distribution(problem, use_relaxation=False)

    assert fast.details["route"] == "relaxation reached"
    assert staged.details["route"] == "stages"
    for person, probability in fast.probabilities.items():
        assert staged.probabilities[person] == pytest.approx(probability, abs=1e-7)


def test_the_relaxation_bounds_the_minimum():
    problem = generated_pool(100, 10, 3, seed=4)
    target, levels = relaxed_leximin(problem.compiled)

    assert levels == sorted(levels)
    assert find_distribution(problem).min_probability == pytest.approx(levels[0], abs=1e-8)


def test_it_refuses_quotas_that_no_panel_meets():
    people = [Person(f"p{i}", {"Sex": "Female" if i < 3 else "Male"}) for i in range(10)]
    problem = Problem(people, [Quota("Sex", "Female", 4, 5), Quota("Sex", "Male", 0, 5)], 6)

    with pytest.raises(InfeasibleError):
        find_distribution(problem)


def test_a_household_never_gets_two_seats():
    people = [
        Person("a1", {"Sex": "Female"}, household="A"),
        Person("a2", {"Sex": "Male"}, household="A"),
        Person("b1", {"Sex": "Female"}, household="B"),
        Person("b2", {"Sex": "Male"}, household="B"),
        Person("c", {"Sex": "Female"}),
        Person("d", {"Sex": "Male"}),
    ]
    problem = Problem(people, [Quota("Sex", "Female", 1, 2), Quota("Sex", "Male", 1, 2)], 3)
    distribution = find_distribution(problem)

    members = [g.members[0] for g in distribution.compiled.groups]
    for composition in distribution.compositions:
        panel = [members[g] for g, seats in enumerate(composition) if seats]
        assert problem.is_valid_panel(panel)
    # c and d, who live alone, are the ones the quotas lean on.
    assert distribution.probabilities["c"] == pytest.approx(distribution.probabilities["d"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems())
def test_it_matches_a_brute_force_leximin_on_small_pools(problem):
    assume(feasible(problem))
    expected = brute_force_leximin(problem)
    found = find_distribution(problem).probabilities

    for person, probability in expected.items():
        assert found[person] == pytest.approx(probability, abs=1e-6)


@pytest.mark.parametrize("seed", range(6))
def test_its_minimum_equals_the_reference_maximin_and_it_leximin_dominates_it(seed):
    problem = generated_pool(60, 8, 3, seed=seed, household_share=0.2)
    ours = find_distribution(problem)
    reference = reference_maximin(problem, solver="highs", seed=seed + 1)

    assert not reference.stopped_early
    assert ours.min_probability == pytest.approx(reference.distribution.min_probability, abs=1e-6)
    assert (
        leximin_compare(ours.probabilities.values(), reference.distribution.probabilities.values())
        >= 0
    )


def _crossed_pool() -> Problem:
    """Two categories, exact quotas of one seat per value, panel of two: no single seat can
    move without breaking a quota, but two can swap for two."""
    people = [
        Person("on-1", {"A": "a1", "B": "b1"}),
        Person("on-2", {"A": "a2", "B": "b2"}),
        Person("off-1", {"A": "a1", "B": "b2"}),
        Person("off-2", {"A": "a2", "B": "b1"}),
    ]
    quotas = [Quota("A", "a1", 1, 1), Quota("A", "a2", 1, 1)]
    quotas += [Quota("B", "b1", 1, 1), Quota("B", "b2", 1, 1)]
    return Problem(people, quotas, 2)


def test_local_search_swaps_two_for_two_when_quotas_are_exact():
    problem = _crossed_pool()
    compiled = problem.compiled
    program = PanelProgram(compiled)
    group = {compiled.groups[g].members[0]: g for g in range(len(compiled.groups))}
    start = [0] * len(compiled.groups)
    start[group["on-1"]] = start[group["on-2"]] = 1
    weights = [0.0] * len(compiled.groups)
    weights[group["off-1"]] = weights[group["off-2"]] = 1.0

    assert program.improve(weights, start) == []  # no single move keeps the quotas
    [better] = program.exchange(weights, start)

    assert program.is_valid(better)
    assert better[group["off-1"]] == better[group["off-2"]] == 1
    assert sum(better) == 2


def test_exchanges_keep_every_panel_valid_in_an_exact_pool():
    problem = generated_pool(120, 12, 6, exact=True, seed=1)
    program = PanelProgram(problem.compiled)
    start = program.any_panel()
    rng = np.random.default_rng(3)
    for _ in range(20):
        weights = rng.random(len(start))
        found = program.exchange(weights, start)
        if found:
            assert program.is_valid(found[0])
            assert np.dot(weights, found[0]) > np.dot(weights, start)


def test_retiring_panels_from_a_large_master_does_not_change_the_answer(monkeypatch):
    from nhs_citizen.panels.algorithms import leximin

    problem = generated_pool(150, 15, 4, seed=2)
    whole = find_distribution(problem)
    monkeypatch.setattr(leximin._Master, "prune_above", property(lambda self: 40))
    pruned = find_distribution(problem)

    assert pruned.details["retired"] > 0 and whole.details["retired"] == 0
    for person, probability in whole.probabilities.items():
        assert pruned.probabilities[person] == pytest.approx(probability, abs=1e-7)
    assert set(pruned.spare_compositions).isdisjoint(pruned.compositions)
