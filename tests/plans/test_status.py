"""The traffic light of an indicator (guichet/plans/status.py), with every date written out: a
year that is over is compared with its whole target, the current year with the share of the
target expected by today, and a "lower is better" target is a ceiling that is never prorated."""

from datetime import date
from decimal import Decimal

from guichet.plans.status import (
    LATE,
    NO_TARGET,
    NO_VALUE,
    ON_TRACK,
    REACHED,
    WATCH,
    expected_by,
    progress,
    status_for,
    year_elapsed_share,
)

UP, DOWN = "up", "down"
TARGET = Decimal(100)


def test_a_past_year_is_reached_at_or_above_its_target():
    on = date(2025, 3, 1)
    assert status_for(100, TARGET, year=2024, direction=UP, today=on) == REACHED
    assert status_for(130, TARGET, year=2024, direction=UP, today=on) == REACHED


def test_a_past_year_below_target_is_watched_from_75_percent_and_late_below():
    on = date(2025, 3, 1)
    assert status_for(75, TARGET, year=2024, direction=UP, today=on) == WATCH
    assert status_for(99, TARGET, year=2024, direction=UP, today=on) == WATCH
    assert status_for(74, TARGET, year=2024, direction=UP, today=on) == LATE
    assert status_for(0, TARGET, year=2024, direction=UP, today=on) == LATE


def test_the_current_year_is_compared_pro_rata():
    # 31 March 2025: 90 days of 365 have passed, so 90 of a target of 365 are expected.
    on = date(2025, 3, 31)
    target = Decimal(365)
    expected = expected_by(target, year=2025, today=on, direction=UP)
    assert expected.quantize(Decimal("0.01")) == Decimal("90.00")
    assert status_for(91, target, year=2025, direction=UP, today=on) == ON_TRACK
    assert status_for(70, target, year=2025, direction=UP, today=on) == WATCH  # 78 %
    assert status_for(60, target, year=2025, direction=UP, today=on) == LATE  # 67 %
    assert status_for(365, target, year=2025, direction=UP, today=on) == REACHED


def test_a_plan_is_not_late_in_february():
    # 10 February 2025: 41 days of 365; 20 of 200 is 20 / 22.5 = 89 % of what is expected.
    on = date(2025, 2, 10)
    assert status_for(20, Decimal(200), year=2025, direction=UP, today=on) == WATCH
    assert status_for(23, Decimal(200), year=2025, direction=UP, today=on) == ON_TRACK


def test_a_year_to_come_is_on_track():
    assert status_for(0, TARGET, year=2026, direction=UP, today=date(2025, 3, 31)) == ON_TRACK


def test_lower_is_better_compares_with_the_ceiling():
    past = date(2025, 1, 15)
    assert status_for(8, Decimal(10), year=2024, direction=DOWN, today=past) == REACHED
    assert status_for(10, Decimal(10), year=2024, direction=DOWN, today=past) == REACHED
    assert status_for(12, Decimal(10), year=2024, direction=DOWN, today=past) == WATCH  # 83 %
    assert status_for(20, Decimal(10), year=2024, direction=DOWN, today=past) == LATE  # 50 %
    # Not prorated during the year: 8 days of delay against a ceiling of 10 in March.
    current = date(2025, 3, 31)
    assert expected_by(Decimal(10), year=2025, today=current, direction=DOWN) == Decimal(10)
    assert status_for(8, Decimal(10), year=2025, direction=DOWN, today=current) == ON_TRACK
    assert status_for(14, Decimal(10), year=2025, direction=DOWN, today=current) == LATE


def test_no_target_or_no_value():
    on = date(2025, 3, 31)
    assert status_for(10, None, year=2024, direction=UP, today=on) == NO_TARGET
    assert status_for(None, TARGET, year=2024, direction=UP, today=on) == NO_VALUE
    assert NO_TARGET.label == "Sans cible"
    assert LATE.badge_class == "fr-badge--error"


def test_share_of_the_year_elapsed_counts_today_and_leap_years():
    assert year_elapsed_share(2024, date(2024, 1, 1)) == Decimal(1) / Decimal(366)
    assert year_elapsed_share(2024, date(2024, 12, 31)) == Decimal(1)
    assert year_elapsed_share(2023, date(2024, 6, 1)) == Decimal(1)
    assert year_elapsed_share(2025, date(2024, 6, 1)) == Decimal(0)


def test_progress_is_value_over_target():
    assert progress(50, Decimal(200)) == Decimal("0.25")
    assert progress(50, Decimal(0)) is None
    assert progress(None, Decimal(200)) is None


def test_a_zero_target_of_a_finished_year_is_reached():
    status = status_for(Decimal(0), Decimal(0), year=2024, direction="up", today=date(2025, 3, 1))
    assert status.label == "Cible atteinte"
    this_year = status_for(
        Decimal(0), Decimal(0), year=2025, direction="up", today=date(2025, 3, 1)
    )
    assert this_year.label == "En bonne voie"


def test_the_pro_rata_expected_value_is_exact_at_the_cent():
    # 31 March 2025 is day 90 of 365: 365 × 90 / 365 = 90 expected, and 90 realised is on track.
    status = status_for(
        Decimal(90), Decimal(365), year=2025, direction="up", today=date(2025, 3, 31)
    )
    assert status.label == "En bonne voie"
