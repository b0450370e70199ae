"""Main path of the web SIRENE import in a real browser: an administrator uploads the two stock
files, the import runs in the background, the page shows the report, the companies are found."""

import re

import pytest
from playwright.sync_api import expect

from tests.companies.fixtures.sirene import establishment, siren, siret, unit, write_stock
from tests.conftest import PASSWORD, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def admin(transactional_db):
    from django.core.management import call_command

    from guichet.partners.services import organisation_create

    call_command("load_reference_data", verbosity=0)
    organisation = organisation_create(name="Région Bourgogne-Franche-Comté", kind="region")
    return make_user("alice.admin@test.example", organisation, ["admin"])


@pytest.fixture
def stock(tmp_path):
    a, b = siren(71000001), siren(71000002)
    return write_stock(
        tmp_path,
        [
            unit(a, denominationUniteLegale="CHOCOLATERIE DE BESANCON"),
            unit(b, denominationUniteLegale="TONNELLERIE DE BEAUNE"),
        ],
        [
            establishment(siret(a), codeCommuneEtablissement="25056"),
            establishment(siret(b), codeCommuneEtablissement="21054"),
            establishment("12345678900011", codeCommuneEtablissement="21231"),
        ],
    )


def test_admin_uploads_the_stock_and_reads_the_report(page, live_server, admin, stock, settings):
    units, places = stock
    page.goto(f"{live_server.url}/entreprises/imports/")
    page.get_by_label("Adresse électronique").fill("alice.admin@test.example")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    page.get_by_role("link", name="Nouvel import").first.click()
    page.get_by_label("Fichier des unités légales").set_input_files(str(units))
    page.get_by_label("Fichier des établissements").set_input_files(str(places))
    page.locator("label[for=id_wet_run]").click()  # DSFR draws the box on the label
    expect(page.get_by_label("Écrire en base")).to_be_checked()
    page.get_by_role("button", name="Lancer l'import").click()

    expect(page).to_have_url(re.compile(r"/entreprises/imports/\d+/$"))
    expect(page.get_by_role("heading", name="Rapport")).to_be_visible()
    expect(page.get_by_role("heading", name="Lignes rejetées (1)")).to_be_visible()
    expect(page.get_by_text("SIREN invalide « 123456789 »")).to_be_visible()

    page.goto(f"{live_server.url}/entreprises/?q=tonnelerie")
    expect(page.get_by_role("link", name="TONNELLERIE DE BEAUNE")).to_be_visible()
