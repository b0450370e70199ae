"""Writes of the projection assumptions: an analyst replaces a country's default GDP and
population growth (computed from the last macro figures) or puts the default back.

Every change is written to the audit log with the values before and after. The export
potential's cache key covers every MarketAssumption (cache.inputs_key), so a change here makes
the next computation start again from the new figures.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from guichet.core.audit import record
from guichet.core.models import AuditEvent
from guichet.markets.models import MarketAssumption
from guichet.reference.models import Country

# Growth over the whole horizon, in percent: −50 % (a halving) to +200 % (a tripling) covers
# every projection published for a five-to-six-year horizon, wars and booms included.
GROWTH_MIN = Decimal("-50")
GROWTH_MAX = Decimal("200")
SOURCE_MAX = 300


def _growth(value, field: str, label: str, errors: dict) -> Decimal | None:
    if value is None or value == "":
        errors[field] = [f"Indiquez la croissance {label} en %."]
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors[field] = [f"La croissance {label} doit être un nombre (par exemple 12,5)."]
        return None
    if not number.is_finite():
        errors[field] = [f"La croissance {label} doit être un nombre (par exemple 12,5)."]
        return None
    if not GROWTH_MIN <= number <= GROWTH_MAX:
        errors[field] = [
            f"La croissance {label} sur l'horizon va de {GROWTH_MIN} % à +{GROWTH_MAX} %."
        ]
        return None
    return number.quantize(Decimal("0.01"))


def _snapshot(assumption: MarketAssumption | None) -> dict:
    if assumption is None:
        return {"gdp_growth_pct": None, "population_growth_pct": None, "source": None}
    return {
        "gdp_growth_pct": str(assumption.gdp_growth_pct),
        "population_growth_pct": str(assumption.population_growth_pct),
        "source": assumption.source,
    }


@transaction.atomic
def assumption_set(
    *,
    country: Country,
    gdp_growth_pct,
    population_growth_pct,
    source: str,
    user,
) -> MarketAssumption:
    """Replaces the country's projection (creates it or changes it), audited."""
    errors: dict[str, list[str]] = {}
    gdp = _growth(gdp_growth_pct, "gdp_growth_pct", "du PIB", errors)
    population = _growth(population_growth_pct, "population_growth_pct", "de la population", errors)
    source = (source or "").strip()
    if not source:
        errors["source"] = [
            "Indiquez la source de l'hypothèse (publication, date, auteur de l'estimation)."
        ]
    elif len(source) > SOURCE_MAX:
        errors["source"] = [f"La source tient en {SOURCE_MAX} caractères au plus."]
    if errors:
        raise ValidationError(errors)
    existing = MarketAssumption.objects.select_for_update().filter(country=country).first()
    before = _snapshot(existing)
    assumption, created = MarketAssumption.objects.update_or_create(
        country=country,
        defaults={
            "gdp_growth_pct": gdp,
            "population_growth_pct": population,
            "source": source,
            "updated_by": user,
        },
    )
    after = _snapshot(assumption)
    record(
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        obj=assumption,
        changes={k: [before[k], after[k]] for k in after if before[k] != after[k]},
        actor=user,
    )
    return assumption


@transaction.atomic
def assumption_reset(*, country: Country, user) -> bool:
    """Puts the default projection back (deletes the override); False when there was none."""
    assumption = MarketAssumption.objects.select_for_update().filter(country=country).first()
    if assumption is None:
        return False
    before = _snapshot(assumption)
    record(
        action=AuditEvent.Action.DELETE,
        obj=assumption,
        changes={k: [v, None] for k, v in before.items()},
        actor=user,
    )
    assumption.delete()
    return True
