"""GET /api/v1/companies/{siren}/state-aid: a company's position at a date against each
ceiling, its single undertaking and its ledger lines; French errors for a wrong SIREN, an
unknown company, a wrong date."""

from datetime import date

import pytest
from django.utils import timezone

from guichet.partners.services import api_key_create
from guichet.stateaid import services
from guichet.stateaid.models import GrantSource, Regulation
from tests.stateaid.conftest import SIREN, SIREN_2, add_line

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, org_b):
    _key, raw = api_key_create(organisation=org_b, name="Système de la CCI")

    def get(path, **params):
        return client.get(f"/api/v1{path}", params, HTTP_AUTHORIZATION=f"Bearer {raw}")

    return get


@pytest.fixture
def grouped(company, sister):
    group = services.undertaking_group_create(name="Groupe Bourgogne", reason="Même holding")
    services.undertaking_link(group=group, company=company, reason="Filiale")
    services.undertaking_link(group=group, company=sister, reason="Filiale")
    add_line(company, date(2023, 3, 15), "200000", description="Recrutement export")
    add_line(sister, date(2024, 6, 1), "30000", regulation=Regulation.DE_MINIMIS_AGRI)
    add_line(
        sister,
        date(2025, 1, 10),
        "8000",
        regulation=Regulation.GBER_19,
        source=GrantSource.COLLECTIVE,
    )
    add_line(
        company,
        date(2025, 2, 1),
        "5000",
        cancelled_at=timezone.now(),
        cancelled_reason="Saisie en double",
    )
    return group


def _regulation(body, code):
    return next(r for r in body["regulations"] if r["regulation"] == code)


def test_the_position_of_a_single_undertaking_at_a_date(api, grouped):
    response = api(f"/companies/{SIREN_2}/state-aid", at="2026-03-14")
    assert response.status_code == 200
    body = response.json()
    assert body["siren"] == SIREN_2
    assert body["at"] == "2026-03-14"
    assert body["window_start"] == "2023-03-15"
    assert body["undertaking"] == {"name": "Groupe Bourgogne", "members": [SIREN, SIREN_2]}
    general = _regulation(body, "de_minimis")
    assert general["label"] == "De minimis général — règlement (UE) 2023/2831"
    assert general["total"] == "200000.00"
    assert general["ceiling"] == "300000.00"
    assert general["headroom"] == "70000.00"  # 300,000 − 200,000 − 30,000 agricultural
    agri = _regulation(body, "de_minimis_agri")
    assert (agri["total"], agri["ceiling"], agri["headroom"]) == (
        "30000.00",
        "50000.00",
        "20000.00",
    )
    gber = _regulation(body, "gber_19")
    assert gber["total"] == "8000.00"
    assert gber["ceiling"] is None
    assert gber["headroom"] is None
    assert len(body["grants"]) == 4
    cancelled = next(g for g in body["grants"] if g["cancelled_reason"])
    assert cancelled["counts"] is False
    assert cancelled["cancelled_reason"] == "Saisie en double"
    recruitment = next(g for g in body["grants"] if g["description"] == "Recrutement export")
    assert recruitment["siren"] == SIREN
    assert recruitment["counts"] is True
    assert recruitment["amount"] == "200000.00"
    assert recruitment["granted_on"] == "2023-03-15"
    assert recruitment["source_label"] == "Aide individuelle instruite sur la plateforme"


def test_the_window_is_exact_to_the_day(api, grouped):
    body = api(f"/companies/{SIREN}/state-aid", at="2026-03-15").json()
    assert body["window_start"] == "2023-03-16"
    assert _regulation(body, "de_minimis")["total"] == "0.00"
    recruitment = next(g for g in body["grants"] if g["description"] == "Recrutement export")
    assert recruitment["counts"] is False


def test_without_a_date_the_position_is_today_and_a_lone_company_has_no_undertaking(api, company):
    body = api(f"/companies/{SIREN}/state-aid").json()
    assert body["at"] == timezone.localdate().isoformat()
    assert body["undertaking"] is None
    assert body["grants"] == []
    assert _regulation(body, "de_minimis")["headroom"] == "300000.00"


@pytest.mark.parametrize(
    ("path", "params", "status", "expected"),
    [
        ("/companies/12345/state-aid", {}, 422, "Le SIREN compte exactement 9 chiffres."),
        ("/companies/999999999/state-aid", {}, 404, "Aucune entreprise de SIREN 999999999"),
        (f"/companies/{SIREN}/state-aid", {"at": "2026-02-30"}, 422, "Date invalide"),
        (f"/companies/{SIREN}/state-aid", {"at": "0001-01-01"}, 422, "entre 1900 et 2999"),
    ],
)
def test_errors_are_explained_in_french(api, company, path, params, status, expected):
    response = api(path, **params)
    assert response.status_code == status
    body = response.json()
    text = body["message"] + " ".join(d["message"] for d in body["details"])
    assert expected in text


def test_a_call_without_a_key_is_refused(client, company):
    response = client.get(f"/api/v1/companies/{SIREN}/state-aid")
    assert response.status_code == 401
