"""The measures and the ranking rule, on hand-made counts (no database)."""

from fractions import Fraction

import pytest

from nhs_citizen.culture.measures import (
    Body,
    BodyMeasures,
    CommitmentCounts,
    ReferralCounts,
    Share,
    median,
    rank,
)


def body(name: str, pk: int = 0) -> Body:
    return Body(id=pk or hash(name), name=name, slug=name.lower(), kind="icb", kind_label="ICB")


def measures(
    name: str,
    *,
    answered=0,
    on_time=0,
    waiting=0,
    overdue=0,
    kept=0,
    not_done=0,
    open_=0,
    late=0,
    days=None,
) -> BodyMeasures:
    return BodyMeasures(
        body=body(name),
        referrals=ReferralCounts(
            received=answered + waiting,
            answered=answered,
            answered_on_time=on_time,
            waiting=waiting,
            overdue=overdue,
        ),
        commitments=CommitmentCounts(
            made=kept + not_done + open_, kept=kept, not_done=not_done, open=open_, overdue=late
        ),
        days_to_answer=days or {},
    )


# Medians ---------------------------------------------------------------------------------------
def test_the_median_of_nothing_is_none():
    assert median({}) is None
    assert median({4: 0}) is None


def test_the_median_of_an_odd_number_of_answers_is_the_middle_one():
    assert median({1: 1, 5: 1, 30: 1}) == 5


def test_the_median_of_an_even_number_is_halfway_between_the_middle_two():
    assert median({2: 1, 3: 1, 10: 1, 40: 1}) == Fraction(13, 2)


def test_the_median_counts_repeated_values():
    # 0, 0, 0, 7, 9: the middle is the third 0.
    assert median({9: 1, 0: 3, 7: 1}) == 0
    # 1, 1, 2, 2, 2, 2: the middle two are 2 and 2.
    assert median({1: 2, 2: 4}) == 2
    # 3 x 1 and 3 x 5: halfway between 1 and 5.
    assert median({1: 3, 5: 3}) == 3


def test_one_answer_is_its_own_median():
    assert median({12: 1}) == 12


# Shares ----------------------------------------------------------------------------------------
def test_a_share_of_nothing_has_no_value_rather_than_zero():
    assert Share(0, 0).value is None
    assert Share(0, 0).percent is None
    assert Share(0, 4).percent == 0


@pytest.mark.parametrize(
    ("part", "whole", "percent"),
    [(1, 1, 100), (2, 3, 67), (1, 3, 33), (1, 8, 13), (1, 200, 1), (1, 201, 0), (199, 200, 100)],
)
def test_percentages_are_rounded_half_up(part, whole, percent):
    assert Share(part, whole).percent == percent


def test_a_share_cannot_be_more_than_the_whole():
    with pytest.raises(ValueError):
        Share(3, 2)


# One body's figures ----------------------------------------------------------------------------
def test_answers_due_are_the_answered_and_the_overdue_not_those_with_time_left():
    m = measures("A", answered=4, on_time=3, waiting=5, overdue=2)
    assert m.answers_due == 6
    assert m.answered_on_time == Share(3, 6)


def test_a_body_with_only_answers_still_in_time_has_none_due():
    m = measures("A", waiting=3)
    assert m.answers_due == 0
    assert m.answered_on_time.percent is None
    assert not m.is_ranked


def test_commitments_due_are_the_finished_and_the_overdue():
    m = measures("A", kept=3, not_done=1, open_=4, late=2)
    assert m.commitments_due == 6
    assert m.commitments_kept == Share(3, 6)
    assert m.overdue == 2


def test_the_median_days_to_answer_comes_from_the_days_given():
    assert measures("A", answered=3, on_time=3, days={2: 1, 9: 2}).median_days_to_answer == 9
    assert measures("A").median_days_to_answer is None


# Recognition -----------------------------------------------------------------------------------
def test_a_body_is_recognised_for_three_answers_all_on_time():
    assert measures("A", answered=3, on_time=3).recognition == ("Answered all 3 flags on time",)


def test_two_answers_on_time_are_too_few_to_recognise():
    assert measures("A", answered=2, on_time=2).recognition == ()


def test_one_late_answer_means_no_recognition_for_answers():
    assert measures("A", answered=5, on_time=4).recognition == ()


def test_a_body_is_recognised_for_keeping_every_commitment_due():
    m = measures("A", kept=3, open_=2)
    assert m.recognition == ("Kept all 3 commitments that were due",)


def test_nothing_overdue_is_needed_for_recognition():
    assert measures("A", answered=3, on_time=3, late=1).recognition == ()
    assert measures("A", kept=3, waiting=1, overdue=1).recognition == ()


def test_both_reasons_are_given_when_both_hold():
    assert len(measures("A", answered=3, on_time=3, kept=4).recognition) == 2


# Ranking ---------------------------------------------------------------------------------------
def names(rows):
    return [(row.place_label, row.measures.body.name) for row in rows]


def test_bodies_are_ranked_by_the_share_answered_on_time():
    rows = rank(
        [
            measures("Slow", answered=4, on_time=1),
            measures("Fast", answered=4, on_time=4),
            measures("Middling", answered=4, on_time=2),
        ]
    )
    assert names(rows) == [("1", "Fast"), ("2", "Middling"), ("3", "Slow")]


def test_shares_are_compared_not_totals():
    rows = rank(
        [measures("Big", answered=100, on_time=90), measures("Small", answered=2, on_time=2)]
    )
    assert names(rows) == [("1", "Small"), ("2", "Big")]


def test_an_equal_share_is_decided_by_commitments_kept():
    rows = rank(
        [
            measures("Breaks its word", answered=2, on_time=1, kept=1, not_done=3),
            measures("Keeps its word", answered=4, on_time=2, kept=3, not_done=1),
        ]
    )
    assert names(rows) == [("1", "Keeps its word"), ("2", "Breaks its word")]


def test_bodies_equal_on_both_share_a_place_and_the_next_place_is_skipped():
    rows = rank(
        [
            measures("Best", answered=1, on_time=1),
            measures("Bravo", answered=2, on_time=1, kept=1, late=1),
            measures("Alpha", answered=4, on_time=2, kept=2, not_done=2),
            measures("Last", answered=1, on_time=0),
        ]
    )
    assert names(rows) == [("1", "Best"), ("=2", "Alpha"), ("=2", "Bravo"), ("4", "Last")]
    assert [row.shared for row in rows] == [False, True, True, False]


def test_a_body_with_no_answers_due_comes_after_every_body_with_some():
    rows = rank(
        [
            measures("Only commitments", kept=5),
            measures("All late", answered=3, on_time=0),
        ]
    )
    assert names(rows) == [("1", "All late"), ("2", "Only commitments")]


def test_no_commitments_due_comes_after_some_commitments_due():
    rows = rank(
        [
            measures("None due", answered=1, on_time=1),
            measures("Kept none", answered=1, on_time=1, not_done=1),
        ]
    )
    assert names(rows) == [("1", "Kept none"), ("2", "None due")]


def test_bodies_with_nothing_due_are_listed_last_by_name_without_a_place():
    rows = rank(
        [
            measures("Zeta", waiting=2),
            measures("Ranked", answered=1, on_time=0),
            measures("Alpha", open_=1),
        ]
    )
    assert names(rows) == [("1", "Ranked"), ("Not ranked yet", "Alpha"), ("Not ranked yet", "Zeta")]
    assert rows[1].place is None


def test_ranking_nothing_gives_nothing():
    assert rank([]) == []
