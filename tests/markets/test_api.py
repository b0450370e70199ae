"""Markets API: RCA, export potential and a filière's targets — bodies, French validation
errors, the no-data error and the API key requirement."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from guichet.companies.models import Filiere
from guichet.markets.models import TradeDataset
from guichet.partners.services import api_key_create

# A small world year (USD): France sells wine and cars, Germany cars and medicines, the
# United States and China a bit of everything.
WORLD = [
    ("FRA", "DEU", "2204", 900),
    ("FRA", "USA", "2204", 600),
    ("FRA", "DEU", "8703", 300),
    ("FRA", "CHN", "3004", 100),
    ("DEU", "FRA", "8703", 2000),
    ("DEU", "USA", "3004", 800),
    ("DEU", "CHN", "2204", 50),
    ("USA", "FRA", "3004", 700),
    ("USA", "CHN", "8703", 900),
    ("USA", "DEU", "2204", 100),
    ("CHN", "FRA", "8703", 400),
    ("CHN", "USA", "3004", 600),
    ("CHN", "DEU", "0101", 300),
    ("USA", "FRA", "0101", 200),
]


@pytest.fixture
def bearer(org_b):
    _key, raw = api_key_create(organisation=org_b, name="Site partenaire")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def world(reference, make_trade):
    return make_trade(WORLD, year=2022, level="hs4", demo=True)


def _rca(exporter, product):
    exports = {}
    for e, _i, p, v in WORLD:
        exports[(e, p)] = exports.get((e, p), 0) + v
    total = sum(v for *_x, v in WORLD)
    of_exporter = sum(v for (e, _p), v in exports.items() if e == exporter)
    of_product = sum(v for (_e, p), v in exports.items() if p == product)
    return (exports.get((exporter, product), 0) / of_exporter) / (of_product / total)


def test_rca_body(client, bearer, world):
    response = client.get("/api/v1/markets/rca", {"exporter": "fra", "level": "hs4"}, **bearer)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["exporter"] == "FRA"
    assert body["exporter_name"] == "France"
    assert body["year"] == 2022
    assert body["level"] == "hs4"
    assert body["basis"]["is_demo"] is True
    assert body["basis"]["year"] == 2022
    rows = {r["product"]: r for r in body["rows"]}
    assert set(rows) == {"0101", "2204", "3004", "8703"}
    # France: 1,500 of its 1,900 in wine, a product worth 1,650 of the world's 7,950.
    assert rows["2204"]["rca"] == pytest.approx(_rca("FRA", "2204"))
    assert rows["2204"]["rca"] == pytest.approx((1500 / 1900) / (1650 / 7950))
    assert rows["2204"]["mcp"] == 1
    assert rows["0101"]["mcp"] == 0
    assert rows["2204"]["value"] == 1500
    assert body["rows"][0]["product"] == "2204"  # most advantaged first
    assert rows["2204"]["label"]
    assert set(rows["2204"]) == {
        "product",
        "label",
        "value",
        "rca",
        "mcp",
        "density",
        "cog",
        "pci",
    }


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"exporter": "FR"}, "query.exporter", "trois lettres ISO alpha-3"),
        ({"exporter": "XXX"}, "query.exporter", "Pays inconnu : XXX."),
        ({"exporter": ""}, "query.exporter", "Indiquez un code pays"),
        ({"year": "2019"}, "query.year", "Année non chargée : 2019. Années disponibles : 2022."),
        ({"year": "99999999999999"}, "query.year", "Année non chargée"),
        ({"level": "hs8"}, "query.level", "hs2, hs4 ou hs6"),
        ({"level": "hs6"}, "query.level", "Les données de 2022 sont au niveau hs4"),
        ({"year": "deux mille"}, "query.year", "Doit être un nombre entier."),
    ],
)
def test_rca_validation_errors_are_french_422(client, bearer, world, params, field, message):
    response = client.get("/api/v1/markets/rca", params, **bearer)
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "validation"
    assert any(d["field"] == field and message in d["message"] for d in body["details"]), body


def test_no_trade_data_is_a_409_saying_what_to_do(client, bearer, reference, org_a):
    for url in ("/api/v1/markets/rca", "/api/v1/markets/potential?product=2204"):
        response = client.get(url, **bearer)
        assert response.status_code == 409
        body = response.json()
        assert body["error"] == "no_data"
        assert "load_trade" in body["message"]
        assert body["details"] == []
    filiere = Filiere.objects.create(name="Vins", slug="vins")
    response = client.get(f"/api/v1/markets/filieres/{filiere.pk}/targets", **bearer)
    assert response.status_code == 409
    assert response.json()["error"] == "no_data"


def test_api_key_required(client, world):
    for url in (
        "/api/v1/markets/rca",
        "/api/v1/markets/potential?market=DEU",
        "/api/v1/markets/filieres/1/targets",
    ):
        response = client.get(url)
        assert response.status_code == 401
        assert response.json()["error"] == "authentication"
    response = client.get("/api/v1/markets/rca", HTTP_AUTHORIZATION="Bearer gx_faux")
    assert response.status_code == 401


def test_potential_body_and_pages(client, bearer, world):
    response = client.get(
        "/api/v1/markets/potential", {"exporter": "FRA", "product": "22"}, **bearer
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["exporter"] == "FRA"
    assert body["basis"]["is_demo"] is True
    assert body["assumptions_source"]
    assert body["page"] == 1
    assert body["has_next"] is False
    assert body["results"], body
    assert {r["product"] for r in body["results"]} == {"2204"}
    first = body["results"][0]
    assert first["exporter"] == "FRA"
    assert first["market_name"]
    assert first["label"]
    unrealised = [r["unrealised"] for r in body["results"]]
    assert unrealised == sorted(unrealised, reverse=True)
    for row in body["results"]:
        if row["potential"]:
            assert row["realised_share"] == pytest.approx(
                min(row["actual"], row["potential"]) / row["potential"]
            )

    everything = client.get("/api/v1/markets/potential", {"page_size": 500}, **bearer).json()
    page_1 = client.get("/api/v1/markets/potential", {"page_size": 2}, **bearer).json()
    page_2 = client.get("/api/v1/markets/potential", {"page_size": 2, "page": 2}, **bearer).json()
    assert len(everything["results"]) > 4
    assert page_1["has_next"] is True
    assert page_1["results"] + page_2["results"] == everything["results"][:4]

    by_market = client.get(
        "/api/v1/markets/potential", {"market": "deu", "page_size": 500}, **bearer
    ).json()
    assert {r["market"] for r in by_market["results"]} == {"DEU"}
    assert by_market["results"] == [r for r in everything["results"] if r["market"] == "DEU"]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"product": "22a"}, "query.product", "Code SH invalide"),
        ({"product": "220"}, "query.product", "Code SH invalide"),
        ({"market": "ZZZ"}, "query.market", "Pays inconnu : ZZZ."),
        ({"exporter": "1234"}, "query.exporter", "Code pays invalide"),
        ({"page_size": "0"}, "query.page_size", "de 1 à 500"),
        ({"page": "0"}, "query.page", "Le numéro de page va de 1"),
        ({"year": "2021"}, "query.year", "Année non chargée"),
    ],
)
def test_potential_validation_errors(client, bearer, world, params, field, message):
    response = client.get("/api/v1/markets/potential", params, **bearer)
    assert response.status_code == 422
    details = response.json()["details"]
    assert any(d["field"] == field and message in d["message"] for d in details), details


def test_targets_of_an_unknown_filiere_is_404(client, bearer, world):
    for filiere_id in (999, 0, 2**40):
        response = client.get(f"/api/v1/markets/filieres/{filiere_id}/targets", **bearer)
        assert response.status_code == 404
        assert response.json()["error"] == "not_found"
        assert "Aucune filière" in response.json()["message"]
    response = client.get("/api/v1/markets/filieres/vins/targets", **bearer)
    assert response.status_code == 422


def test_targets_validation(client, bearer, world):
    filiere = Filiere.objects.create(name="Vins", slug="vins")
    url = f"/api/v1/markets/filieres/{filiere.pk}/targets"
    response = client.get(url, {"limit": "0", "year": "1990"}, **bearer)
    assert response.status_code == 422
    fields = {d["field"] for d in response.json()["details"]}
    assert fields == {"query.limit", "query.year"}


def test_targets_of_a_filiere(client, bearer, world):
    from guichet.reference.models import NafCode

    filiere = Filiere.objects.create(name="Vins", slug="vins")
    filiere.naf_codes.add(NafCode.objects.get(code="11.02B"))  # vinification: division 11
    response = client.get(f"/api/v1/markets/filieres/{filiere.pk}/targets", **bearer)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["filiere"] == {"id": filiere.pk, "name": "Vins", "slug": "vins"}
    assert body["subject"] == "Filière Vins"
    assert {p["code"] for p in body["products"]} == {"2204"}  # beverages: chapter 22
    assert body["weighting"] in {"customs", "employment", "none"}
    assert body["weighting_label"]
    assert body["basis"]["is_demo"] is True
    assert body["rows"]
    markets = [r["market"] for r in body["rows"]]
    assert "FRA" not in markets
    unrealised = [r["unrealised"] for r in body["rows"]]
    assert unrealised == sorted(unrealised, reverse=True)
    assert all(p["code"] == "2204" for r in body["rows"] for p in r["top_products"])
    limited = client.get(
        f"/api/v1/markets/filieres/{filiere.pk}/targets", {"limit": 1}, **bearer
    ).json()
    assert limited["rows"] == body["rows"][:1]


# Fuzzing with a trade year loaded: the global fuzz test (tests/api) runs without market data,
# where every call stops at the 409; here the parameters reach the validation and the
# computations.
_schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application()).include(
    path_regex="^/api/v1/markets/"
)


@pytest.fixture
def keep_connection():
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@_schema.parametrize()
@pytest.mark.django_db
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_input_makes_the_markets_api_fail_with_data(case, org_b, reference, keep_connection):
    from tests.markets.conftest import write_trade

    if not TradeDataset.objects.exists():
        write_trade(WORLD, year=2022, level="hs4")
        Filiere.objects.get_or_create(name="Vins", slug="vins")
    _key, raw = api_key_create(organisation=org_b, name="Fuzz")
    case.call_and_validate(headers={"Authorization": f"Bearer {raw}"}, checks=[not_a_server_error])
