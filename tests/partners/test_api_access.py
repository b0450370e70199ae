"""API endpoints × callers: own key, other organisation's key, revoked key, no key, session only."""

import pytest

from guichet.partners.models import ApiKey
from guichet.partners.services import api_key_create, api_key_revoke

ENDPOINTS = ["/api/v1/me", "/api/v1/organisations", "/api/v1/organisations/region-test"]


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.mark.parametrize("url", ENDPOINTS)
def test_a_valid_key_reads_and_a_missing_or_revoked_one_gets_french_401(client, org_a, url):
    key, raw = api_key_create(organisation=org_a, name="CRM")
    assert client.get(url, **bearer(raw)).status_code == 200
    for headers in ({}, bearer("ge_inconnue"), bearer("")):
        response = client.get(url, **headers)
        assert response.status_code == 401
        assert response.json()["error"] == "authentication"
        assert "Clé d'API" in response.json()["message"]
    api_key_revoke(key=key)
    assert client.get(url, **bearer(raw)).status_code == 401


def test_me_returns_the_key_organisation_only(client, org_a, org_b):
    _key, raw_b = api_key_create(organisation=org_b, name="Système CCI")
    body = client.get("/api/v1/me", **bearer(raw_b)).json()
    assert body["organisation"]["slug"] == "cci-test"
    assert body["organisation"]["kind_label"] == "CCI"
    assert body["key"]["name"] == "Système CCI"
    assert raw_b not in ApiKey.objects.values_list("key_hash", flat=True)
    assert ApiKey.objects.get(organisation=org_b).last_used_at is not None


def test_a_session_without_key_is_refused(client_for, advisor_a):
    assert client_for(advisor_a).get("/api/v1/me").status_code == 401


def test_unknown_organisation_is_a_french_404(client, org_a):
    _key, raw = api_key_create(organisation=org_a, name="CRM")
    response = client.get("/api/v1/organisations/inconnue", **bearer(raw))
    assert response.status_code == 404
    assert response.json() == {
        "error": "not_found",
        "message": "Ressource introuvable.",
        "details": [],
    }


def test_openapi_schema_lists_the_endpoints(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/me" in schema["paths"]
    assert "/api/v1/organisations" in schema["paths"]
