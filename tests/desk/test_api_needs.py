"""The desk in the API: partners send needs (same validation as the public page) and read the
needs routed to their organisation."""

import json

import pytest
from django.core import mail

from config.api import api as ninja_api
from guichet.core.models import AuditEvent
from guichet.desk.models import Need
from guichet.desk.services import match_answer
from guichet.partners.services import api_key_create
from tests.companies.fixtures.sirene import siren, siret
from tests.desk.conftest import submit

URL = "/api/v1/needs"

VALID = {
    "siret": "",
    "company_name": "Fromagerie des Tests",
    "postal_code": "21000",
    "subjects": ["clients-etranger"],
    "description": "Nous cherchons des distributeurs en Allemagne.",
    "contact_first_name": "Jeanne",
    "contact_last_name": "Martin",
    "contact_role": "Gérante",
    "contact_email": "jeanne.martin@fromagerie.example",
    "contact_phone": "03 80 11 22 33",
    "consent": True,
}


class Caller:
    def __init__(self, client, raw_key: str | None):
        self.client = client
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {raw_key}"} if raw_key else {}

    def get(self, url, **params):
        return self.client.get(url, params, **self.headers)

    def post(self, body, url=URL):
        return self.client.post(
            url, json.dumps(body), content_type="application/json", **self.headers
        )


@pytest.fixture
def cci(client, org_b):
    """The CCI's CRM (org B: receives "find customers" in Côte-d'Or)."""
    _key, raw = api_key_create(organisation=org_b, name="CRM de la CCI")
    return Caller(client, raw)


@pytest.fixture
def bpi_api(client, bpi):
    _key, raw = api_key_create(organisation=bpi, name="Site Bpifrance")
    return Caller(client, raw)


def errors_of(response) -> dict[str, str]:
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["error"] == "validation"
    assert body["message"] == "Les données envoyées sont invalides."
    return {d["field"]: d["message"] for d in body["details"]}


# --- POST /needs -------------------------------------------------------------------------------


def test_need_sent_by_a_partner_is_recorded_routed_and_acknowledged(cci, desk, org_b):
    response = cci.post(VALID)
    assert response.status_code == 201
    body = response.json()
    need = Need.objects.get()
    assert body == {
        "reference": need.reference,
        "status": "waiting",
        "status_label": "En attente de prise en charge",
        "attached_to": None,
        "subjects": [{"code": "clients-etranger", "label": "Trouver des clients à l'étranger"}],
        "submitted_at": body["submitted_at"],
    }
    assert body["submitted_at"].startswith(need.submitted_at.isoformat()[:19])
    assert need.channel == "api"
    assert need.source_organisation == org_b
    assert need.recorded_by is None
    assert need.consent_at is not None
    assert need.contact_phone == "03 80 11 22 33"
    assert [m.organisation for m in need.matches.all()] == [org_b]
    assert [m.to for m in mail.outbox] == [["jeanne.martin@fromagerie.example"]]
    assert need.reference in mail.outbox[0].subject


def test_need_with_a_siret_and_null_optional_fields(cci, desk):
    number = siret(siren(21000030))
    body = {**VALID, "siret": number, "contact_role": None, "contact_phone": None}
    assert cci.post(body).status_code == 201
    need = Need.objects.get()
    assert need.siret == number
    assert need.contact_role == ""
    assert need.contact_phone == ""


def test_second_need_of_the_company_is_attached(cci, desk):
    first = submit(contact_email=VALID["contact_email"]).need
    body = cci.post(VALID).json()
    assert body["attached_to"] == first.reference
    assert body["status"] == "attached"
    assert body["status_label"] == "Rattachée à une demande en cours"
    assert body["reference"] != first.reference


BAD_INPUTS = [
    ({"siret": "12345678901234"}, "siret", "clé de contrôle fausse"),
    ({"siret": "1234567890123"}, "siret", "Le SIRET compte exactement 14 chiffres."),
    ({"consent": False}, "consent", "Votre accord est nécessaire"),
    ({"consent": None}, "consent", "Doit valoir true ou false."),
    ({"subjects": []}, "subjects", "Choisissez au moins un sujet."),
    ({"subjects": ["clients-etranger", "licornes"]}, "subjects", "Sujet inconnu : licornes."),
    ({"subjects": "clients-etranger"}, "subjects", "Doit être une liste."),
    ({"description": "x" * 3001}, "description", "3000 caractères au plus"),
    ({"company_name": "<script>alert(1)</script>"}, "company_name", "Les balises HTML"),
    ({"contact_email": "jeanne"}, "contact_email", "Saisissez une adresse de courriel valide."),
    ({"contact_phone": "12"}, "contact_phone", "Numéro de téléphone invalide"),
    ({"postal_code": 21000}, "postal_code", "Doit être une chaîne de caractères."),
    ({"company_name": ""}, "company_name", "Ce champ est obligatoire."),
    ({"website": "https://robot.example"}, "website", "Champ inconnu."),
]


@pytest.mark.parametrize(("changes", "field", "message"), BAD_INPUTS)
def test_bad_input_is_a_422_in_french_and_stores_nothing(cci, desk, changes, field, message):
    response = cci.post({**VALID, **changes})
    errors = errors_of(response)
    assert message in errors[f"body.payload.{field}"]
    assert Need.objects.count() == 0
    assert mail.outbox == []


def test_missing_fields_are_each_reported(cci, desk):
    errors = errors_of(cci.post({"consent": True}))
    for field in ("company_name", "postal_code", "subjects", "description", "contact_email"):
        assert errors[f"body.payload.{field}"]
    assert errors["body.payload.contact_first_name"] == "Ce champ est obligatoire."
    assert "body.payload.siret" not in errors
    assert Need.objects.count() == 0


def test_without_a_key_the_api_answers_401(client, desk):
    response = client.post(URL, json.dumps(VALID), content_type="application/json")
    assert response.status_code == 401
    assert response.json()["error"] == "authentication"
    wrong = Caller(client, "not-a-key")
    assert wrong.post(VALID).status_code == 401
    assert wrong.get(URL).status_code == 401
    assert Need.objects.count() == 0


# --- GET /needs --------------------------------------------------------------------------------


@pytest.fixture
def needs(desk):
    """One need for the CCI (find customers, Côte-d'Or), one for Bpifrance (financing)."""
    for_cci = submit(("clients-etranger",)).need
    for_bpi = submit(
        ("financer-prospection",), contact_email="autre@test.example", company_name="Autre"
    ).need
    return {"cci": for_cci, "bpi": for_bpi}


def test_list_gives_only_the_needs_routed_to_the_caller(cci, bpi_api, needs):
    body = cci.get(URL).json()
    assert body["count"] == 1
    assert body["page"] == 1
    assert body["pages"] == 1
    [item] = body["results"]
    need = needs["cci"]
    assert item["reference"] == need.reference
    assert item["status"] == "waiting"
    assert item["company_name"] == "Fromagerie Test"
    assert item["contact"] == {
        "first_name": "Jeanne",
        "last_name": "Martin",
        "role": "Gérante",
        "email": "jeanne.martin@fromagerie.example",
        "phone": "03 80 11 22 33",
    }
    assert item["subjects"] == [
        {"code": "clients-etranger", "label": "Trouver des clients à l'étranger"}
    ]
    assert [m["organisation"] for m in item["matches"]] == ["CCI Test"]
    assert item["channel_label"] == "Formulaire public"
    assert [r["reference"] for r in bpi_api.get(URL).json()["results"]] == [needs["bpi"].reference]


def test_list_reads_are_written_to_the_audit_log(cci, needs):
    cci.get(URL)
    event = AuditEvent.objects.get(action="view", object_id=str(needs["cci"].pk))
    assert event.actor is None
    assert "CRM de la CCI" in event.actor_label
    assert event.organisation_label == "CCI Test"


def test_list_filters_on_status(cci, needs, advisor_b):
    assert cci.get(URL, status="in_progress").json()["count"] == 0
    match = needs["cci"].matches.get()
    match_answer(match=match, user=advisor_b, status="taken")
    body = cci.get(URL, status="in_progress").json()
    assert [r["reference"] for r in body["results"]] == [needs["cci"].reference]
    assert cci.get(URL, status="waiting").json()["count"] == 0


def test_list_refuses_unknown_status_and_page_size(cci, needs):
    errors = errors_of(cci.get(URL, status="perdue"))
    assert errors["query.status"].startswith("État inconnu : perdue.")
    errors = errors_of(cci.get(URL, page_size=500))
    assert errors["query.page_size"] == "La taille de page va de 1 à 100."


def test_list_pages(cci, desk):
    for number in range(3):
        submit(contact_email=f"p{number}@test.example")
    body = cci.get(URL, page_size=2, page=2).json()
    assert (body["count"], body["pages"], len(body["results"])) == (3, 2, 1)
    assert cci.get(URL, page_size=2, page=9).json()["results"] == []


# --- GET /needs/{reference} --------------------------------------------------------------------


def test_one_need_routed_to_the_caller(cci, needs):
    need = needs["cci"]
    response = cci.get(f"{URL}/{need.reference}")
    assert response.status_code == 200
    assert response.json()["reference"] == need.reference
    assert response.json()["description"] == need.description


def test_need_of_another_partner_is_a_french_404(cci, needs):
    reference = needs["bpi"].reference
    response = cci.get(f"{URL}/{reference}")
    assert response.status_code == 404
    assert response.json() == {
        "error": "not_found",
        "message": f"Aucune demande de référence {reference} n'a été transmise à votre "
        "organisation ni envoyée par elle.",
        "details": [],
    }


def test_need_sent_by_the_caller_is_readable_even_when_routed_elsewhere(cci, desk):
    body = {**VALID, "subjects": ["financer-prospection"]}
    reference = cci.post(body).json()["reference"]
    response = cci.get(f"{URL}/{reference}")
    assert response.status_code == 200
    assert [m["organisation"] for m in response.json()["matches"]] == ["Bpifrance Test"]
    assert cci.get(URL).json()["count"] == 0  # not routed to the CCI


def test_attached_need_is_readable_by_the_partners_of_the_open_one(cci, bpi_api, needs):
    attached = submit(("clients-etranger",), when="2026-03-03").need
    assert attached.duplicate_of == needs["cci"]
    response = cci.get(f"{URL}/{attached.reference}")
    assert response.status_code == 200
    assert response.json()["attached_to"] == needs["cci"].reference
    assert response.json()["status"] == "attached"
    assert bpi_api.get(f"{URL}/{attached.reference}").status_code == 404


def test_subjects_list_gives_the_accepted_codes(cci, desk, subjects):
    subjects["autre"].is_active = False
    subjects["autre"].save()
    body = cci.get(f"{URL}/subjects").json()
    assert body[0] == {"code": "clients-etranger", "label": "Trouver des clients à l'étranger"}
    assert len(body) == 9
    assert "autre" not in [s["code"] for s in body]


# --- documentation -----------------------------------------------------------------------------


def test_endpoints_are_documented_in_french():
    schema = ninja_api.get_openapi_schema()
    post = schema["paths"]["/api/v1/needs"]["post"]
    assert post["summary"] == "Transmettre le besoin d'une entreprise au guichet"
    assert "accord de la personne" in post["description"]
    assert schema["paths"]["/api/v1/needs"]["get"]["summary"] == (
        "Demandes orientées vers votre organisation"
    )
    assert "/api/v1/needs/{reference}" in schema["paths"]
