"""The plan in the API: the list of plans, and every indicator of a plan for a year and the
dashboard's filters, with value, target, progress, status, detail and the breakdown asked for;
French 422 answers for bad parameters, 404 for an unknown plan."""

from decimal import Decimal

import pytest

from guichet.partners.services import api_key_create
from guichet.plans.models import YearTarget
from tests.plans.report_factory import build


@pytest.fixture
def setup(reference, plan, measure, org_a):
    return build(plan, measure, org_a)


@pytest.fixture
def api(client, org_b):
    _key, raw = api_key_create(organisation=org_b, name="Système partenaire")

    def get(path, params=None):
        return client.get(f"/api/v1{path}", params or {}, HTTP_AUTHORIZATION=f"Bearer {raw}")

    return get


def _by_code(body):
    return {row["code"]: row for row in body["indicators"]}


def test_the_plans(api, setup):
    response = api("/plans")
    assert response.status_code == 200
    assert response.json() == [
        {
            "slug": "parex-2",
            "name": "PAREX 2",
            "description": "",
            "first_year": 2022,
            "last_year": 2026,
            "owner": "Région Test",
            "axes": 2,
            "measures": 2,
            "indicators": 3,
            "url": "/plans/parex-2/",
        }
    ]


def test_every_indicator_with_value_target_and_status(api, setup):
    response = api("/plans/parex-2/indicators", {"year": "2025"})
    assert response.status_code == 200
    body = response.json()
    assert (body["plan"], body["year"], body["filters"], body["breakdown"]) == (
        "parex-2",
        2025,
        {},
        None,
    )
    assert [row["code"] for row in body["indicators"]] == ["ENT-1", "EMP-1", "INN-1"]
    rows = _by_code(body)
    assert rows["ENT-1"] == {
        "code": "ENT-1",
        "name": "Entreprises accompagnées",
        "measure": 1,
        "measure_title": "Pré-détection d'entreprises",
        "axis": 1,
        "unit": "entreprises",
        "direction": "up",
        "kind": "automatic",
        "value": 3,
        "target": 4,
        "progress": 0.75,
        "progress_percent": 75,
        "status": "watch",
        "status_label": "À surveiller",
        "detail": "dont 2 PME",
        "source": "Calcul automatique (Registre des entreprises)",
        "breakdown": None,
        "breakdown_note": "",
    }
    assert (rows["EMP-1"]["kind"], rows["EMP-1"]["value"], rows["EMP-1"]["target"]) == (
        "manual",
        76,
        80,
    )
    assert rows["EMP-1"]["source"].startswith("Tableau de suivi des emplois de la Région")
    assert (rows["INN-1"]["value"], rows["INN-1"]["status"], rows["INN-1"]["status_label"]) == (
        None,
        "no_value",
        "Pas de valeur",
    )


def test_a_target_change_changes_the_status(api, setup):
    YearTarget.objects.filter(indicator=setup.created, year=2025).update(value=Decimal(3))
    row = _by_code(api("/plans/parex-2/indicators", {"year": "2025"}).json())["ENT-1"]
    assert (row["target"], row["progress_percent"], row["status"], row["status_label"]) == (
        3,
        100,
        "reached",
        "Cible atteinte",
    )
    YearTarget.objects.filter(indicator=setup.created, year=2025).update(value=Decimal(10))
    row = _by_code(api("/plans/parex-2/indicators", {"year": "2025"}).json())["ENT-1"]
    assert (row["progress_percent"], row["status"]) == (30, "late")


def test_breakdown_by_departement(api, setup):
    body = api("/plans/parex-2/indicators", {"year": "2025", "breakdown": "departement"}).json()
    rows = _by_code(body)
    assert body["breakdown"] == "departement"
    assert rows["ENT-1"]["breakdown"] == [
        {"key": "21", "label": "Côte-d'Or (21)", "value": 2},
        {"key": "39", "label": "Jura (39)", "value": 1},
    ]
    assert rows["ENT-1"]["breakdown_note"] == ""
    assert rows["EMP-1"]["breakdown"] == []
    assert rows["EMP-1"]["breakdown_note"] == (
        "Valeur saisie pour l'ensemble du plan : pas de ventilation."
    )


def test_breakdown_the_indicator_does_not_allow(api, setup):
    row = _by_code(
        api("/plans/parex-2/indicators", {"year": "2025", "breakdown": "partner"}).json()
    )["ENT-1"]
    assert row["breakdown"] == []
    assert row["breakdown_note"] == "Cet indicateur ne se ventile pas par partenaire."


def test_filters_and_breakdown_by_size(api, setup):
    body = api(
        "/plans/parex-2/indicators",
        {"year": "2025", "departement": "21", "breakdown": "size"},
    ).json()
    assert body["filters"] == {"departement": "21"}
    row = _by_code(body)["ENT-1"]
    assert row["value"] == 2
    assert [(r["key"], r["value"]) for r in row["breakdown"]] == [
        ("TPE", 0),
        ("PME", 2),
        ("ETI", 0),
        ("GE", 0),
    ]
    # A manual value is the whole plan's: no value under a company filter.
    manual = _by_code(body)["EMP-1"]
    assert (manual["value"], manual["status"]) == (None, "no_value")


def test_bad_parameters_are_refused_in_french(api, setup):
    response = api(
        "/plans/parex-2/indicators",
        {"year": "1999", "breakdown": "pays", "size": "XXL", "departement": "99"},
    )
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "validation"
    details = {d["field"]: d["message"] for d in body["details"]}
    assert set(details) == {"query.year", "query.breakdown", "query.size", "query.departement"}
    assert details["query.year"] == ("L'année doit être l'une des années du plan, de 2022 à 2026.")
    assert details["query.breakdown"] == (
        "Ventilation inconnue. Valeurs possibles : partner, filiere, departement, size."
    )
    assert details["query.size"].startswith("Taille d'entreprise inconnue")
    assert details["query.departement"].startswith("Département inconnu")


def test_unknown_plan_and_missing_key(api, client, setup):
    response = api("/plans/parex-9/indicators")
    assert response.status_code == 404
    assert response.json()["message"] == "Aucun plan d'identifiant « parex-9 »."
    assert client.get("/api/v1/plans").status_code == 401
