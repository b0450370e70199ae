"""A computation and indicators of the dashboard tests (helper D): an automatic indicator over
the three companies of the `firms` fixture (two in Côte-d'Or, one in the Jura; two in the
`food` filière, see tests/plans/activity_records.py) and a manual one."""

import re
from datetime import datetime
from decimal import Decimal
from html import unescape

import pytest
from django.utils import timezone

from guichet.companies.models import Company
from guichet.plans.computations import Column, Figure, Filters, register
from guichet.plans.computations.scope import restrict
from guichet.plans.models import ManualValue
from tests.plans.conftest import make_indicator

KEY = "test_d_count"


def text_of(response) -> str:
    """A page's text as a reader sees it (tags, scripts, styles and drawings left out)."""
    html = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


@register(
    key=KEY,
    label="Entreprises du registre (test D)",
    unit="entreprises",
    description="Entreprises actives du registre, quel que soit l'année (test).",
    source="Registre (test)",
)
def count_companies(filters: Filters) -> Figure:
    records = restrict(Company.objects.filter(is_active=True), filters, company="", date=None)
    pme = records.filter(size_category="PME").count()
    return Figure(
        value=records.count(),
        records=records.order_by("siren"),
        columns=(
            Column("SIREN", lambda c: c.siren),
            Column("Raison sociale", lambda c: c.name),
            Column("Taille", lambda c: c.size_category),
        ),
        detail=f"dont {pme} PME",
        parts={"pme": pme},
    )


@pytest.fixture
def automatic(measure, firms):
    return make_indicator(
        measure,
        "1.1",
        computation=KEY,
        name="Entreprises suivies",
        targets={2024: 4, 2025: 3},
    )


@pytest.fixture
def manual(measure, org_b):
    indicator = make_indicator(
        measure,
        "1.2",
        name="Emplois export créés",
        unit="emplois",
        owner=org_b,
        breakdowns=[],
        targets={2025: 50},
    )
    ManualValue.objects.create(
        indicator=indicator,
        year=2025,
        value=Decimal("30"),
        source="Enquête emploi 2025 (ancienne)",
        organisation=org_b,
        entered_at=timezone.make_aware(datetime(2026, 1, 10, 9, 0)),
    )
    ManualValue.objects.create(
        indicator=indicator,
        year=2025,
        value=Decimal("42"),
        period="année 2025",
        source="Enquête emploi CCI 2025",
        organisation=org_b,
        entered_at=timezone.make_aware(datetime(2026, 2, 3, 9, 0)),
    )
    return indicator
