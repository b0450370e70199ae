"""A very large result is counted up to a cap ("plus de …"); the export still has every row."""

import pytest

from guichet.companies.search import listing
from tests.companies.conftest import make_company

pytestmark = pytest.mark.django_db


@pytest.fixture
def seven_sawmills(reference, monkeypatch):
    monkeypatch.setattr(listing, "COUNT_CAP", 5)
    for i in range(7):
        make_company(f"3000000{i:02d}", f"SCIERIE NUMERO {i:02d}", naf="16.10A")


def test_page_says_more_than_the_cap_and_export_has_everything(
    client_for, advisor_a, seven_sawmills
):
    client = client_for(advisor_a)
    html = client.get("/entreprises/", {"naf": "16.10A"}).content.decode()

    assert "Plus de 5 entreprises trouvées" in html
    assert "l'export contient toutes les entreprises trouvées" in html
    exported = client.get("/entreprises/", {"naf": "16.10A", "format": "csv"})
    assert len(exported.content.decode("utf-8-sig").splitlines()) == 1 + 7


def test_api_flags_a_capped_count(client, org_b, seven_sawmills):
    from guichet.partners.services import api_key_create

    _key, raw = api_key_create(organisation=org_b, name="CRM")
    body = client.get(
        "/api/v1/companies", {"naf": "16.10A"}, HTTP_AUTHORIZATION=f"Bearer {raw}"
    ).json()

    assert (body["count"], body["count_capped"]) == (5, True)


def test_small_results_are_counted_exactly(client_for, advisor_a, seven_sawmills):
    html = client_for(advisor_a).get("/entreprises/", {"q": "300 000 003"}).content.decode()
    assert "1 entreprise trouvée" in html
    assert "Plus de" not in html
