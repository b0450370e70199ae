"""Main path of capability 1 in a real browser: search a company with a typo, open its file,
update its export profile."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def registry(transactional_db):
    from django.core.management import call_command

    from guichet.partners.services import organisation_create
    from tests.companies.conftest import make_company

    call_command("load_reference_data", verbosity=0)
    organisation = organisation_create(name="CCI Bourgogne-Franche-Comté", kind="cci")
    make_company("552100554", "FROMAGERIE DIJONNAISE DU CENTRE", naf="10.51C")
    make_company("100000002", "MENUISERIE DU MORVAN", naf="16.23Z", commune_code="58194")
    return make_user("claire.conseil@test.example", organisation, ["advisor"])


def _log_in(page, base_url):
    page.goto(f"{base_url}/entreprises/")
    page.get_by_label("Adresse électronique").fill("claire.conseil@test.example")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(re.compile(r"/entreprises/$"))


def test_search_with_a_typo_open_the_file_and_update_the_profile(page, live_server, registry):
    _log_in(page, live_server.url)

    search_box = page.locator("input[name=q]").first
    search_box.fill("fromagerie dijonaise")
    search_box.press("Enter")

    result = page.get_by_role("link", name="FROMAGERIE DIJONNAISE DU CENTRE")
    expect(result).to_be_visible()
    expect(page.get_by_role("link", name="MENUISERIE DU MORVAN")).to_have_count(0)
    result.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("FROMAGERIE DIJONNAISE DU CENTRE")
    expect(page.get_by_text("552 100 554").first).to_be_visible()

    page.get_by_role("link", name="Modifier le profil export").click()
    page.get_by_label("Statut export").select_option("regular")
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("FROMAGERIE DIJONNAISE DU CENTRE")
    expect(page.get_by_text("Exportateur régulier").first).to_be_visible()
