"""Individual aids in the API: schemes, the applications an API key's organisation follows or
finances (whole file, audited), a summary for the others, the eligibility checks; French 422s
and 404s."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from guichet.aids.models import ApplicationEvent
from guichet.core.models import AuditEvent
from guichet.partners.services import api_key_create
from tests.aids.conftest import make_application, make_scheme
from tests.companies.conftest import make_company


class Api:
    def __init__(self, client, organisation=None):
        self.client = client
        self.headers = {}
        if organisation is not None:
            _key, raw = api_key_create(organisation=organisation, name="Système partenaire")
            self.headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    def get(self, path):
        return self.client.get(f"/api/v1{path}", **self.headers)


@pytest.fixture
def api_a(client, org_a):
    return Api(client, org_a)


@pytest.fixture
def api_b(client, org_b):
    return Api(client, org_b)


@pytest.fixture
def scheme_a(org_a):
    return make_scheme(org_a)


@pytest.fixture
def company_a(reference):
    return make_company("552100554", "Fromagerie de Bourgogne")


@pytest.fixture
def filed(scheme_a, company_a, org_a):
    application = make_application(
        scheme_a,
        company_a,
        org_a,
        status="instruction",
        submitted_at=timezone.now(),
        contact_phone="06 12 34 56 78",
        project_start=date(2027, 1, 1),
    )
    ApplicationEvent.objects.create(
        application=application, to_status="submitted", title="Demande déposée", by_company=True
    )
    return application


def test_schemes_with_their_rules(api_b, scheme_a):
    response = api_b.get("/aids/schemes")
    assert response.status_code == 200
    [data] = response.json()
    assert data["slug"] == "soutien-vie"
    assert data["provider"] == "Région Test"
    assert data["rate"] == "0.5000"
    assert data["extension_rate"] == "0.2500"
    assert data["ceiling_per_aid"] == "25000.00"
    assert data["sizes"] == ["TPE", "PME"]
    assert data["regime"] == "de_minimis"
    assert data["is_state_aid"] is True
    assert [c["code"] for c in data["cost_categories"]] == ["indemnite", "frais"]
    assert data["required_documents"][0] == {
        "code": "kbis",
        "label": "Extrait Kbis",
        "mandatory": True,
    }


def test_the_provider_lists_its_files_in_full(api_a, filed, org_b, reference):
    other_scheme = make_scheme(org_b, slug="salons-cci", name="Salons CCI")
    other = make_application(other_scheme, make_company("732829320", "Tonnellerie"), org_b)
    response = api_a.get("/aids/applications")
    assert response.status_code == 200
    data = response.json()
    assert (data["count"], data["page"], data["pages"]) == (1, 1, 1)
    [item] = data["results"]
    assert item["reference"] == filed.reference
    assert item["full"] is True
    assert item["contact"] == {
        "name": "Claire Martin",
        "email": "claire.martin@example.fr",
        "phone": "06 12 34 56 78",
    }
    assert item["expenses"][0]["amount"] == "25366.00"
    assert item["requested_amount"] == "12683.00"
    assert item["history"][0]["title"] == "Demande déposée"
    assert other.reference not in json.dumps(data)
    assert AuditEvent.objects.filter(action="view", object_id=str(filed.pk)).exists()


def test_a_file_followed_by_the_key_organisation_is_listed(api_b, filed, org_b):
    followed = make_application(filed.scheme, filed.company, org_b, title="Suivi par la CCI")
    data = api_b.get("/aids/applications").json()
    assert [r["reference"] for r in data["results"]] == [followed.reference]
    assert data["results"][0]["full"] is True


def test_filters_and_pages(api_a, filed, scheme_a, company_a, org_a):
    for _ in range(3):
        make_application(scheme_a, company_a, org_a, status="draft")
    data = api_a.get("/aids/applications?status=pending").json()
    assert [r["reference"] for r in data["results"]] == [filed.reference]
    data = api_a.get("/aids/applications?page_size=2&page=2").json()
    assert (data["count"], data["pages"], len(data["results"])) == (4, 2, 2)
    assert api_a.get("/aids/applications?page=9").json()["results"] == []
    data = api_a.get(f"/aids/applications?siren={company_a.siren}&scheme=soutien-vie").json()
    assert data["count"] == 4


def test_bad_filters_are_422_in_french(api_a, filed):
    response = api_a.get("/aids/applications?status=perdu&siren=12&scheme=rien&page_size=0")
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "validation"
    messages = {d["field"]: d["message"] for d in body["details"]}
    assert messages["query.status"].startswith("État inconnu : perdu.")
    assert messages["query.siren"] == "Le SIREN compte exactement 9 chiffres."
    assert messages["query.scheme"] == "Aucun dispositif « rien »."
    assert messages["query.page_size"] == "La taille de page va de 1 à 200."


def test_one_file_in_full_for_the_provider(api_a, filed):
    response = api_a.get(f"/aids/applications/{filed.reference}")
    assert response.status_code == 200
    data = response.json()
    assert data["full"] is True
    assert data["status"] == "instruction"
    assert data["status_label"] == "En instruction"
    assert data["instruction"]["opinion"] == ""
    assert data["documents"] == []


def test_another_organisation_reads_a_summary(api_b, filed):
    response = api_b.get(f"/aids/applications/{filed.reference.lower()}")
    assert response.status_code == 200
    data = response.json()
    assert data["full"] is False
    assert data["scheme_name"] == "Soutien au V.I.E."
    assert data["requested_amount"] == "12683.00"
    assert data["contact"] is None
    assert data["expenses"] is None
    assert "Claire" not in json.dumps(data)
    assert not AuditEvent.objects.filter(action="view", object_id=str(filed.pk)).exists()


def test_unknown_and_malformed_references(api_a):
    response = api_a.get("/aids/applications/AI26-ZZZZZZ")
    assert response.status_code == 404
    assert response.json()["message"] == "Aucune demande d'aide de référence AI26-ZZZZZZ."
    response = api_a.get("/aids/applications/n'importe-quoi")
    assert response.status_code == 422
    assert response.json()["details"][0]["field"] == "path.reference"
    assert "Référence invalide" in response.json()["details"][0]["message"]


def test_checks_and_amount_for_the_provider(api_a, filed):
    filed.checks = [
        {"code": "size", "label": "Taille : TPE ou PME", "outcome": "passed", "detail": "PME"}
    ]
    filed.instructed_at = timezone.now()
    filed.save()
    response = api_a.get(f"/aids/applications/{filed.reference}/checks")
    assert response.status_code == 200
    data = response.json()
    computed = {c["code"]: c for c in data["computed"]}
    assert computed["size"]["outcome"] == "passed"
    assert computed["documents"]["outcome"] == "failed"
    assert computed["not_allowed_costs"]["outcome"] == "manual"
    assert data["recorded"] == filed.checks
    amount = data["eligible_amount"]
    assert amount["amount"] == "12683.00"
    assert amount["binding"] == "base"
    assert {t["code"]: t["value"] for t in amount["terms"]}["ceiling_per_aid"] == "25000.00"


def test_checks_are_refused_to_other_organisations(api_b, filed):
    response = api_b.get(f"/aids/applications/{filed.reference}/checks")
    assert response.status_code == 403
    assert response.json()["error"] == "permission"


def test_without_key(client, filed):
    assert client.get("/api/v1/aids/applications").status_code == 401
    assert client.get("/api/v1/aids/schemes").status_code == 401


def test_granted_amounts_in_the_summary(api_b, filed):
    filed.status, filed.granted_amount = "approved", Decimal("12000")
    filed.decided_on = date(2026, 6, 1)
    filed.save()
    data = api_b.get(f"/aids/applications/{filed.reference}").json()
    assert (data["granted_amount"], data["decided_on"]) == ("12000.00", "2026-06-01")
