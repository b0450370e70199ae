"""Shared fixtures of the plan tests: a plan with one axis and one measure, and an indicator
factory."""

from decimal import Decimal

import pytest

from guichet.plans.models import Axis, Indicator, Measure, Plan, YearTarget
from tests.plans.activity_records import make_firms, make_food, make_named_filters


@pytest.fixture
def plan(db, org_a):
    return Plan.objects.create(
        slug="parex-2", name="PAREX 2", first_year=2022, last_year=2026, owner=org_a
    )


@pytest.fixture
def axis(plan):
    return Axis.objects.create(plan=plan, number=1, title="Communication, formation, information")


@pytest.fixture
def measure(plan, axis):
    return Measure.objects.create(
        plan=plan, axis=axis, number=1, title="Pré-détection d'entreprises"
    )


def make_indicator(measure, code, *, computation="", targets=None, **fields):
    """An indicator of `measure`; `targets` maps a year to its target."""
    values = {
        "name": f"Indicateur {code}",
        "unit": "entreprises",
        "breakdowns": ["partner", "filiere", "departement", "size"],
    }
    values.update(fields)
    indicator = Indicator.objects.create(
        plan=measure.plan, measure=measure, code=code, computation=computation, **values
    )
    for year, value in (targets or {}).items():
        YearTarget.objects.create(indicator=indicator, year=year, value=Decimal(value))
    return indicator


# --- helper B's computation tests (tests/plans/activity_records.py) --------------------------


@pytest.fixture
def firms(reference):
    return make_firms()


@pytest.fixture
def food(reference):
    return make_food()


@pytest.fixture
def named_filters(org_a, org_b, food):
    return make_named_filters(org_a, org_b, food)
