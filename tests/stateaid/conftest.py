"""Shared fixtures of the state-aid ledger tests: two companies of the registry, an instructor
of the Région, and a quick way to write ledger lines without the ceiling check."""

from datetime import date
from decimal import Decimal

import pytest

from guichet.stateaid.models import GrantSource, Regulation, StateAidGrant
from tests.companies.conftest import make_company
from tests.conftest import make_user

SIREN = "552100554"
SIREN_2 = "732829320"
SIREN_3 = "383474814"


def add_line(
    company,
    granted_on: date,
    amount,
    *,
    regulation: str = Regulation.DE_MINIMIS,
    source: str = GrantSource.PLATFORM_AID,
    body: str = "Région Test",
    description: str = "Aide au recrutement d'un responsable export",
    **extra,
) -> StateAidGrant:
    return StateAidGrant.objects.create(
        company=company,
        granted_on=granted_on,
        amount=Decimal(amount),
        regulation=regulation,
        granting_body=body,
        source=source,
        description=description,
        **extra,
    )


@pytest.fixture
def company(reference):
    return make_company(SIREN, "Fromagerie de Bourgogne")


@pytest.fixture
def sister(reference):
    return make_company(SIREN_2, "Moutarderie de Dijon")


@pytest.fixture
def third(reference):
    return make_company(SIREN_3, "Cassis de Nuits")


@pytest.fixture
def instructor_a(org_a):
    return make_user("ines.instruit@test.example", org_a, ["instructor"])


@pytest.fixture
def instructor_b(org_b):
    return make_user("olivier.instruit@test.example", org_b, ["instructor"])
