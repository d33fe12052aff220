"""The promise a lottery makes (``guarantee_problems``), rounding that keeps it or refuses
(``RoundingError``), and the independent check that the minimum is optimal (``bound``)."""

import time

import pytest

from nhs_citizen.panels.algorithms import lottery as module
from nhs_citizen.panels.algorithms._highs import OutOfTime
from nhs_citizen.panels.algorithms.bound import check_optimality, optimality_certificate
from nhs_citizen.panels.algorithms.leximin import find_distribution
from nhs_citizen.panels.algorithms.lottery import (
    RoundingError,
    guarantee_problems,
    round_to_lottery,
)
from nhs_citizen.panels.algorithms.model import Person, Problem, Quota
from nhs_citizen.panels.algorithms.pools import generated_pool, symmetric_pool

# Four people, panels of two; A and B have chance 0.5, C 0.3, D 0.7.
CHANCES = {"A": 0.5, "B": 0.5, "C": 0.3, "D": 0.7}


def lottery_of_ten(a: int, b: int, c: int, d: int) -> list[list[str]]:
    """Ten panels of two in which A, B, C and D are on a, b, c and d panels."""
    seats = ["A"] * a + ["B"] * b + ["C"] * c + ["D"] * d
    assert len(seats) == 20
    return [seats[i::10] for i in range(10)]


def test_a_lottery_that_keeps_the_promise_has_no_problems():
    assert guarantee_problems(lottery_of_ten(5, 5, 3, 7), CHANCES) == []
    # Within one panel of the fair share either way is allowed, at or above floor(m p_min).
    assert guarantee_problems(lottery_of_ten(4, 6, 3, 7), CHANCES) == []
    assert guarantee_problems(lottery_of_ten(5, 4, 3, 8), CHANCES) == []


def test_someone_below_the_promised_minimum_is_named():
    problems = guarantee_problems(lottery_of_ten(5, 5, 2, 8), CHANCES)

    assert len(problems) == 1
    assert (
        "Person C is on 2 of the 10 panels, fewer than the 3 everyone was promised" in (problems[0])
    )


def test_someone_more_than_one_panel_below_their_share_is_named():
    problems = guarantee_problems(lottery_of_ten(3, 6, 4, 7), CHANCES)

    assert problems == [
        "Person A is on 3 of the 10 panels, more than one fewer than their fair share of 5.00 "
        "(a chance of 50.00%)."
    ]


def test_someone_more_than_one_panel_above_their_share_is_named():
    problems = guarantee_problems(lottery_of_ten(4, 4, 3, 9), CHANCES)

    assert problems == [
        "Person D is on 9 of the 10 panels, more than one more than their fair share of 7.00 "
        "(a chance of 70.00%)."
    ]


def test_a_wrong_number_of_panels_a_repeat_and_a_stranger_are_each_named():
    panels = lottery_of_ten(5, 5, 3, 7)
    assert guarantee_problems(panels, CHANCES, m=12)[0] == "The lottery has 10 panels, not 12."
    twice = [list(p) for p in panels]
    twice[0] = ["A", "A"]
    assert "Person A is on panel 1 twice." in guarantee_problems(twice, CHANCES)
    stranger = [list(p) for p in panels]
    stranger[0] = [stranger[0][0], "Z"]
    assert any(
        "Person Z" in p and "not in the pool" in p for p in guarantee_problems(stranger, CHANCES)
    )
    assert guarantee_problems([], CHANCES) == ["The lottery has no panels."]
    assert "not a number from 0 to 1" in guarantee_problems(panels, {**CHANCES, "A": 1.5})[0]


def test_a_long_list_of_problems_is_cut_short():
    chances = {f"P{i:02d}": 0.5 for i in range(20)}
    panels = [[f"P{i:02d}" for i in range(10)]] * 2  # P10..P19 are on no panel
    problems = guarantee_problems(panels, chances)

    assert len(problems) == 6
    assert problems[-1] == "And 5 more problems like these."


def test_rounding_keeps_the_promise():
    problem = generated_pool(150, 15, 4, seed=2)
    distribution = find_distribution(problem)
    lottery = round_to_lottery(distribution, m=1000, time_limit=30)

    assert guarantee_problems(lottery.panels, distribution.probabilities, 1000) == []
    assert 0 <= lottery.loss < 1 / 1000
    assert all(problem.is_valid_panel(panel) for panel in set(lottery.panels))


def test_the_promise_still_holds_for_probabilities_published_to_12_decimals():
    for problem in (symmetric_pool(200, 20), generated_pool(150, 15, 4, seed=2)):
        distribution = find_distribution(problem)
        lottery = round_to_lottery(distribution, m=1000, time_limit=30)
        published = {k: round(v, 12) for k, v in distribution.probabilities.items()}

        assert guarantee_problems(lottery.panels, published, 1000) == []


@pytest.mark.parametrize("limit", [0.001, 0.05, 0.3])
def test_with_a_tiny_time_limit_rounding_keeps_the_promise_or_says_why_and_stops_on_time(limit):
    distribution = find_distribution(generated_pool(150, 15, 4, seed=2))
    start = time.perf_counter()
    try:
        lottery = round_to_lottery(distribution, m=1000, time_limit=limit)
    except RoundingError as error:
        assert "Nothing was published" in str(error)
    else:
        assert guarantee_problems(lottery.panels, distribution.probabilities, 1000) == []
    # A real deadline: checking and building the message may add a little, never seconds.
    assert time.perf_counter() - start < limit + 1.0


def test_rounding_refuses_rather_than_break_the_promise(monkeypatch):
    problem = generated_pool(150, 15, 4, seed=2)
    distribution = find_distribution(problem)

    def everything_on_the_first_panel(compositions, *args):
        return [1000] + [0] * (len(compositions) - 1), 0.0

    def no_new_panels(*args, **kwargs):
        raise OutOfTime("no time")

    monkeypatch.setattr(module, "_whole_copies", everything_on_the_first_panel)
    monkeypatch.setattr(
        module._Repair,
        "run",
        lambda self, **kw: ([tuple(sorted(self.ids[i] for i in p)) for p in self.panels], 1.0),
    )
    monkeypatch.setattr(module, "_fill_with_new_panels", no_new_panels)
    with pytest.raises(RoundingError) as caught:
        round_to_lottery(distribution, m=1000, time_limit=5)

    message = str(caught.value)
    assert message.startswith("Could not make a lottery of 1000 panels that keeps its promise")
    assert "fewer than the" in message


def test_bad_arguments_to_rounding_are_refused():
    distribution = find_distribution(symmetric_pool(20, 4))
    with pytest.raises(ValueError):
        round_to_lottery(distribution, m=0)
    with pytest.raises(ValueError):
        round_to_lottery(distribution, m=10, time_limit=0)


# The independent check of the minimum ---------------------------------------------------------


@pytest.fixture(scope="module")
def biased():
    problem = generated_pool(150, 15, 4, seed=2)
    return problem, find_distribution(problem)


def test_the_true_certificate_proves_the_minimum(biased):
    problem, distribution = biased
    certificate = optimality_certificate(distribution)

    assert set(certificate) == {p.id for p in problem.people}
    assert all(w >= 0 for w in certificate.values())
    assert sum(certificate.values()) == pytest.approx(1.0, abs=1e-12)
    assert check_optimality(problem, distribution.min_probability, certificate) == []


def test_the_staged_route_gives_a_certificate_too():
    problem = generated_pool(100, 10, 3, seed=3)
    distribution = find_distribution(problem, use_relaxation=False)

    assert distribution.finished
    certificate = optimality_certificate(distribution)
    assert check_optimality(problem, distribution.min_probability, certificate) == []


def test_a_minimum_that_is_too_low_is_not_proved_optimal(biased):
    problem, distribution = biased
    certificate = optimality_certificate(distribution)
    problems = check_optimality(problem, distribution.min_probability - 0.005, certificate)

    assert len(problems) == 1
    assert "does not show that the lowest chance is the best possible" in problems[0]


def test_a_certificate_that_proves_nothing_is_rejected(biased):
    problem, distribution = biased
    ids = [p.id for p in problem.people]
    uniform = {pid: 1 / len(ids) for pid in ids}  # proves only the average, 15/150

    assert check_optimality(problem, distribution.min_probability, uniform) != []


def test_a_malformed_certificate_is_rejected(biased):
    problem, distribution = biased
    certificate = optimality_certificate(distribution)
    minimum = distribution.min_probability
    some = next(iter(certificate))

    negative = {**certificate, some: -0.01}
    assert "is negative" in check_optimality(problem, minimum, negative)[0]
    doubled = {pid: 2 * w for pid, w in certificate.items()}
    assert "add up to 2.000000, not 1" in check_optimality(problem, minimum, doubled)[0]
    stranger = {**certificate, "NOBODY": 0.0}
    assert "not in the pool" in check_optimality(problem, minimum, stranger)[0]
    not_a_number = {**certificate, some: float("nan")}
    assert "not a number" in check_optimality(problem, minimum, not_a_number)[0]


def test_households_are_respected_by_the_check():
    # Two housemates who are the only women: a panel of two needs one woman, so each woman has
    # chance 1/2 at most. A certificate all on the women proves 1/2; with the household rule
    # ignored a panel could take both and weigh 1.
    people = [
        Person("W1", {"Sex": "F"}, household="H"),
        Person("W2", {"Sex": "F"}, household="H"),
        Person("M1", {"Sex": "M"}),
        Person("M2", {"Sex": "M"}),
    ]
    problem = Problem(people, [Quota("Sex", "F", 0, 2), Quota("Sex", "M", 0, 2)], 2)
    certificate = {"W1": 0.5, "W2": 0.5, "M1": 0.0, "M2": 0.0}

    assert check_optimality(problem, 0.5, certificate) == []
    assert check_optimality(problem, 0.4, certificate) != []


def test_a_distribution_without_a_proof_has_no_certificate():
    from nhs_citizen.panels.algorithms.model import Distribution

    problem = symmetric_pool(8, 4)
    ids = sorted(p.id for p in problem.people)
    panels = [frozenset(ids[:2] + ids[4:6]), frozenset(ids[2:4] + ids[6:])]
    distribution = Distribution.from_panels(problem, panels, [0.5, 0.5], method="test")
    with pytest.raises(ValueError):
        optimality_certificate(distribution)


# Finished or not --------------------------------------------------------------------------------


def test_a_distribution_says_whether_both_stages_finished():
    problem = generated_pool(150, 15, 4, seed=2)

    assert find_distribution(problem).finished
    start = time.perf_counter()
    cut_short = find_distribution(problem, time_limit=0.05)
    assert time.perf_counter() - start < 1.5
    assert not cut_short.finished
    assert cut_short.details["route"].startswith("time limit")
