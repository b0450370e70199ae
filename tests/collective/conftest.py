"""Shared fixtures of the collective-action tests: the Région's programme (org_a organises),
a fair pavilion with a 50 % subsidy capped at €4,000 under GBER art. 19, companies."""

from datetime import date
from decimal import Decimal

import pytest

from guichet.collective.models import ChecklistItem, CollectiveAction, Programme
from guichet.reference.models import Country
from tests.companies.conftest import make_company
from tests.conftest import make_user

DEFAULT_CHECKLIST = [
    "Objectifs de la participation fixés",
    "Contacts cibles identifiés",
    "Supports traduits",
    "Rendez-vous B2B pris",
]


def make_action(organiser, *, slug="sial-2026", year=2026, **overrides) -> CollectiveAction:
    programme, _ = Programme.objects.get_or_create(
        year=year, defaults={"title": f"Programme d'actions collectives {year}"}
    )
    fields = {
        "kind": "fair",
        "title": "SIAL Paris — pavillon Bourgogne-Franche-Comté",
        "series": "sial",
        "status": "published",
        "starts_on": date(year, 10, 18),
        "ends_on": date(year, 10, 22),
        "city": "Villepinte",
        "country": Country.objects.get(iso2="FR"),
        "capacity": 2,
        "registration_deadline": date(year, 6, 30),
        "free_cancellation_until": date(year, 8, 31),
        "full_cost": Decimal("9000"),
        "company_fee": Decimal("5000"),
        "eligible_costs": [{"label": "Location et aménagement du stand", "amount": "9000"}],
        "subsidy_rate": Decimal("0.50"),
        "subsidy_cap": Decimal("4000"),
        "subsidised_participations_limit": 3,
        "regime": "gber_19",
        "budget": Decimal("40000"),
        "reminder_days": [14, 3],
    }
    fields.update(overrides)
    action = CollectiveAction.objects.create(
        programme=programme, slug=slug, organiser=organiser, **fields
    )
    for order, label in enumerate(DEFAULT_CHECKLIST, start=1):
        ChecklistItem.objects.create(action=action, label=label, order=order)
    return action


@pytest.fixture
def action(reference, org_a):
    return make_action(org_a)


@pytest.fixture
def companies(reference):
    return [
        make_company("552100554", "Fromagerie de Bourgogne"),
        make_company("732829320", "Moutarderie de Dijon", nic="00018"),
        make_company("404833048", "Cassis du Val de Saône", nic="00025"),
    ]


@pytest.fixture
def manager_org_a(org_a):
    return make_user("pilote.actions@region.fr", org_a, ["manager"])


# --- registrations (helper F) -------------------------------------------------------------------

REGISTRATION_TODAY = date(2026, 5, 4)  # before the SIAL deadline (30 June) of make_action


def register(action, company, organisation, *, today=REGISTRATION_TODAY, **overrides):
    """A registration through the service (history and timeline written), contact filled."""
    from guichet.collective.services.registrations import registration_create

    fields = {
        "contact_name": "Claire Martin",
        "contact_email": f"contact@{company.siren}.example.fr",
        "contact_phone": "03 80 00 00 00",
        "motivation": "Rencontrer des importateurs allemands.",
        "organisation": organisation,
        "by_company": False,
    }
    fields.update(overrides)
    return registration_create(action=action, company=company, today=today, **fields)
