"""The world shared by helper B's computation tests (V.I.E., awareness, public money, aids,
collective actions), the scope and breakdown tests and the dashboard's: three companies — a PME
cheese maker and an ETI optician in Côte-d'Or, a PME in the Jura — the first and the last in
the food filière; partners org_a (Région Test) and org_b (CCI Test). The fixtures `firms`,
`food` and `named_filters` are in conftest.py."""

import secrets
from datetime import datetime

from django.utils import timezone

from guichet.companies.models import Filiere
from guichet.plans import computations
from guichet.plans.computations import Filters
from tests.companies.conftest import make_company

YEARS = (2023, 2024, 2025)


def make_firms():
    """(cheese maker PME 21, optician ETI 21, Jura PME 39)."""
    return (
        make_company("552100554", "Fromagerie de Bourgogne", size_category="PME"),
        make_company("732829320", "Lunetterie de Dijon", naf="32.50A", size_category="ETI"),
        make_company("401234567", "Comté du Jura", commune_code="39478", size_category="PME"),
    )


def make_food():
    filiere = Filiere.objects.create(name="Agroalimentaire", slug="agroalimentaire")
    filiere.naf_codes.add("10.71C")
    return filiere


def make_named_filters(org_a, org_b, food) -> dict[str, dict]:
    """Filters by name: "all years", a year ("2024"), a partner, the food filière, the Jura or
    a size alone ("Jura", "ETI") or in a year ("CCI 2024", "food 2025")."""
    parts = {
        "Région": {"organisation_id": org_a.pk},
        "CCI": {"organisation_id": org_b.pk},
        "food": {"filiere_id": food.pk},
        "Jura": {"departement": "39"},
        "ETI": {"size": "ETI"},
        "PME": {"size": "PME"},
    }
    named = {"all years": {}} | {str(year): {"year": year} for year in YEARS}
    for name, filters in parts.items():
        named[name] = filters
        named |= {f"{name} {year}": {"year": year, **filters} for year in YEARS}
    return named


def at(year: int, month: int, day: int) -> datetime:
    return timezone.make_aware(datetime(year, month, day, 12, 0))


def figure(key: str, **filters):
    return computations.get(key)(Filters(**filters))


def assert_values(key: str, named_filters: dict, expected: dict) -> None:
    """The computation gives each expected value under the filters of that name."""
    assert {name: figure(key, **named_filters[name]).value for name in expected} == expected


def nonce() -> str:
    return secrets.token_hex(16)


def rows(fig, *headers):
    """The drill-down rows, reduced to the given columns."""
    index = [next(c for c in fig.columns if c.header == h) for h in headers]
    return [tuple(column.value(record) for column in index) for record in fig.records]
