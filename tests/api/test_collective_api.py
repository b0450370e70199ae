"""Collective actions in the API: the programme of a year with the places left, one action
with its rules, registering a company for the key's organisation (same checks and French
messages as the pages), reading a registration (its follower and the organiser only,
audited)."""

import json

import pytest
from django.utils import timezone

from guichet.collective.models import Registration
from guichet.collective.services import registrations as services
from guichet.core.models import AuditEvent
from guichet.partners.services import api_key_create
from tests.collective.conftest import make_action, register
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

    def post(self, path, body):
        return self.client.post(
            f"/api/v1{path}", data=json.dumps(body), content_type="application/json", **self.headers
        )


@pytest.fixture
def next_year():
    return timezone.localdate().year + 1


@pytest.fixture
def pavilion(reference, org_a, next_year):
    return make_action(org_a, slug="sial-prochain", year=next_year)


@pytest.fixture
def firms(reference):
    return [
        make_company("552100554", "Fromagerie de Bourgogne"),
        make_company("732829320", "Moutarderie de Dijon", nic="00018"),
    ]


@pytest.fixture
def api_a(client, org_a):
    return Api(client, org_a)


@pytest.fixture
def api_b(client, org_b):
    return Api(client, org_b)


BODY = {
    "siren": "732829320",
    "contact_name": "Jean Dupont",
    "contact_email": "jean@moutarderie.example.fr",
    "motivation": "Trouver un distributeur au Benelux.",
}


def test_the_programme_of_a_year_with_the_places_left(api_b, pavilion, firms, org_a, next_year):
    make_action(org_a, slug="brouillon", year=next_year, status="draft")
    services.registration_select(registration=register(pavilion, firms[0], org_a))
    response = api_b.get(f"/collective/actions?year={next_year}")
    assert response.status_code == 200
    (action,) = response.json()  # org B does not see org A's draft
    assert {k: action[k] for k in ("slug", "capacity", "places_left", "waiting")} == {
        "slug": "sial-prochain",
        "capacity": 2,
        "places_left": 1,
        "waiting": 0,
    }
    assert (action["full_cost"], action["company_fee"], action["subsidy_cap"]) == (
        "9000.00",
        "5000.00",
        "4000.00",
    )
    assert action["registrations_open"] is True
    assert action["country"] == "FR"


def test_the_organiser_sees_its_drafts_and_an_unknown_year_is_empty(
    api_a, pavilion, org_a, next_year
):
    make_action(org_a, slug="brouillon", year=next_year, status="draft")
    slugs = [a["slug"] for a in api_a.get(f"/collective/actions?year={next_year}").json()]
    assert sorted(slugs) == ["brouillon", "sial-prochain"]
    assert api_a.get("/collective/actions?year=2001").json() == []
    assert api_a.get("/collective/actions?year=1500").status_code == 422


def test_one_action_with_its_rules(api_b, pavilion):
    body = api_b.get("/collective/actions/sial-prochain").json()
    assert body["eligible_costs"] == [
        {"label": "Location et aménagement du stand", "amount": "9000.00"}
    ]
    assert body["checklist"][0] == "Objectifs de la participation fixés"
    assert body["subsidised_participations_limit"] == 3
    missing = api_b.get("/collective/actions/inconnue")
    assert missing.status_code == 404
    assert missing.json()["message"] == "Aucune action collective « inconnue »."


def test_a_key_registers_a_company_its_organisation_follows(api_b, pavilion, firms, org_b):
    response = api_b.post("/collective/actions/sial-prochain/registrations", BODY)
    assert response.status_code == 201
    body = response.json()
    registration = Registration.objects.get()
    assert body["id"] == registration.pk
    assert (body["siren"], body["status"], body["organisation"]) == (
        "732829320",
        "applied",
        "CCI Test",
    )
    assert body["contact"]["email"] == "jean@moutarderie.example.fr"
    assert registration.organisation == org_b
    assert registration.events.get().title == "Candidature reçue (par un conseiller)"


def test_registration_errors_are_french_422_and_404(api_b, pavilion, firms):
    api_b.post("/collective/actions/sial-prochain/registrations", BODY)
    duplicate = api_b.post("/collective/actions/sial-prochain/registrations", BODY)
    assert duplicate.status_code == 422
    assert duplicate.json()["details"] == [
        {
            "field": "body.payload.company",
            "message": "Moutarderie de Dijon est déjà inscrite à cette action (état : "
            "« Candidate »). Une entreprise ne s'inscrit qu'une fois ; le lien reçu par "
            "courriel permet de suivre l'inscription.",
        }
    ]
    bad = api_b.post(
        "/collective/actions/sial-prochain/registrations",
        {**BODY, "siren": "552100554", "contact_email": "pas-un-courriel"},
    )
    assert bad.status_code == 422
    assert bad.json()["details"][0]["field"] == "body.payload.contact_email"
    unknown = api_b.post(
        "/collective/actions/sial-prochain/registrations", {**BODY, "siren": "123456782"}
    )
    assert unknown.status_code == 404
    assert (
        api_b.post(
            "/collective/actions/sial-prochain/registrations", {**BODY, "siren": "12"}
        ).status_code
        == 422
    )
    assert Registration.objects.count() == 1


def test_a_registration_is_read_by_its_follower_and_the_organiser_only(
    client, api_b, pavilion, firms, org_a, org_b
):
    registration = register(pavilion, firms[0], org_b)
    body = api_b.get(f"/collective/registrations/{registration.pk}").json()
    assert body["status"] == "applied"
    assert [s["label"] for s in body["checklist"]][:1] == ["Objectifs de la participation fixés"]
    assert AuditEvent.objects.filter(
        action="view", object_type="collective.Registration", object_id=str(registration.pk)
    ).exists()
    assert Api(client, org_a).get(f"/collective/registrations/{registration.pk}").status_code == (
        200
    )  # the organiser
    other = register(pavilion, firms[1], org_a)
    assert api_b.get(f"/collective/registrations/{other.pk}").status_code == 403
    assert api_b.get("/collective/registrations/999999").status_code == 404
    assert Api(client).get(f"/collective/registrations/{other.pk}").status_code == 401
