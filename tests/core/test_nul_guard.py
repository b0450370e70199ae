"""A NUL byte in a request's query string or address is refused with a 400 everywhere, before
any view sends it to the database (PostgreSQL refuses it in text parameters)."""

from guichet.partners.services import api_key_create


def test_api_query_with_a_nul_byte_is_a_json_400(client, org_b):
    _key, raw = api_key_create(organisation=org_b, name="Site partenaire")
    response = client.get(
        "/api/v1/aids/applications?scheme=abc%00def", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert response.status_code == 400
    assert response.json() == {
        "error": "bad_request",
        "message": "La requête contient un caractère nul (%00), qui n'est accepté nulle part.",
        "details": [],
    }


def test_page_query_with_a_nul_byte_is_a_plain_400(client):
    response = client.get("/connexion/?next=%2F%00")
    assert response.status_code == 400
    assert "caractère nul" in response.content.decode()


def test_aids_scheme_filter_refuses_what_cannot_be_a_slug(client, org_b):
    _key, raw = api_key_create(organisation=org_b, name="Site partenaire")
    response = client.get(
        "/api/v1/aids/applications?scheme=%C3%91%C3%9AQn", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert response.status_code == 422
    assert response.json()["details"][0]["message"] == "Aucun dispositif « ÑÚQn »."


def test_ordinary_queries_pass(client, org_b):
    _key, raw = api_key_create(organisation=org_b, name="Site partenaire")
    response = client.get("/api/v1/aids/applications?page=1", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
