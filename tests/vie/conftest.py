"""Shared fixtures of the V.I.E. tests: two host companies, a mission factory that goes through
the service, and a session factory."""

from datetime import date
from decimal import Decimal

import pytest

from guichet.reference.models import Country
from guichet.vie import services
from tests.companies.conftest import make_company


@pytest.fixture
def company(reference):
    return make_company("552100554", "Fromagerie de Bourgogne")


@pytest.fixture
def other_company(reference):
    return make_company("732829320", "Lunetterie du Jura", naf="32.50A", commune_code="39478")


def make_mission(company, organisation, *, by=None, **overrides):
    fields = {
        "job_title": "Développeur commercial",
        "country": Country.objects.get(iso2="DE"),
        "city": "Munich",
        "starts_on": date(2024, 3, 1),
        "ends_on": date(2025, 2, 28),
        "monthly_cost": Decimal("3200"),
    }
    fields.update(overrides)
    return services.vie_mission_create(company=company, organisation=organisation, by=by, **fields)


def make_session(organisation, *, by=None, **overrides):
    fields = {
        "school": "Lycée Carnot, Dijon",
        "level": "bts",
        "held_on": date(2024, 11, 14),
        "students": 40,
        "vie_candidates": 3,
        "speakers": "CCE, conseiller CCI",
    }
    fields.update(overrides)
    return services.awareness_session_create(organisation=organisation, by=by, **fields)


def make_aid(organisation, company):
    """A V.I.E. support application of `company` (the aids tests' factory). Its access nonce is
    given: the model's default (secrets.token_hex, 64 characters) overflows its 32 characters
    on PostgreSQL."""
    import secrets

    from guichet.aids.models import AidScheme
    from tests.aids.conftest import make_application, make_scheme

    scheme = AidScheme.objects.filter(slug="soutien-vie").first() or make_scheme(organisation)
    return make_application(scheme, company, organisation, access_nonce=secrets.token_hex(16))
