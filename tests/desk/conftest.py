"""Desk fixtures: a small region (Côte-d'Or 21, Doubs 25) with rules, and helpers to submit
needs at a fixed date."""

from datetime import datetime

import pytest
from django.utils import timezone

from guichet.desk.models import DeskPolicy, RoutingRule, Subject
from guichet.desk.services import need_submit
from guichet.partners.services import organisation_create
from tests.conftest import make_user


def at(day: str, hour: int = 10) -> datetime:
    """An aware datetime in Europe/Paris: at("2026-03-02") → 2 March 2026, 10:00."""
    return timezone.make_aware(datetime.fromisoformat(f"{day}T{hour:02d}:00"))


@pytest.fixture
def subjects(db) -> dict[str, Subject]:
    return {s.code: s for s in Subject.objects.all()}


@pytest.fixture
def bpi(db):
    return organisation_create(name="Bpifrance Test", kind="bpifrance", slug="bpi-test")


@pytest.fixture
def fallback(db):
    return organisation_create(name="Team France Export Test", kind="cci", slug="tfe-test")


@pytest.fixture
def desk(reference, org_a, org_b, bpi, fallback, subjects):
    """Rules: "find customers" → CCI Test (rank 1) then Région Test (rank 2) in Côte-d'Or;
    "finance prospecting" → Bpifrance everywhere. Fallback organisation: TFE Test."""
    from guichet.reference.models import Departement

    policy = DeskPolicy.current()
    policy.fallback_organisation = fallback
    policy.desk_phone = "03 80 00 00 00"
    policy.save()
    cote_dor = Departement.objects.get(code="21")
    first = RoutingRule.objects.create(subject=subjects["clients-etranger"], organisation=org_b)
    first.departements.add(cote_dor)
    second = RoutingRule.objects.create(
        subject=subjects["clients-etranger"], organisation=org_a, priority=2
    )
    second.departements.add(cote_dor)
    RoutingRule.objects.create(subject=subjects["financer-prospection"], organisation=bpi)
    return {"policy": policy, "first": first, "second": second}


@pytest.fixture
def expert_b(org_b):
    return make_user("eve.expert@test.example", org_b, ["expert"])


@pytest.fixture
def manager_b(org_b):
    return make_user("marc.manager@test.example", org_b, ["manager"])


NEED_DATA = {
    "siret": "",
    "company_name": "Fromagerie Test",
    "postal_code": "21000",
    "description": "Nous cherchons des distributeurs en Allemagne.",
    "contact_first_name": "Jeanne",
    "contact_last_name": "Martin",
    "contact_role": "Gérante",
    "contact_email": "jeanne.martin@fromagerie.example",
    "contact_phone": "03 80 11 22 33",
}


def submit(subject_codes=("clients-etranger",), *, when="2026-03-02", **overrides):
    data = {**NEED_DATA, **overrides}
    chosen = list(Subject.objects.filter(code__in=subject_codes))
    return need_submit(
        data=data, subjects=chosen, channel="web", consent=True, client_ip="192.0.2.1", at=at(when)
    )
