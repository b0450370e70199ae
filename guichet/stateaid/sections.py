"""The "Aides d'État" section of the company file: for today, each regulation's total over the
last three years, its ceiling and what may still be granted (a gauge for the general de
minimis ceiling of €300,000), the single undertaking the company belongs to, the latest lines.
"""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from guichet.stateaid import permissions, rules, selectors
from guichet.stateaid.models import CEILINGS

LATEST_LINES = 5
NEAR_CEILING = Decimal("0.8")
# DSFR colours: blue France, warning, error.
GAUGE_COLOURS = {"ok": "#000091", "near": "#b34000", "over": "#ce0500"}
_RULE_LABELS = {rule.code: rule.label for rule in rules.CEILING_RULES}


def shown_positions(positions: list[rules.RegulationPosition]) -> list[rules.RegulationPosition]:
    """The regulations with a three-year ceiling always; the others when aid was received."""
    return [p for p in positions if CEILINGS.get(p.regulation) is not None or p.total]


def de_minimis_gauge(totals: dict[str, Decimal]) -> dict:
    """How much of the general ceiling (€300,000, counting general and agricultural de minimis
    aid together) is used."""
    rule = next(r for r in rules.CEILING_RULES if r.code == "de_minimis")
    used = sum((totals.get(code, Decimal("0")) for code in rule.counted), Decimal("0"))
    percent = min(100, int(used * 100 / rule.ceiling))
    if used > rule.ceiling:
        colour = GAUGE_COLOURS["over"]
    elif used >= rule.ceiling * NEAR_CEILING:
        colour = GAUGE_COLOURS["near"]
    else:
        colour = GAUGE_COLOURS["ok"]
    return {
        "used": used,
        "ceiling": rule.ceiling,
        "left": max(rule.ceiling - used, Decimal("0")),
        "percent": percent,
        "near": used >= rule.ceiling * NEAR_CEILING,
        "over": used > rule.ceiling,
        "colour": colour,
    }


def position_rows(totals: dict[str, Decimal]) -> list[dict]:
    """Each shown regulation with the label of the ceiling rule that limits it (the general
    de minimis ceiling also counts agricultural aid, the SGEI one general aid)."""
    return [
        {"position": position, "rule_label": _RULE_LABELS.get(position.binding_rule, "")}
        for position in shown_positions(rules.positions(totals))
    ]


def positions_context(totals: dict[str, Decimal], at: date) -> dict:
    return {
        "at": at,
        "window_start": rules.window_start(at),
        "rows": position_rows(totals),
        "gauge": de_minimis_gauge(totals),
    }


def stateaid_section(company, user, request) -> dict | None:
    if not permissions.can_view_ledger(user, company):
        return None
    today = timezone.localdate()
    group, company_ids = selectors.undertaking_of(company)
    return {
        **positions_context(selectors.totals_of_companies(company_ids, at=today), today),
        "group": group,
        "lines": selectors.latest_grants(company_ids, limit=LATEST_LINES),
        "can_declare": permissions.can_declare_aid(user, company),
    }
