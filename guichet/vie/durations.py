"""Durations of V.I.E. missions counted in calendar months, the way a contract reads them: a
mission from 1 March to 31 August (both days included) lasts 6 months, one from 1 March 2025 to
28 February 2027 lasts 24. A month added to the 31st ends on the last day of a shorter month."""

import calendar
from datetime import date, timedelta


def add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def earliest_end(starts_on: date, months: int) -> date:
    """The first last day of a mission lasting at least `months` months."""
    return add_months(starts_on, months) - timedelta(days=1)


def latest_end(starts_on: date, months: int) -> date:
    """The last day of a mission lasting at most `months` months (the same day as
    earliest_end: a mission of exactly `months` months ends then)."""
    return earliest_end(starts_on, months)


def duration(starts_on: date, ends_on: date) -> tuple[int, int]:
    """(whole months, remaining days) of the mission [starts_on, ends_on], both included."""
    after = ends_on + timedelta(days=1)
    months = (after.year - starts_on.year) * 12 + after.month - starts_on.month
    while months > 0 and add_months(starts_on, months) > after:
        months -= 1
    months = max(months, 0)
    return months, (after - add_months(starts_on, months)).days


def lasts_at_least(starts_on: date, ends_on: date, months: int) -> bool:
    return ends_on >= earliest_end(starts_on, months)


def lasts_at_most(starts_on: date, ends_on: date, months: int) -> bool:
    return ends_on <= latest_end(starts_on, months)


def describe(starts_on: date, ends_on: date) -> str:
    """ "6 mois", "12 mois et 3 jours", "20 jours"."""
    months, days = duration(starts_on, ends_on)
    parts = []
    if months:
        parts.append(f"{months} mois")
    if days or not months:
        parts.append(f"{days} jour{'s' if days > 1 else ''}")
    return " et ".join(parts)
