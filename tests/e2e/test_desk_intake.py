"""The public desk in a browser: the company lookup fills the form, errors take the focus."""

import re

import pytest
from playwright.sync_api import expect

from guichet.desk.models import Need
from tests.companies.conftest import make_company
from tests.companies.fixtures.sirene import siren, siret


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_company_finds_itself_fills_the_form_and_gets_its_reference(page, live_server, desk):
    number = siren(21000050)
    make_company(number, "FROMAGERIE GAUGRY", nic=siret(number)[9:])
    page.goto(f"{live_server.url}/besoin/")

    # Sent empty: the error summary comes first and takes the focus.
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page.locator("#resume-erreurs")).to_be_focused()
    expect(page.locator("#resume-erreurs")).to_contain_text("Choisissez au moins un sujet.")

    page.get_by_label("Retrouver votre entreprise").fill("gaugry")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    expect(page.locator("#recherche-entreprise-statut")).to_have_text(
        "1 entreprise trouvée : choisissez-la pour remplir les champs."
    )
    page.get_by_role("button", name=re.compile("^FROMAGERIE GAUGRY")).click()
    expect(page.locator("#id_siret")).to_have_value(siret(number))
    expect(page.locator("#id_siret")).to_be_focused()
    expect(page.locator("#id_company_name")).to_have_value("FROMAGERIE GAUGRY")
    expect(page.locator("#id_postal_code")).to_have_value("21231")
    page.locator("#id_postal_code").fill("21000")

    page.locator("label[for=id_subjects_0]").click()
    page.locator("#id_description").fill("Des distributeurs en Allemagne.")
    page.get_by_label("Prénom").fill("Jeanne")
    page.get_by_label("Nom", exact=True).fill("Martin")
    page.get_by_label("Adresse électronique").fill("jeanne.martin@fromagerie.example")
    page.locator("label[for=id_consent]").click()
    page.get_by_role("button", name="Envoyer ma demande").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Votre demande est envoyée")
    need = Need.objects.get()
    expect(
        page.get_by_text(f"Demande enregistrée sous la référence {need.reference}")
    ).to_be_visible()
    assert need.siret == siret(number)
    assert need.company.name == "FROMAGERIE GAUGRY"
