"""V.I.E. missions and awareness sessions in the API: every key reads them, records new ones
for its organisation, with the pages' rules and French messages (422)."""

import json
from datetime import date

import pytest

from guichet.journeys.models import TimelineEvent
from guichet.partners.services import api_key_create
from guichet.reference.models import Country
from guichet.vie.models import AwarenessSession, VieMission
from tests.vie.conftest import make_aid, make_mission, make_session

MISSION = {
    "siren": "552100554",
    "job_title": "Développeuse commerciale",
    "country": "it",
    "city": "Padoue",
    "starts_on": "2025-03-01",
    "ends_on": "2026-02-28",
    "monthly_cost": "2980.40",
}
SESSION = {
    "school": "Lycée Jules Haag, Besançon",
    "level": "lycee",
    "held_on": "2025-01-20",
    "departement": "25",
    "students": 32,
    "vie_candidates": 2,
}


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
def api_b(client, org_b):
    return Api(client, org_b)


def test_a_key_records_a_mission_for_its_organisation(api_b, company, org_b):
    response = api_b.post("/vie/missions", MISSION)
    assert response.status_code == 201
    body = response.json()
    mission = VieMission.objects.get()
    assert body["id"] == mission.pk
    assert {k: body[k] for k in ("siren", "country", "country_name", "city", "organisation")} == {
        "siren": "552100554",
        "country": "IT",
        "country_name": "Italie",
        "city": "Padoue",
        "organisation": "CCI Test",
    }
    assert (body["duration_months"], body["monthly_cost"], body["status"]) == (
        12,
        "2980.40",
        "unknown",
    )
    assert (mission.organisation, mission.created_by) == (org_b, None)
    step = TimelineEvent.objects.get(company=company)
    assert step.title == "Mission V.I.E. : Développeuse commerciale à Padoue (Italie)"
    assert step.organisation == org_b


def test_a_mission_with_its_aid(api_b, company, org_a):
    application = make_aid(org_a, company)
    body = api_b.post(
        "/vie/missions", {**MISSION, "aid_application": application.reference.lower()}
    ).json()
    assert body["aid_application"] == application.reference


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"ends_on": "2025-08-30"},
            "ends_on",
            "Une mission V.I.E. dure au moins 6 mois : commencée le 01/03/2025, elle finit au "
            "plus tôt le 31/08/2025 (ici 5 mois et 30 jours).",
        ),
        (
            {"ends_on": "2027-03-01"},
            "ends_on",
            "Une mission V.I.E. dure au plus 24 mois : commencée le 01/03/2025, elle finit au "
            "plus tard le 28/02/2027 (ici 24 mois et 1 jour).",
        ),
        ({"monthly_cost": "-5"}, "monthly_cost", "Le coût mensuel ne peut pas être négatif."),
        ({"siren": "12345"}, "siren", "Le SIREN compte exactement 9 chiffres."),
        (
            {"siren": "123456789"},
            "siren",
            "Aucune entreprise de SIREN 123456789 dans le registre.",
        ),
        (
            {"country": "ZZ"},
            "country",
            "Pays inconnu : indiquez son code ISO à deux lettres (DE, US…).",
        ),
        (
            {"aid_application": "AI26-XXXXXX"},
            "aid_application",
            "Aucun dossier d'aide de référence AI26-XXXXXX.",
        ),
        ({"city": ""}, "city", "Indiquez le champ « Ville »."),
    ],
)
def test_bad_missions_get_a_french_422(api_b, company, changes, field, message):
    response = api_b.post("/vie/missions", {**MISSION, **changes})
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "validation"
    assert {"field": f"body.payload.{field}", "message": message} in body["details"]
    assert not VieMission.objects.exists()


def test_the_missions_list_and_its_filters(api_b, company, other_company, org_a):
    make_mission(company, org_a)
    make_mission(
        other_company,
        org_a,
        country=Country.objects.get(iso2="US"),
        city="Austin",
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
    )
    body = api_b.get("/vie/missions").json()
    assert body["count"] == 2
    assert [m["city"] for m in body["results"]] == ["Austin", "Munich"]
    assert [m["city"] for m in api_b.get("/vie/missions?year=2024").json()["results"]] == ["Munich"]
    assert [m["city"] for m in api_b.get("/vie/missions?country=us").json()["results"]] == [
        "Austin"
    ]
    page = api_b.get("/vie/missions?page_size=1&page=2").json()
    assert (page["pages"], [m["city"] for m in page["results"]]) == (2, ["Munich"])
    response = api_b.get("/vie/missions?year=99999&page_size=0")
    assert response.status_code == 422
    fields = {d["field"] for d in response.json()["details"]}
    assert fields == {"query.year", "query.page_size"}


def test_a_key_records_a_session(api_b, org_b, reference):
    response = api_b.post("/vie/awareness-sessions", SESSION)
    assert response.status_code == 201
    body = response.json()
    assert {k: body[k] for k in ("school", "level_label", "departement", "students")} == {
        "school": "Lycée Jules Haag, Besançon",
        "level_label": "Lycée",
        "departement": "25",
        "students": 32,
    }
    assert AwarenessSession.objects.get().organisation == org_b


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"students": 0}, "students", "Une session réunit au moins un étudiant."),
        (
            {"students": 10, "vie_candidates": 11},
            "vie_candidates",
            "Les candidats au V.I.E. (11) ne peuvent pas être plus nombreux que les étudiants "
            "présents (10).",
        ),
        ({"level": "crèche"}, "level", "Choisissez le niveau des étudiants."),
        ({"departement": "999"}, "departement", "Département inconnu (code INSEE)."),
        ({"held_on": "2199-01-01"}, "held_on", None),
    ],
)
def test_bad_sessions_get_a_french_422(api_b, reference, changes, field, message):
    response = api_b.post("/vie/awareness-sessions", {**SESSION, **changes})
    assert response.status_code == 422
    details = {d["field"]: d["message"] for d in response.json()["details"]}
    assert f"body.payload.{field}" in details
    if message:
        assert details[f"body.payload.{field}"] == message
    assert not AwarenessSession.objects.exists()


def test_the_sessions_list(api_b, org_a, reference):
    make_session(org_a)
    make_session(org_a, school="IUT Dijon", level="bts", held_on=date(2023, 10, 2))
    body = api_b.get("/vie/awareness-sessions").json()
    assert [s["school"] for s in body["results"]] == ["Lycée Carnot, Dijon", "IUT Dijon"]
    body = api_b.get("/vie/awareness-sessions?year=2023").json()
    assert [s["school"] for s in body["results"]] == ["IUT Dijon"]
    assert api_b.get("/vie/awareness-sessions?level=x").status_code == 422


def test_no_key_no_access(client, reference):
    assert Api(client).get("/vie/missions").status_code == 401
    assert Api(client).post("/vie/awareness-sessions", SESSION).status_code == 401
