from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from guichet.desk.calendar import add_working_days, is_working_day, working_days_between


def test_weekends_and_french_public_holidays_are_not_working_days():
    assert is_working_day(date(2026, 3, 2))  # Monday
    assert not is_working_day(date(2026, 3, 7))  # Saturday
    assert not is_working_day(date(2026, 4, 6))  # Easter Monday
    assert not is_working_day(date(2026, 5, 1))  # Labour Day
    assert not is_working_day(date(2026, 7, 14))
    assert not is_working_day(date(2026, 12, 25))


def test_a_need_received_on_friday_is_one_working_day_old_on_monday():
    assert working_days_between(date(2026, 3, 6), date(2026, 3, 9)) == 1
    assert working_days_between(date(2026, 3, 6), date(2026, 3, 6)) == 0
    assert working_days_between(date(2026, 3, 9), date(2026, 3, 6)) == 0


def test_easter_monday_and_labour_day_are_skipped():
    # 2 March 2026 + 45 working days: Easter Monday (6 April) and 1 May are not counted.
    assert add_working_days(date(2026, 3, 2), 45) == date(2026, 5, 6)
    assert working_days_between(date(2026, 3, 2), date(2026, 5, 6)) == 45


@given(
    st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    st.integers(min_value=0, max_value=80),
)
def test_adding_then_counting_working_days_round_trips(start, days):
    end = add_working_days(start, days)
    assert working_days_between(start, end) == days
    if days:
        assert is_working_day(end)
