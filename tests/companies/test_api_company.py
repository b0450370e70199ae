"""API of the company file: one company, its contacts and its export-profile facts."""

import json
from datetime import date, timedelta

import pytest
from django.utils import timezone

from guichet.companies.models import Company, Contact, ExportFact, Filiere
from guichet.companies.services import contact_create, export_fact_record
from guichet.core.models import AuditEvent
from guichet.partners.services import api_key_create
from tests.companies.conftest import make_company

API = "/api/v1/companies/"


@pytest.fixture
def company(reference):
    company = make_company("552100554", "BISCUITERIE DU MORVAN", naf="10.72Z")
    company.headcount_band_id = "12"
    company.save()
    return company


@pytest.fixture
def api(client, org_b):
    """A client calling with the API key of org B (the CCI)."""
    _key, raw = api_key_create(organisation=org_b, name="CRM de la CCI")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    class Caller:
        def get(self, url):
            return client.get(url, **headers)

        def post(self, url, body):
            return client.post(url, json.dumps(body), content_type="application/json", **headers)

        def patch(self, url, body):
            return client.patch(url, json.dumps(body), content_type="application/json", **headers)

    return Caller()


def fields_of(response) -> dict[str, str]:
    body = response.json()
    assert body["error"] == "validation"
    assert body["message"] == "Les données envoyées sont invalides."
    return {d["field"].split(".")[-1]: d["message"] for d in body["details"]}


def test_get_company_with_establishments_filieres_and_profile(api, advisor_a, company):
    Filiere.objects.create(name="Agroalimentaire", slug="agro").naf_codes.add("10.7")
    export_fact_record(
        company=company,
        attribute="countries_served",
        value=["IT", "DE"],
        observed_on=date(2024, 2, 1),
        source="survey",
        by=advisor_a,
    )
    response = api.get(API + "552100554")
    assert response.status_code == 200
    body = response.json()
    assert body["siren"] == "552100554"
    assert body["name"] == "BISCUITERIE DU MORVAN"
    assert body["naf"]["code"] == "10.72Z"
    assert body["headcount_band"]["label"] == "20 à 49 salariés"
    assert [(e["siret"], e["departement"], e["region"]) for e in body["establishments"]] == [
        ("55210055400012", "21", "27")
    ]
    assert body["filieres"] == [{"slug": "agro", "name": "Agroalimentaire"}]
    served = body["export_profile"]["countries_served"]
    assert served["value"] == ["DE", "IT"]
    assert served["display"] == "Allemagne, Italie"
    assert served["source_label"] == "Enquête"
    assert served["organisation"] == "Région Test"
    assert body["export_profile"]["status"] is None


def test_unknown_siren_is_404_and_a_malformed_one_422(api, company):
    missing = api.get(API + "999999999")
    assert missing.status_code == 404
    assert missing.json()["message"] == "Aucune entreprise de SIREN 999999999 dans le registre."
    for bad in ("55210055", "55210055A", "5521005540"):
        response = api.get(API + bad)
        assert response.status_code == 422, bad
        assert fields_of(response) == {"siren": "Le SIREN compte exactement 9 chiffres."}


def test_without_a_key_the_api_answers_401(client, company):
    for url in (API + "552100554", API + "552100554/contacts", API + "552100554/export-facts"):
        response = client.get(url)
        assert response.status_code == 401
        assert response.json()["error"] == "authentication"
    response = client.post(API + "552100554/contacts", "{}", content_type="application/json")
    assert response.status_code == 401
    assert Contact.objects.count() == 0


def test_listing_contacts_is_audited_in_the_name_of_the_key(api, advisor_a, company):
    contact = contact_create(
        company=company,
        by=advisor_a,
        first_name="Jeanne",
        last_name="Martin",
        email="jeanne.martin@biscuiterie.example",
        legal_basis="public_task",
        source="advisor",
    )
    response = api.get(API + "552100554/contacts")
    assert response.status_code == 200
    [row] = response.json()
    assert (row["id"], row["email"], row["organisation"]) == (
        contact.pk,
        "jeanne.martin@biscuiterie.example",
        "Région Test",
    )
    event = AuditEvent.objects.get(action="view", object_id=str(contact.pk))
    assert event.actor is None
    assert event.actor_label.startswith("Clé d'API « CRM de la CCI »")
    assert event.organisation_label == "CCI Test"
    assert event.object_type == "companies.Contact"


def test_create_and_patch_a_contact(api, company):
    response = api.post(
        API + "552100554/contacts",
        {
            "first_name": "Paul",
            "last_name": "Durand",
            "email": "paul.durand@example.com",
            "phone": "06 12 34 56 78",
            "legal_basis": "consent",
            "source": "event",
            "last_contact_on": "2024-04-02",
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert body["phone"] == "06 12 34 56 78"
    assert body["organisation"] == "CCI Test"
    contact = Contact.objects.get(pk=body["id"])
    assert contact.last_contact_on == date(2024, 4, 2)
    assert contact.organisation.slug == "cci-test"
    created = AuditEvent.objects.get(action="create", object_type="companies.Contact")
    assert created.organisation_label == "CCI Test"

    response = api.patch(API + f"552100554/contacts/{contact.pk}", {"job_title": "Acheteur"})
    assert response.status_code == 200
    contact.refresh_from_db()
    assert (contact.job_title, contact.email) == ("Acheteur", "paul.durand@example.com")

    response = api.patch(API + f"552100554/contacts/{contact.pk}", {"opted_out": True})
    assert response.json()["opted_out"] is True
    contact.refresh_from_db()
    assert contact.opted_out_at is not None
    response = api.patch(API + f"552100554/contacts/{contact.pk}", {"opted_out": False})
    assert response.status_code == 422
    assert "ne peut pas être levée" in fields_of(response)["opted_out"]


def test_bad_contact_values_are_422_in_french(api, company):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = api.post(
        API + "552100554/contacts",
        {
            "first_name": "Paul",
            "phone": "123",
            "email": "paul@",
            "legal_basis": "parce que",
            "source": "advisor",
            "last_contact_on": tomorrow,
        },
    )
    assert response.status_code == 422
    errors = fields_of(response)
    assert errors["last_name"] == "Ce champ ne peut pas être vide."
    assert errors["phone"].startswith("Numéro de téléphone invalide")
    assert errors["email"] == "Saisissez une adresse de courriel valide."
    assert "n’est pas un choix valide" in errors["legal_basis"]
    assert errors["last_contact_on"] == "La date du dernier contact ne peut pas être dans le futur."
    assert Contact.objects.count() == 0
    response = api.post(API + "552100554/contacts", {"last_contact_on": "hier"})
    assert fields_of(response)["last_contact_on"] == "Date invalide : format AAAA-MM-JJ attendu."


def test_a_contact_of_another_company_is_404(api, advisor_a, company):
    other = make_company("732829320", "AUTRE SOCIÉTÉ")
    contact = contact_create(
        company=other,
        by=advisor_a,
        first_name="Luc",
        last_name="Autre",
        legal_basis="public_task",
        source="advisor",
    )
    response = api.patch(API + f"552100554/contacts/{contact.pk}", {"job_title": "X"})
    assert response.status_code == 404
    contact.refresh_from_db()
    assert contact.job_title == ""


def test_record_and_list_export_facts(api, company):
    response = api.post(
        API + "552100554/export-facts",
        {
            "attribute": "status",
            "value": "new",
            "observed_on": "2024-03-15",
            "source": "declared",
            "comment": "Premier salon à Milan",
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert body["display"] == "Primo-exportateur"
    assert body["organisation"] == "CCI Test"
    assert Company.objects.get(pk=company.pk).export_status == "new"
    fact = ExportFact.objects.get()
    assert (fact.recorded_by, fact.organisation.slug, fact.comment) == (
        None,
        "cci-test",
        "Premier salon à Milan",
    )

    today = api.post(
        API + "552100554/export-facts",
        {"attribute": "turnover_band", "value": "2–10 M€", "source": "declared"},
    )
    assert today.json()["observed_on"] == timezone.localdate().isoformat()
    assert today.json()["value"] == "2m_10m"

    history = api.get(API + "552100554/export-facts").json()
    assert [(f["attribute"], f["value"]) for f in history] == [
        ("turnover_band", "2m_10m"),
        ("status", "new"),
    ]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"attribute": "export_share", "value": 130}, "value", "entre 0 et 100"),
        ({"attribute": "countries_served", "value": ["DE", "XX"]}, "value", "Codes pays inconnus"),
        ({"attribute": "status", "value": "souvent"}, "value", "Statut export inconnu"),
        ({"attribute": "chiffre", "value": 1}, "attribute", "Donnée inconnue"),
        (
            {"attribute": "innovative", "value": True, "source": "rumeur"},
            "source",
            "Source inconnue",
        ),
        (
            {"attribute": "innovative", "value": True, "observed_on": "2999-01-01"},
            "observed_on",
            "dans le futur",
        ),
        (
            {"attribute": "innovative", "value": True, "observed_on": "01/02/2024"},
            "observed_on",
            "AAAA-MM-JJ",
        ),
    ],
)
def test_bad_export_facts_are_422_in_french(api, company, body, field, message):
    response = api.post(API + "552100554/export-facts", {"source": "survey", **body})
    assert response.status_code == 422
    assert message in fields_of(response)[field]
    assert ExportFact.objects.count() == 0


def test_the_schema_lists_the_company_file_endpoints(api, company):
    schema = api.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    assert "/api/v1/companies/{siren}" in paths
    assert "/api/v1/companies/{siren}/contacts/{contact_id}" in paths
    assert set(paths["/api/v1/companies/{siren}/export-facts"]) == {"get", "post"}


def test_wrong_json_types_are_explained_in_french(api, company):
    response = api.post(API + "552100554/contacts", {"first_name": 12, "last_name": ["x"]})

    assert response.status_code == 422
    assert fields_of(response) == {
        "first_name": "Doit être une chaîne de caractères.",
        "last_name": "Doit être une chaîne de caractères.",
    }
