"""Hypothesis strategies and brute-force references shared by the ledger's property tests."""

from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from guichet.stateaid import rules
from guichet.stateaid.models import DE_MINIMIS_REGULATIONS, Regulation

DB_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

positions_dates = st.dates(
    min_value=date(2019, 1, 1), max_value=date(2030, 12, 31)
) | st.sampled_from([date(2024, 2, 29), date(2028, 2, 29), date(2026, 3, 14), date(2026, 3, 15)])
amounts = st.decimals(
    min_value=0, max_value=400000, places=2, allow_nan=False, allow_infinity=False
)
regulations = st.sampled_from(Regulation.values)
de_minimis = st.sampled_from([str(code) for code in DE_MINIMIS_REGULATIONS])


@st.composite
def ledger_lines(draw, at: date, *, max_size: int = 8, regulation=regulations, before_only=False):
    """(granted_on, amount, regulation, cancelled) lines around `at` (within five years)."""
    size = draw(st.integers(min_value=0, max_value=max_size))
    lines = []
    for _ in range(size):
        offset = draw(st.integers(min_value=-5 * 366, max_value=0 if before_only else 400))
        lines.append(
            (
                at + timedelta(days=offset),
                draw(amounts),
                draw(regulation),
                draw(st.booleans()) and draw(st.booleans()),  # one in four cancelled
            )
        )
    return lines


def brute_totals(lines, at: date) -> dict[str, Decimal]:
    """The definition, one aid at a time: live lines that count at `at`."""
    totals = {code: Decimal("0") for code in Regulation.values}
    for granted_on, amount, regulation, cancelled in lines:
        if not cancelled and rules.counts_at(granted_on, at):
            totals[regulation] += amount
    return totals


def brute_headroom(totals: dict[str, Decimal], regulation: str) -> tuple[Decimal, Decimal] | None:
    """(headroom, ceiling) of the tightest ceiling that counts `regulation`."""
    best = None
    for rule in rules.CEILING_RULES:
        if regulation in rule.counted:
            left = rule.ceiling - sum(totals[code] for code in rule.counted)
            if best is None or left < best[0]:
                best = (left, rule.ceiling)
    if best is None:
        return None
    return max(best[0], Decimal("0")), best[1]


@contextmanager
def rolled_back():
    """Each hypothesis example writes its own ledger and leaves nothing behind."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
