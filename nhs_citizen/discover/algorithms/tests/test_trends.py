"""Rising topics: the recent window against the topic's own past. No database."""

from __future__ import annotations

import math

import pytest
from scipy.stats import binom

from nhs_citizen.discover.algorithms.trends import Trend, rising


def test_a_clear_jump_is_rising():
    trend = rising([3, 4, 2, 5, 3, 4, 30])
    assert trend.rising
    assert trend.recent == 30
    assert trend.expected == pytest.approx(3.5)
    assert trend.ratio == pytest.approx(30 / 3.5)
    assert trend.p_value < 1e-9


def test_ordinary_noise_is_not_rising():
    assert not rising([5, 5, 5, 5, 5, 9]).rising
    assert not rising([10, 12, 9, 11, 10, 13]).rising


def test_p_value_is_the_exact_conditional_test():
    # Under "no change", recent | total ~ Binomial(total, r / (r + m)).
    trend = rising([5, 5, 5, 5, 5, 15])
    assert trend.p_value == pytest.approx(binom.sf(14, 40, 1 / 6))
    assert trend.rising


def test_silent_past_then_a_burst_is_rising():
    trend = rising([0, 0, 0, 0, 8])
    assert trend.rising
    assert trend.expected == 0
    assert math.isinf(trend.ratio)


def test_too_few_recent_comments_is_never_rising():
    trend = rising([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4])
    assert trend.p_value < 0.01
    assert not trend.rising  # fewer than min_recent
    assert rising([0] * 10 + [4], min_recent=3).rising


def test_short_history_needs_stronger_evidence():
    # One earlier week of 2 and 10 now: a ratio of 5, but two weeks say little.
    trend = rising([2, 10])
    assert trend.ratio == pytest.approx(5.0)
    assert not trend.rising
    # The same jump over a long steady history is clear.
    assert rising([2] * 12 + [10]).rising


def test_no_history_is_not_rising():
    trend = rising([40])
    assert trend == Trend(40, trend.expected, trend.ratio, 1.0, False)
    assert math.isnan(trend.expected)
    assert math.isnan(trend.ratio)
    assert not rising([]).rising


def test_all_zero():
    trend = rising([0, 0, 0])
    assert not trend.rising
    assert trend.ratio == 1.0
    assert trend.p_value == 1.0


def test_a_fall_is_not_rising():
    trend = rising([20, 22, 19, 21, 2])
    assert not trend.rising
    assert trend.p_value > 0.5


def test_recent_window_of_several_periods():
    trend = rising([5, 5, 5, 5, 5, 5, 12, 14], recent_periods=2)
    assert trend.recent == 26
    assert trend.expected == pytest.approx(10.0)
    assert trend.rising
    assert not rising([5, 5, 5, 5, 5, 5, 12, 14], recent_periods=2, alpha=1e-6).rising


def test_bad_input():
    with pytest.raises(ValueError):
        rising([1, 2], recent_periods=0)
    with pytest.raises(ValueError):
        rising([1, -2])
