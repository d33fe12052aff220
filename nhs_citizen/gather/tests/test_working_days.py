from datetime import date

import pytest

from nhs_citizen.gather.working_days import add_working_days, is_working_day, working_days_between


@pytest.mark.parametrize(
    "start, days, expected",
    [
        (date(2026, 11, 20), 1, date(2026, 11, 23)),  # Friday + 1 skips the weekend
        (date(2026, 11, 23), 5, date(2026, 11, 30)),
        (
            date(2026, 12, 18),
            20,
            date(2027, 1, 20),
        ),  # Christmas, Boxing Day (moved to Monday 28th), New Year
        (date(2027, 3, 24), 3, date(2027, 3, 31)),  # Good Friday and Easter Monday 2027
        (date(2023, 5, 5), 1, date(2023, 5, 9)),  # the King's coronation bank holiday, 8 May 2023
        (date(2026, 8, 28), 1, date(2026, 9, 1)),  # summer bank holiday, last Monday of August
    ],
)
def test_due_dates_skip_weekends_and_bank_holidays(start, days, expected):
    assert add_working_days(start, days) == expected


def test_bank_holidays_and_weekends_are_not_working_days():
    assert not is_working_day(date(2026, 12, 25))
    assert not is_working_day(date(2026, 12, 28))  # Boxing Day substitute
    assert not is_working_day(date(2026, 11, 21))  # Saturday
    assert is_working_day(date(2026, 11, 24))


def test_counting_back_gives_the_same_number():
    start = date(2026, 12, 18)
    assert working_days_between(start, add_working_days(start, 20)) == 20


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 1), -1)
