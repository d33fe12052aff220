"""The selection algorithms on their own (no database): fairness, validity, transparency."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nhs_citizen.panels.algorithms import draw as drawing
from nhs_citizen.panels.algorithms.feasibility import check_feasibility
from nhs_citizen.panels.algorithms.leximin import find_distribution
from nhs_citizen.panels.algorithms.lottery import round_to_lottery
from nhs_citizen.panels.algorithms.measures import leximin_compare
from nhs_citizen.panels.algorithms.model import Person, Problem, Quota
from nhs_citizen.panels.algorithms.pools import generated_pool, symmetric_pool


def test_on_a_symmetric_pool_everyone_has_exactly_a_ten_percent_chance():
    distribution = find_distribution(symmetric_pool(200, 20))
    assert len(distribution.probabilities) == 200
    for probability in distribution.probabilities.values():
        assert probability == pytest.approx(0.1, abs=1e-9)


@st.composite
def small_problems(draw):
    """Small pools with 2 categories and some shared households, and quotas that one random
    valid panel meets (so they can be met), give or take some slack."""
    size = draw(st.integers(min_value=6, max_value=18))
    panel_size = draw(st.integers(min_value=2, max_value=max(2, size // 2)))
    people = []
    for i in range(size):
        household = f"h{i // 2}" if draw(st.booleans()) and i % 2 == 0 and i + 1 < size else None
        people.append(
            Person(
                f"p{i:02d}",
                {
                    "A": draw(st.sampled_from(["a1", "a2"])),
                    "B": draw(st.sampled_from(["b1", "b2", "b3"])),
                },
                household,
            )
        )
    # Households: the next person joins the household of an even-numbered one.
    people = [
        Person(
            p.id,
            p.features,
            people[i - 1].household if i % 2 == 1 and people[i - 1].household else p.household,
        )
        for i, p in enumerate(people)
    ]
    seen_households: set[str] = set()
    witness = []
    for person in draw(st.permutations(people)):
        if len(witness) == panel_size:
            break
        if person.household and person.household in seen_households:
            continue
        witness.append(person)
        if person.household:
            seen_households.add(person.household)
    if len(witness) < panel_size:
        panel_size = len(witness)
    slack = draw(st.integers(min_value=0, max_value=2))
    quotas = []
    for category, values in (("A", ["a1", "a2"]), ("B", ["b1", "b2", "b3"])):
        for value in values:
            count = sum(1 for p in witness if p.features[category] == value)
            quotas.append(Quota(category, value, max(0, count - slack), count + slack))
    return Problem(people, quotas, panel_size)


@settings(
    max_examples=int(__import__("os").environ.get("HYPOTHESIS_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(problem=small_problems(), seed=st.text(alphabet="0123456789abcdef", min_size=8, max_size=16))
def test_every_panel_drawn_meets_every_quota_and_the_household_rule(problem, seed):
    assert check_feasibility(problem).feasible
    distribution = find_distribution(problem)
    assert sum(distribution.probabilities.values()) == pytest.approx(problem.panel_size, abs=1e-6)
    lottery = round_to_lottery(distribution, m=50)
    assert all(problem.is_valid_panel(panel) for panel in lottery.panels)
    result = drawing.draw(lottery, seed)
    assert problem.panel_problems(result.selected) == []


@pytest.mark.parametrize(
    "size, panel_size, categories, seed",
    [(60, 8, 2, 1), (80, 10, 3, 2), (120, 12, 3, 3)],
)
def test_our_minimum_equals_the_reference_maximin_and_leximin_dominates_it(
    size, panel_size, categories, seed
):
    from nhs_citizen.panels.algorithms.reference import reference_maximin

    problem = generated_pool(size, panel_size, categories, seed=seed)
    ours = find_distribution(problem)
    theirs = reference_maximin(problem, solver="highs").distribution
    assert ours.min_probability == pytest.approx(theirs.min_probability, abs=1e-6)
    assert leximin_compare(ours.probabilities.values(), theirs.probabilities.values()) >= 0


def test_infeasible_quotas_are_explained_with_the_smallest_change():
    people = [Person(f"p{i}", {"Sex": "Female" if i < 3 else "Male"}) for i in range(10)]
    problem = Problem(people, [Quota("Sex", "Female", 5, 6), Quota("Sex", "Male", 0, 10)], 8)
    result = check_feasibility(problem)
    assert not result.feasible
    assert "Female" in result.explanation
    assert result.relaxations


def test_a_draw_recomputed_from_the_seed_gives_the_same_panel_and_reserves():
    problem = generated_pool(80, 10, 3, seed=5)
    lottery = round_to_lottery(find_distribution(problem), m=200)
    seed = drawing.new_seed()
    first = drawing.draw(lottery, seed, reserve_size=5)
    again = drawing.draw(round_to_lottery(find_distribution(problem), m=200), seed, reserve_size=5)
    assert first.selected == again.selected and first.reserves == again.reserves
    assert drawing.commit(seed) == first.commitment
    other = drawing.draw(lottery, drawing.new_seed(), reserve_size=5)
    assert other.commitment != first.commitment


def test_lottery_rounding_keeps_the_smallest_chance_within_one_panel_in_a_thousand():
    problem = generated_pool(120, 12, 3, seed=11)
    distribution = find_distribution(problem)
    lottery = round_to_lottery(distribution, m=1000)
    assert lottery.loss <= 1 / 1000 + 1e-9
