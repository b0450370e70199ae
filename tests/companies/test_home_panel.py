"""The registry's block on the home page: a search box and the size of the registry."""

import pytest

from tests.companies.conftest import make_company

pytestmark = pytest.mark.django_db


def test_home_shows_search_box_and_count_of_companies_in_the_region(
    client_for, advisor_a, reference
):
    make_company("100000001", "FROMAGERIE DU JURA", commune_code="39300")
    make_company("100000002", "GARAGE PARISIEN", commune_code="75056")
    make_company("100000003", "SCIERIE FERMÉE", commune_code="58194", is_active=False)

    html = client_for(advisor_a).get("/").content.decode()

    assert "Registre des entreprises" in html
    assert 'placeholder="Nom, SIREN ou SIRET"' in html
    assert "1 entreprise active ayant un établissement en Bourgogne-Franche-Comté" in html
    assert "aucun import SIRENE encore réalisé" in html


def test_empty_registry_tells_the_administrator_how_to_load_it(client_for, admin_user, reference):
    html = client_for(admin_user).get("/").content.decode()

    assert "Le registre est vide." in html
    assert "Imports SIRENE" in html
