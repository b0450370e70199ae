"""GET /api/v1/companies: the registry search for partner systems."""

import pytest

from guichet.companies.models import Company, Establishment
from guichet.partners.services import api_key_create, api_key_revoke
from tests.companies.conftest import make_company

URL = "/api/v1/companies"


@pytest.fixture
def registry(reference):
    make_company("111111111", "FROMAGERIE DIJONNAISE DU CENTRE", naf="10.51C", export_status="new")
    make_company(
        "222222222",
        "BOULANGERIE PATISSERIE MARTIN",
        naf="10.71C",
        commune_code="25056",
        commune_name="BESANCON",
        size_category="TPE",
        is_active=False,
    )


@pytest.fixture
def key(org_b):
    """A key of any partner organisation reads the registry (SIRENE data is public)."""
    _key, raw = api_key_create(organisation=org_b, name="CRM de la CCI")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_a_name_with_a_typo_returns_the_company_and_its_headquarters(client, registry, key):
    response = client.get(URL, {"q": "fromagerie dijonaise"}, **key)
    assert response.status_code == 200
    assert response.json() == {
        "count": 1,
        "count_capped": False,
        "page": 1,
        "pages": 1,
        "results": [
            {
                "siren": "111111111",
                "name": "FROMAGERIE DIJONNAISE DU CENTRE",
                "naf": "10.51C",
                "naf_label": "Fabrication de fromage",
                "size_category": "PME",
                "export_status": "new",
                "is_active": True,
                "headquarters": {
                    "siret": "11111111100012",
                    "commune_code": "21231",
                    "commune_name": "DIJON",
                    "departement": "21",
                    "region": "27",
                },
            }
        ],
    }


def test_filters_match_the_page(client, registry, key):
    def sirens(**params):
        body = client.get(URL, params, **key).json()
        return [r["siren"] for r in body["results"]]

    assert sirens(q="222 222 222") == ["222222222"]
    assert sirens(q="222 222 222 00012") == ["222222222"]
    assert sirens(region="27") == ["222222222", "111111111"]
    assert sirens(departement="25") == ["222222222"]
    assert sirens(commune="Dijon") == ["111111111"]
    assert sirens(naf="10.7") == ["222222222"]
    assert sirens(size="TPE") == ["222222222"]
    assert sirens(export_status="new") == ["111111111"]
    assert sirens(region="27", active="true") == ["111111111"]
    assert sirens(q="martin", departement="21") == []


def test_a_company_without_headquarters_has_null_headquarters(client, registry, key):
    Establishment.objects.filter(siret="11111111100012").update(is_headquarters=False)
    body = client.get(URL, {"q": "111111111"}, **key).json()
    assert body["results"][0]["headquarters"] is None


def test_pages_of_results(client, reference, key):
    for i in range(30):
        make_company(f"3000000{i:02d}", f"SCIERIE NUMERO {i:02d}")
    first = client.get(URL, {"q": "scierie"}, **key).json()
    assert (first["count"], first["page"], first["pages"]) == (30, 1, 2)
    assert len(first["results"]) == 25
    second = client.get(URL, {"q": "scierie", "page": 2}, **key).json()
    assert [r["name"] for r in second["results"]] == [f"SCIERIE NUMERO {i}" for i in range(25, 30)]
    small = client.get(URL, {"q": "scierie", "page_size": 10, "page": 3}, **key).json()
    assert (small["pages"], len(small["results"])) == (3, 10)


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"naf": "99.99Z"}, "query.naf", "Code NAF inconnu : « 99.99Z »."),
        ({"region": "99"}, "query.region", "Région inconnue : « 99 »."),
        ({"region": "11", "departement": "21"}, "query.departement", "n'appartient pas"),
        ({"filiere": "inconnue"}, "query.filiere", "Filière inconnue : « inconnue »."),
        ({"size": "XXL"}, "query.size", "Catégorie d'entreprise inconnue"),
        ({"export_status": "always"}, "query.export_status", "Statut export inconnu"),
        ({"commune": "123"}, "query.commune", "Un code commune INSEE compte 5 caractères"),
        ({"page": 4}, "query.page", "La page 4 n'existe pas : il y a 1 page(s)."),
        ({"page_size": 500}, "query.page_size", "La taille de page va de 1 à 100."),
    ],
)
def test_an_invalid_value_is_a_french_422(client, registry, key, params, field, message):
    response = client.get(URL, params, **key)
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "validation"
    assert body["message"] == "Les données envoyées sont invalides."
    assert any(d["field"] == field and message in d["message"] for d in body["details"])


def test_a_non_numeric_page_is_a_422_in_the_same_format(client, registry, key):
    response = client.get(URL, {"page": "deux"}, **key)
    assert response.status_code == 422
    assert response.json()["error"] == "validation"
    assert response.json()["details"][0]["field"] == "query.page"


def test_without_a_valid_key_the_answer_is_a_french_401(client, registry, org_a):
    assert client.get(URL, {"q": "fromagerie"}).status_code == 401
    key, raw = api_key_create(organisation=org_a, name="Outil")
    api_key_revoke(key=key)
    response = client.get(URL, {"q": "fromagerie"}, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401
    assert "Clé d'API" in response.json()["message"]


def test_the_list_does_not_shadow_the_company_file(client, registry, key):
    """GET /companies/{siren} is the company file: the list route leaves it alone."""
    schema = client.get("/api/v1/openapi.json").json()
    assert "get" in schema["paths"]["/api/v1/companies"]
    assert "/api/v1/companies/{siren}" in schema["paths"]
    response = client.get("/api/v1/companies/111111111", **key)
    assert response.status_code == 200
    assert response.json()["siren"] == "111111111"


def test_a_company_with_two_establishments_is_listed_once(client, registry, key):
    company = Company.objects.get(siren="111111111")
    Establishment.objects.create(
        siret="11111111100020",
        company=company,
        commune_code="25056",
        departement_id="25",
        region_id="27",
    )
    body = client.get(URL, {"region": "27"}, **key).json()
    assert body["count"] == 2
    assert [r["siren"] for r in body["results"]] == ["222222222", "111111111"]
