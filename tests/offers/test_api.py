"""The catalogue in the API: reads for every key, writes for the provider's keys, a company's
offers with their eligibility; French 404 and 422."""

import json
from datetime import date

import pytest

from guichet.companies.models import Filiere
from guichet.core.models import AuditEvent
from guichet.offers.models import Offer
from guichet.partners.services import api_key_create
from tests.companies.conftest import make_company

API = "/api/v1/"


def caller(client, organisation):
    _key, raw = api_key_create(organisation=organisation, name="Système du partenaire")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    class Caller:
        def get(self, url):
            return client.get(API + url, **headers)

        def post(self, url, body):
            return client.post(
                API + url, json.dumps(body), content_type="application/json", **headers
            )

        def patch(self, url, body):
            return client.patch(
                API + url, json.dumps(body), content_type="application/json", **headers
            )

    return Caller()


@pytest.fixture
def api_a(client, org_a):
    return caller(client, org_a)


@pytest.fixture
def api_b(client, org_b):
    return caller(client, org_b)


def fields_of(response) -> dict[str, str]:
    body = response.json()
    assert body["error"] == "validation"
    return {d["field"].split(".")[-1]: d["message"] for d in body["details"]}


@pytest.fixture
def offers(offer_factory, org_b):
    offer_factory(
        "Assurance prospection",
        slug="ap",
        kind="insurance",
        sizes=["PME", "ETI"],
        dimensions=["finance"],
    )
    offer_factory("Pavillon", slug="pavillon", provider=org_b, kind="collective")
    offer_factory("Retirée", slug="retiree", is_active=False)


def test_list_and_filters(api_b, offers):
    response = api_b.get("offers")
    assert response.status_code == 200
    body = response.json()
    assert [o["slug"] for o in body] == ["ap", "pavillon"]
    ap = body[0]
    assert ap["provider"] == {"slug": "region-test", "name": "Région Test"}
    assert ap["kind_label"] == "Assurance et garantie"
    assert ap["sizes"] == ["PME", "ETI"]
    assert ap["audience"] == ["Taille : PME et ETI"]
    assert ap["url"] == "/offres/ap/"
    assert [o["slug"] for o in api_b.get("offers?size=TPE").json()] == ["pavillon"]
    assert [o["slug"] for o in api_b.get("offers?provider=cci-test").json()] == ["pavillon"]
    assert [o["slug"] for o in api_b.get("offers?withdrawn=true").json()] == ["retiree"]
    assert [o["slug"] for o in api_b.get("offers?q=assurance").json()] == ["ap"]


def test_bad_filters_are_a_french_422(api_b, offers):
    response = api_b.get("offers?kind=gift&stage=nowhere")
    assert response.status_code == 422
    assert fields_of(response) == {
        "kind": "Type d'offre inconnu : « gift ».",
        "stage": "Étape inconnue : « nowhere ».",
    }


def test_detail_and_404(api_b, offers):
    assert api_b.get("offers/pavillon").json()["title"] == "Pavillon"
    response = api_b.get("offers/inconnue")
    assert response.status_code == 404
    assert (
        response.json()["message"] == "Aucune offre d'identifiant « inconnue » dans le catalogue."
    )


def test_unauthenticated_is_refused(client, offers):
    assert client.get(API + "offers").status_code == 401


def test_create_for_the_key_organisation(api_b, org_b, reference):
    Filiere.objects.create(name="Vins", slug="vins").naf_codes.add("11")
    response = api_b.post(
        "offers",
        {
            "title": "Rendez-vous acheteurs",
            "kind": "collective",
            "summary": "Rencontrer des acheteurs.",
            "sizes": ["PME"],
            "filieres": ["vins"],
            "regions": ["27"],
            "valid_from": "2025-01-01",
            "valid_until": "2025-12-31",
            "dimensions": ["marketing"],
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["slug"] == "rendez-vous-acheteurs"
    assert body["provider"]["slug"] == "cci-test"
    assert body["filieres"] == ["vins"]
    assert body["regions"] == ["27"]
    offer = Offer.objects.get()
    assert offer.provider == org_b
    event = AuditEvent.objects.filter(object_type="offers.Offer", action="create").get()
    assert event.actor_label.startswith("Clé d'API « Système du partenaire »")
    assert event.organisation_label == "CCI Test"


def test_create_refusals_are_french(api_b, reference):
    response = api_b.post(
        "offers",
        {
            "title": "",
            "kind": "",
            "summary": "x",
            "sizes": ["XXL"],
            "regions": ["99"],
        },
    )
    assert response.status_code == 422
    assert fields_of(response) == {"regions": "Région inconnue (code INSEE) : 99."}
    response = api_b.post(
        "offers",
        {
            "title": "",
            "summary": "x",
            "sizes": ["XXL"],
            "valid_from": "2025-06-01",
            "valid_until": "2025-01-01",
            "link": "www.example.fr",
        },
    )
    errors = fields_of(response)
    assert errors["title"] == "Indiquez l'intitulé de l'offre."
    assert errors["kind"] == "Choisissez le type d'offre."
    assert errors["sizes"].startswith("Taille d'entreprise inconnu(e) : XXL.")
    assert errors["valid_until"] == "La fin de validité doit suivre son début (ou le même jour)."
    assert errors["link"] == "Le lien doit commencer par https:// (ou http://)."
    response = api_b.post(
        "offers", {"title": "T", "kind": "aid", "summary": "S", "valid_from": "le 3 mai"}
    )
    assert fields_of(response) == {"valid_from": "Date invalide (format AAAA-MM-JJ)."}
    assert not Offer.objects.exists()


def test_patch_only_own_offers(api_a, api_b, offers):
    response = api_a.patch("offers/pavillon", {"cost_to_company": "Gratuit"})
    assert response.status_code == 403
    assert response.json()["message"] == "Cette clé ne donne pas accès à cette ressource."
    response = api_b.patch("offers/pavillon", {"cost_to_company": "Gratuit", "max_employees": 249})
    assert response.status_code == 200
    assert response.json()["cost_to_company"] == "Gratuit"
    assert response.json()["max_employees"] == 249
    response = api_b.patch("offers/pavillon", {"min_employees": 500})
    assert fields_of(response) == {
        "max_employees": "L'effectif maximum doit être au moins l'effectif minimum."
    }
    response = api_b.patch("offers/pavillon", {"is_active": False})
    assert response.json()["is_active"] is False
    assert Offer.objects.get(slug="pavillon").is_active is False
    assert api_b.patch("offers/inconnue", {"title": "x"}).status_code == 404


def test_company_offers_with_eligibility(api_b, offers, reference):
    company = make_company("552100554", "Biscuiterie", size_category="TPE")
    response = api_b.get(f"companies/{company.siren}/offers")
    assert response.status_code == 200
    body = response.json()
    assert [(o["offer"]["slug"], o["status"]) for o in body] == [
        ("pavillon", "eligible"),
        ("ap", "not_eligible"),
    ]
    assert body[1]["status_label"] == "Non éligible"
    assert body[1]["reasons"] == ["Réservée aux PME et ETI : l'entreprise est une TPE."]
    assert api_b.get("companies/123/offers").status_code == 422
    missing = api_b.get("companies/999999999/offers")
    assert missing.status_code == 404
    assert missing.json()["message"] == "Aucune entreprise de SIREN 999999999 dans le registre."


def test_openapi_lists_the_offer_operations(client):
    paths = client.get(API + "openapi.json").json()["paths"]
    assert {"/api/v1/offers", "/api/v1/offers/{slug}", "/api/v1/companies/{siren}/offers"} <= set(
        paths
    )
    assert date.today()  # the schema builds without a database row


def test_control_characters_in_codes_are_a_422_not_a_server_error(client, org_b):
    """Found by the schemathesis run on PostgreSQL: a NUL byte in a région code."""
    import json

    from guichet.partners.services import api_key_create

    _key, raw = api_key_create(organisation=org_b, name="Site")
    response = client.post(
        "/api/v1/offers",
        json.dumps({"regions": ["2\u00007"], "filieres": ["a\u0000b"]}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 422
