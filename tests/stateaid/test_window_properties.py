"""Property tests of the rolling three-year window (Regulation (EU) 2023/2831, art. 3(2)): an
aid counts from the day it is granted until the day before its third anniversary."""

from datetime import date, timedelta

from hypothesis import example, given
from hypothesis import strategies as st

from guichet.stateaid import rules

# Whole range the platform works in, leap days included on purpose.
days = st.dates(min_value=date(1995, 1, 1), max_value=date(2095, 12, 31))
leap_days = (
    st.integers(min_value=1996, max_value=2092)
    .filter(lambda y: y % 4 == 0)
    .map(lambda y: date(y, 2, 29))
)
any_day = days | leap_days


def test_the_issue_example():
    granted = date(2023, 3, 15)
    assert rules.counts_at(granted, date(2026, 3, 14))
    assert not rules.counts_at(granted, date(2026, 3, 15))
    assert rules.window_start(date(2026, 3, 14)) == date(2023, 3, 15)
    assert rules.window_start(date(2026, 3, 15)) == date(2023, 3, 16)


def test_29_february_counts_until_28_february():
    granted = date(2024, 2, 29)
    assert rules.counts_at(granted, date(2027, 2, 28))
    assert not rules.counts_at(granted, date(2027, 3, 1))
    # Seen from a 29 February, the window opens on 1 March three years before.
    assert rules.window_start(date(2028, 2, 29)) == date(2025, 3, 1)


@given(granted=any_day, at=any_day)
@example(granted=date(2023, 3, 15), at=date(2026, 3, 14))
@example(granted=date(2023, 3, 15), at=date(2026, 3, 15))
@example(granted=date(2024, 2, 29), at=date(2027, 2, 28))
@example(granted=date(2024, 2, 29), at=date(2027, 3, 1))
@example(granted=date(2025, 3, 1), at=date(2028, 2, 29))
@example(granted=date(2025, 2, 28), at=date(2028, 2, 29))
def test_window_start_and_counts_at_agree(granted, at):
    in_window = rules.window_start(at) <= granted <= at
    assert rules.counts_at(granted, at) == in_window


@given(granted=any_day)
def test_an_aid_counts_for_three_years_then_never_again(granted):
    last = rules.anniversary(granted) - timedelta(days=1)
    assert rules.counts_at(granted, granted)
    assert rules.counts_at(granted, last)
    assert not rules.counts_at(granted, last + timedelta(days=1))
    assert not rules.counts_at(granted, granted - timedelta(days=1))
    # 365 × 3 + 0 or 1 leap day: the window is three calendar years long.
    assert (last - granted).days + 1 in (1095, 1096)


@given(at=any_day)
def test_the_window_ends_on_the_date_and_spans_three_years(at):
    start = rules.window_start(at)
    assert start <= at
    assert 1094 <= (at - start).days <= 1096
