"""The 10 working days a municipality has to answer a declaration (domain.md section 10)."""

from datetime import date

import pytest

from portal.domain.working_days import add_working_days, answer_due, is_working_day


@pytest.mark.parametrize("day, working", [
    (date(2026, 11, 23), True),   # an ordinary Monday
    (date(2026, 11, 28), False),  # Saturday
    (date(2026, 11, 29), False),  # Sunday
    (date(2026, 1, 1), False),    # New Year's Day
    (date(2026, 4, 3), True),     # Good Friday is a working day here
    (date(2026, 4, 6), False),    # Easter Monday
    (date(2026, 4, 27), False),   # King's Day
    (date(2026, 5, 5), False),    # Liberation Day, also outside lustrum years
    (date(2026, 5, 14), False),   # Ascension Day
    (date(2026, 5, 25), False),   # Whit Monday
    (date(2026, 12, 25), False),  # Christmas Day
    (date(2025, 12, 26), False),  # Boxing Day
])
def test_working_days(day, working):
    assert is_working_day(day) is working


def test_ten_working_days_in_an_ordinary_fortnight():
    assert answer_due(date(2026, 11, 23)) == date(2026, 12, 7)


def test_easter_counts_good_friday_and_skips_easter_monday():
    # Thu 2 April 2026: Fri 3 April is day 1, Mon 6 April (Easter Monday) is skipped.
    assert answer_due(date(2026, 4, 2)) == date(2026, 4, 17)


def test_kings_day_and_liberation_day_are_skipped():
    # Mon 20 April 2026: King's Day (Mon 27 April) and Liberation Day (Tue 5 May) skipped.
    assert answer_due(date(2026, 4, 20)) == date(2026, 5, 6)


def test_christmas_and_new_year_are_skipped():
    # Thu 17 December 2026: Christmas (Fri 25) and New Year's Day (Fri 1 Jan) skipped.
    assert answer_due(date(2026, 12, 17)) == date(2027, 1, 4)


def test_submission_on_a_weekend_counts_from_monday():
    assert add_working_days(date(2026, 11, 28), 1) == date(2026, 11, 30)


def test_zero_working_days_is_the_day_itself():
    assert add_working_days(date(2026, 11, 28), 0) == date(2026, 11, 28)
