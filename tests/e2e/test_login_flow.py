"""Main path of capability 12 in a real browser: log in, see one's home page, log out."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def advisor(transactional_db):
    from guichet.partners.services import organisation_create

    organisation = organisation_create(name="CCI Bourgogne-Franche-Comté", kind="cci")
    return make_user("claire.conseil@test.example", organisation, ["advisor"])


def test_log_in_see_home_and_log_out(page, live_server, advisor):
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/compte/connexion/\?next=/$"))
    expect(page.get_by_role("heading", name="Connexion")).to_be_visible()

    page.get_by_label("Adresse électronique").fill("claire.conseil@test.example")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    expect(page.get_by_role("heading", name="Bonjour Claire")).to_be_visible()
    expect(page.get_by_role("heading", name="Mon portefeuille")).to_be_visible()
    expect(page.get_by_role("heading", name="Ma boîte de réception")).to_be_visible()

    page.get_by_role("button", name="Se déconnecter").click()
    expect(page).to_have_url(re.compile(r"/compte/connexion/$"))
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/compte/connexion/"))


def test_wrong_password_message_in_the_browser(page, live_server, advisor):
    page.goto(f"{live_server.url}/compte/connexion/")
    page.get_by_label("Adresse électronique").fill("claire.conseil@test.example")
    page.get_by_label("Mot de passe").fill("pas le bon")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_text("Adresse électronique ou mot de passe incorrect.")).to_be_visible()
