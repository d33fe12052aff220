from nhs_citizen.panels.algorithms.feasibility import check_feasibility
from nhs_citizen.panels.algorithms.model import Person, Problem, Quota
from nhs_citizen.panels.algorithms.pools import generated_pool


def pool(
    ages: list[str], sexes: list[str] | None = None, households: list[str | None] | None = None
) -> list[Person]:
    people = []
    for i, age in enumerate(ages):
        features = {"Age band": age}
        if sexes:
            features["Sex"] = sexes[i]
        people.append(Person(f"p{i:03d}", features, households[i] if households else None))
    return people


def test_a_feasible_problem_is_feasible():
    result = check_feasibility(generated_pool(100, 10, 3, seed=1))

    assert result.feasible
    assert result.reasons == ()
    assert result.explanation == "The quotas can be met from this pool."


def test_it_explains_minimums_that_add_up_to_more_than_the_seats():
    people = pool(["16-29"] * 20 + ["30-64"] * 20 + ["65+"] * 20)
    quotas = [
        Quota("Age band", "16-29", 8, 10),
        Quota("Age band", "30-64", 8, 10),
        Quota("Age band", "65+", 8, 10),
    ]
    result = check_feasibility(Problem(people, quotas, 20))

    assert not result.feasible
    assert "The panel has 20 seats, but the minimums for Age band add up to 24." in result.reasons
    assert {q.value for q in result.conflicting} == {"16-29", "30-64", "65+"}
    assert sum(r.seats for r in result.relaxations) == 4
    assert check_feasibility(
        Problem(people, result.relaxed_quotas(Problem(people, quotas, 20)), 20)
    ).feasible


def test_it_explains_maximums_that_add_up_to_fewer_than_the_seats():
    people = pool(["16-29"] * 20 + ["30+"] * 20)
    quotas = [Quota("Age band", "16-29", 0, 5), Quota("Age band", "30+", 0, 5)]
    result = check_feasibility(Problem(people, quotas, 12))

    assert (
        "The panel has 12 seats, but the maximums for Age band add up to only 10." in result.reasons
    )
    assert sum(r.seats for r in result.relaxations) == 2
    assert all(r.new_max > r.max for r in result.relaxations)


def test_it_explains_a_group_with_too_few_volunteers():
    people = pool(["16-29"] * 3 + ["30+"] * 30)
    quotas = [Quota("Age band", "16-29", 5, 8), Quota("Age band", "30+", 0, 20)]
    result = check_feasibility(Problem(people, quotas, 20))

    assert (
        "The minimum for Age band: 16-29 is 5, but only 3 people in the pool are in that group."
        in result.reasons
    )
    assert [r.describe() for r in result.relaxations] == [
        "Lower the minimum for Age band: 16-29 from 5 to 3."
    ]


def test_it_counts_one_person_per_household():
    people = pool(["16-29"] * 4 + ["30+"] * 30, households=["A", "A", "B", "B"] + [None] * 30)
    quotas = [Quota("Age band", "16-29", 3, 4), Quota("Age band", "30+", 0, 20)]
    result = check_feasibility(Problem(people, quotas, 20))

    assert not result.feasible
    assert (
        "The minimum for Age band: 16-29 is 3, but the pool has only 2 people in that group from different households."
        in result.reasons
    )


def test_it_says_when_the_pool_is_too_small_whatever_the_quotas():
    people = pool(["16-29"] * 6, households=["A", "A", "B", "B", "C", None])
    result = check_feasibility(Problem(people, [Quota("Age band", "16-29", 0, 10)], 5))

    assert result.pool_too_small
    assert result.relaxations == ()
    assert "only one person per household can be chosen" in result.reasons[0]


def test_it_explains_quotas_that_conflict_only_through_the_people_in_the_pool():
    # Enough young people and enough women, but the only young people are men.
    ages = ["16-29"] * 10 + ["30+"] * 10
    sexes = ["Male"] * 10 + ["Female"] * 10
    quotas = [
        Quota("Age band", "16-29", 5, 10),
        Quota("Age band", "30+", 0, 10),
        Quota("Sex", "Female", 8, 10),
        Quota("Sex", "Male", 0, 10),
    ]
    problem = Problem(pool(ages, sexes), quotas, 10)
    result = check_feasibility(problem)

    assert not result.feasible
    assert result.reasons[0].startswith("Each quota can be met on its own, but not all together")
    assert sum(r.seats for r in result.relaxations) == 3
    assert check_feasibility(Problem(problem.people, result.relaxed_quotas(problem), 10)).feasible
    assert "The smallest change that would work:" in result.explanation
