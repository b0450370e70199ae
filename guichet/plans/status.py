"""An indicator's traffic light: the realised value against the year's target.

For a year that is over, the value is compared with the target. For the current year it is
compared with the share of the target expected by today (target × days elapsed / days in the
year), so a plan is not "en retard" in February. Thresholds: reached (≥ 100 % of what is
expected) is green, ≥ 75 % is orange, below is red; for an indicator where lower is better the
ratio is inverted (target / value).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from guichet.plans.models import Direction

WATCH_THRESHOLD = Decimal("0.75")


@dataclass(frozen=True)
class Status:
    key: str  # "reached" | "on_track" | "watch" | "late" | "no_target" | "no_value"
    label: str  # French
    colour: str  # DSFR badge: success / info / warning / error / new

    @property
    def badge_class(self) -> str:
        return f"fr-badge--{self.colour}"


REACHED = Status("reached", "Cible atteinte", "success")
ON_TRACK = Status("on_track", "En bonne voie", "success")
WATCH = Status("watch", "À surveiller", "warning")
LATE = Status("late", "En retard", "error")
NO_TARGET = Status("no_target", "Sans cible", "new")
NO_VALUE = Status("no_value", "Pas de valeur", "new")


def year_elapsed_share(year: int, today: date) -> Decimal:
    """1 for a past year, 0 for a future one, else the share of days elapsed (today counted)."""
    if year < today.year:
        return Decimal(1)
    if year > today.year:
        return Decimal(0)
    start = date(year, 1, 1)
    days_in_year = (date(year + 1, 1, 1) - start).days
    return Decimal((today - start).days + 1) / Decimal(days_in_year)


def expected_by(target: Decimal, *, year: int, today: date, direction: str) -> Decimal:
    """What should be realised by today. A "lower is better" target is a ceiling for the
    whole year and is not prorated."""
    if direction == Direction.DOWN:
        return target
    # Rounded to the cent: a share like 90/365 is not exact in decimal.
    return (target * year_elapsed_share(year, today)).quantize(Decimal("0.01"))


def progress(value: Decimal | int | None, target: Decimal | None) -> Decimal | None:
    """Realised / target (0.5 = 50 %), None when either is missing or the target is 0."""
    if value is None or target is None or target == 0:
        return None
    return Decimal(value) / Decimal(target)


def status_for(
    value: Decimal | int | None,
    target: Decimal | None,
    *,
    year: int,
    direction: str,
    today: date,
) -> Status:
    if target is None:
        return NO_TARGET
    if value is None:
        return NO_VALUE
    value = Decimal(value)
    current = year == today.year
    if direction == Direction.DOWN:
        if value <= target:
            return ON_TRACK if current else REACHED
        ratio = target / value if value else Decimal(0)
    else:
        expected = expected_by(target, year=year, today=today, direction=direction)
        if expected <= 0:
            # A zero target (or nothing expected yet this year) is met by any value.
            if value >= target:
                return ON_TRACK if current else REACHED
            return ON_TRACK
        ratio = value / expected
        if ratio >= 1:
            return REACHED if value >= target else ON_TRACK
    return WATCH if ratio >= WATCH_THRESHOLD else LATE
