"""Main path of capability 9 in a real browser, on the demonstration world (scaled down): an
advisor opens Marchés, picks a filière, sees the ranked markets and the map, opens a country's
sheet, labelled as demonstration data."""

import io
import re

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def markets(transactional_db):
    from django.core.management import call_command

    from guichet.companies.models import Filiere
    from guichet.markets import demo
    from guichet.partners.services import organisation_create

    call_command("load_reference_data", verbosity=0)
    demo.build(scale=0.05, stdout=io.StringIO())
    wine = Filiere.objects.create(name="Vins et spiritueux", slug="vins-spiritueux")
    wine.naf_codes.set(["11.02A", "11.01"])
    organisation = organisation_create(name="CCI Bourgogne-Franche-Comté", kind="cci")
    return make_user("claire.conseil@test.example", organisation, ["advisor"])


def test_advisor_ranks_markets_of_a_filiere_and_opens_a_country(page, live_server, markets):
    page.goto(f"{live_server.url}/marches/")
    page.get_by_label("Adresse électronique").fill("claire.conseil@test.example")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(re.compile(r"/marches/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Marchés cibles")

    page.locator("#id_filiere").select_option(label="Vins et spiritueux")
    page.get_by_role("button", name="Classer les marchés").click()

    expect(page.get_by_role("heading", name="Filière Vins et spiritueux")).to_be_visible()
    expect(page.get_by_text("Données de démonstration").first).to_be_visible()
    rows = page.locator("table tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() >= 3
    expect(page.get_by_text("Carte du potentiel non réalisé")).to_be_visible()
    expect(page.locator(".markets-map svg")).to_have_count(1)

    first = rows.first.locator("td").nth(1).get_by_role("link")
    country = first.inner_text().strip()
    first.click()

    expect(page).to_have_url(re.compile(r"/marches/pays/[A-Z]{3}/\?filiere=\d+"))
    expect(page.get_by_role("heading", level=1)).to_have_text(country)
    expect(page.get_by_text("Fiche pays pour : Filière Vins et spiritueux")).to_be_visible()
    expect(page.get_by_role("heading", name="Données de démonstration")).to_be_visible()
    expect(page.get_by_role("heading", name="Principaux fournisseurs")).to_be_visible()
    expect(page.get_by_role("heading", name="Présence des partenaires")).to_be_visible()

    page.get_by_role("link", name="Revenir au classement des marchés").click()
    expect(page.get_by_role("heading", name="Filière Vins et spiritueux")).to_be_visible()
