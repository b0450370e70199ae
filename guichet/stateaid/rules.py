"""The state-aid rules as pure functions (no database): the rolling three-year window and the
ceilings with their cumulation rules. Selectors feed them the ledger lines.

Rolling window (Regulation (EU) 2023/2831, art. 3(2)): an aid counts from the day it is granted
until the day before its third anniversary — granted on 15 March 2023, it counts until 14 March
2026 inclusive. The anniversary of 29 February is 1 March, so an aid granted on 29 February 2024
counts until 28 February 2027.

Cumulation (art. 5 of each de minimis regulation): general de minimis aid cumulates with
agricultural de minimis aid up to the general ceiling (€300,000), and with SGEI de minimis
aid up to the SGEI ceiling (€750,000); agricultural aid also has its own €50,000 ceiling. A new
aid under a regulation must fit every ceiling whose cumulation includes that regulation.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from guichet.stateaid.models import Regulation

WINDOW_YEARS = 3


def anniversary(day: date, years: int = WINDOW_YEARS) -> date:
    """`day` plus `years` years; 29 February becomes 1 March in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def window_start(at: date) -> date:
    """The first day of the three years ending on `at` (inclusive): an aid granted on or after
    it, and on or before `at`, counts."""
    try:
        back = at.replace(year=at.year - WINDOW_YEARS)
    except ValueError:  # 29 February → 28 February
        back = date(at.year - WINDOW_YEARS, 2, 28)
    return back + timedelta(days=1)


def counts_at(granted_on: date, at: date) -> bool:
    """The definition of the window, one aid at a time (the property tests compare it with
    window_start)."""
    return granted_on <= at < anniversary(granted_on)


@dataclass(frozen=True)
class CeilingRule:
    code: str
    label: str
    ceiling: Decimal
    counted: frozenset[str]


CEILING_RULES: tuple[CeilingRule, ...] = (
    CeilingRule(
        code="de_minimis",
        label="De minimis général (cumulé avec le de minimis agricole)",
        ceiling=Decimal("300000"),
        counted=frozenset({Regulation.DE_MINIMIS, Regulation.DE_MINIMIS_AGRI}),
    ),
    CeilingRule(
        code="de_minimis_agri",
        label="De minimis agricole",
        ceiling=Decimal("50000"),
        counted=frozenset({Regulation.DE_MINIMIS_AGRI}),
    ),
    CeilingRule(
        code="de_minimis_sieg",
        label="De minimis SIEG (cumulé avec le de minimis général)",
        ceiling=Decimal("750000"),
        counted=frozenset({Regulation.DE_MINIMIS_SGEI, Regulation.DE_MINIMIS}),
    ),
)


@dataclass(frozen=True)
class RegulationPosition:
    """What the company file and the API show for one regulation at a date."""

    regulation: str
    label: str
    total: Decimal  # aids under this regulation over the window
    ceiling: Decimal | None  # the tightest ceiling that applies to it (None: none)
    headroom: Decimal | None  # what may still be granted under it (never negative)
    binding_rule: str  # code of the ceiling rule that limits it, "" if none
    counted: Decimal = Decimal("0")  # what counts against that ceiling (several regulations)


def totals_by_regulation(
    grants: Iterable[tuple[date, Decimal, str]], *, at: date
) -> dict[str, Decimal]:
    """Sum of (granted_on, amount, regulation) lines that count at `at`, per regulation."""
    start = window_start(at)
    totals: dict[str, Decimal] = {code: Decimal("0") for code in Regulation.values}
    for granted_on, amount, regulation in grants:
        if start <= granted_on <= at:
            totals[regulation] = totals.get(regulation, Decimal("0")) + Decimal(amount)
    return totals


def positions(totals: dict[str, Decimal]) -> list[RegulationPosition]:
    rows = []
    for regulation in Regulation:
        rules = [rule for rule in CEILING_RULES if regulation in rule.counted]
        best: tuple[Decimal, CeilingRule] | None = None
        for rule in rules:
            left = rule.ceiling - sum(
                (totals.get(code, Decimal("0")) for code in rule.counted), Decimal("0")
            )
            if best is None or left < best[0]:
                best = (left, rule)
        rows.append(
            RegulationPosition(
                regulation=regulation.value,
                label=str(regulation.label),
                total=totals.get(regulation.value, Decimal("0")),
                ceiling=best[1].ceiling if best else None,
                headroom=max(best[0], Decimal("0")) if best else None,
                binding_rule=best[1].code if best else "",
                counted=best[1].ceiling - best[0] if best else Decimal("0"),
            )
        )
    return rows


def headroom(totals: dict[str, Decimal], regulation: str) -> Decimal | None:
    """What may still be granted under `regulation` (None: no three-year ceiling)."""
    for position in positions(totals):
        if position.regulation == regulation:
            return position.headroom
    return None
