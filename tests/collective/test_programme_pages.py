"""Public pages of the programme: no login, no personal data, only published actions of a
published programme; the month grid of the calendar; an action's public page."""

import html
import secrets
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guichet.collective.models import Programme, Registration
from guichet.companies.models import Filiere
from tests.collective.conftest import make_action


def _register(**fields) -> Registration:
    # The model's default nonce (64 characters) does not fit its 32-character column on
    # PostgreSQL: give one that does.
    fields.setdefault("access_nonce", secrets.token_hex(16))
    return Registration.objects.create(**fields)


def _text(response) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


@pytest.fixture
def programme_2027(reference, org_a, org_b, companies):
    """A published 2027 programme: a fair (one place taken of two), a full mission, a draft, a
    cancelled action; a registration with a contact's personal data."""
    agri = Filiere.objects.create(name="Agroalimentaire", slug="agro")
    bois = Filiere.objects.create(name="Bois", slug="bois")
    fair = make_action(org_a, slug="sial-2027", year=2027)
    fair.filieres.add(agri)
    mission = make_action(
        org_b,
        slug="mission-canada-2027",
        year=2027,
        kind="mission",
        title="Mission de prospection au Québec",
        series="",
        city="Montréal",
        starts_on=date(2027, 5, 10),
        ends_on=date(2027, 5, 14),
        registration_deadline=date(2027, 3, 31),
        free_cancellation_until=None,
        capacity=1,
        regime="de_minimis",
    )
    mission.filieres.add(bois)
    make_action(
        org_a, slug="brouillon-2027", year=2027, status="draft", title="Salon en préparation"
    )
    make_action(org_a, slug="annule-2027", year=2027, status="cancelled", title="Salon annulé")
    _register(
        action=fair,
        company=companies[0],
        status="confirmed",
        contact_name="Jeanne Secret",
        contact_email="jeanne.secret@fromagerie.example",
        contact_phone="06 11 22 33 44",
        organisation=org_a,
    )
    _register(
        action=mission,
        company=companies[1],
        status="selected",
        contact_name="Marc Caché",
        contact_email="marc@moutarde.example",
        organisation=org_a,
    )
    Programme.objects.filter(year=2027).update(
        is_published=True, introduction="Dix-sept opérations collectives."
    )
    return Programme.objects.get(year=2027)


def test_the_programme_is_public_grouped_by_month_without_personal_data(client_for, programme_2027):
    response = client_for(None).get("/actions-collectives/programme/2027/")
    assert response.status_code == 200
    page = _text(response)
    assert "Programme d'actions collectives 2027" in page
    assert "Dix-sept opérations collectives." in page
    assert "2 actions" in page
    may, october = '<h3 id="mois-2027-05">Mai 2027</h3>', '<h3 id="mois-2027-10">Octobre 2027</h3>'
    assert page.index(may) < page.index("Mission de prospection au Québec") < page.index(october)
    assert page.index(october) < page.index("SIAL Paris")
    assert "du 10 au 14 mai 2027 — Montréal, France" in page
    assert "Participation : 5 000 € par entreprise — 1 place disponible" in page
    assert "complet — liste d'attente" in page
    assert 'href="/actions-collectives/sial-2027/inscription/"' in page
    assert "Je m'inscris" in page
    assert "Agroalimentaire" in page
    assert "Bois" in page
    for hidden in (
        "Salon en préparation",
        "Salon annulé",
        "Jeanne",
        "Secret",
        "jeanne.secret",
        "06 11 22 33 44",
        "Marc",
        "Fromagerie de Bourgogne",
    ):
        assert hidden not in page
    assert 'href="/actions-collectives/programme/2027/pdf/"' in page
    assert 'href="/actions-collectives/programme/2027/calendrier.ics"' in page


def test_the_programme_filters_by_filiere_and_kind(client_for, programme_2027):
    page = _text(client_for(None).get("/actions-collectives/programme/2027/?filiere=bois"))
    assert "1 action" in page
    assert "Québec" in page
    assert "SIAL Paris" not in page
    page = _text(client_for(None).get("/actions-collectives/programme/2027/?kind=fair"))
    assert "1 action" in page
    assert "SIAL Paris" in page
    assert "Québec" not in page
    page = _text(client_for(None).get("/actions-collectives/programme/2027/?kind=training"))
    assert "Aucune action du programme ne correspond" not in page
    assert "Aucune action de ce type au programme." in page


def test_an_unpublished_programme_is_not_shown(client_for, reference, org_a):
    make_action(org_a, slug="sial-2027", year=2027)
    response = client_for(None).get("/actions-collectives/programme/2027/")
    assert response.status_code == 404
    page = _text(response)
    assert "Le programme 2027 n'est pas encore publié." in page
    assert "SIAL" not in page
    assert client_for(None).get("/actions-collectives/action/sial-2027/").status_code == 404
    assert client_for(None).get("/actions-collectives/programme/2027/pdf/").status_code == 404
    assert (
        client_for(None).get("/actions-collectives/programme/2027/calendrier.ics").status_code
        == 404
    )


def test_the_current_programme_address_goes_to_this_year(client_for, db):
    response = client_for(None).get("/actions-collectives/programme/")
    assert response.status_code == 302
    assert response["Location"].startswith("/actions-collectives/programme/20")


def test_the_public_page_of_an_action(client_for, programme_2027):
    page = _text(client_for(None).get("/actions-collectives/action/sial-2027/"))
    assert "SIAL Paris — pavillon Bourgogne-Franche-Comté" in page
    assert "Du 18 au 22 octobre 2027 — Villepinte, France" in page
    assert "1 place disponible" in page
    assert (
        "Participation demandée : <strong>5 000 €</strong> par entreprise, pour un coût complet "
        "de 9 000 € : la prise en charge publique (4 000 €) est une aide" in page
    )
    assert "RGEC, art. 19" in page
    assert "3 premières participations" in page
    assert "Jeanne" not in page
    assert "Fromagerie" not in page
    full = _text(client_for(None).get("/actions-collectives/action/mission-canada-2027/"))
    assert "Complet — liste d'attente" in full
    assert "Votre demande sera placée sur la liste d'attente." in full
    for slug in ("brouillon-2027", "annule-2027", "inconnue"):
        assert client_for(None).get(f"/actions-collectives/action/{slug}/").status_code == 404


def test_registration_closed_after_the_deadline(client_for, reference, org_a):
    make_action(org_a, slug="sial-2026", year=2026)  # deadline 30/06/2026
    Programme.objects.filter(year=2026).update(is_published=True)
    page = _text(client_for(None).get("/actions-collectives/action/sial-2026/"))
    assert "Inscriptions closes depuis le 30/06/2026." in page
    assert "Je m'inscris" not in page


def test_the_calendar_is_a_month_table(client_for, programme_2027):
    response = client_for(None).get("/actions-collectives/calendrier/?month=2027-05")
    assert response.status_code == 200
    body = html.unescape(response.content.decode())
    page = " ".join(body.split())
    assert "Mai 2027" in page
    assert "<table>" in body
    assert '<abbr title="lundi">Lun</abbr>' in page
    # The mission (10 → 14 May) is on five days of the grid, and listed once below.
    assert body.count('href="/actions-collectives/action/mission-canada-2027/"') == 6
    assert 'href="?month=2027-04"' in page
    assert 'href="?month=2027-06"' in page
    assert "SIAL" not in page
    assert "Salon en préparation" not in page
    assert "complet — liste d'attente" in page
    empty = _text(client_for(None).get("/actions-collectives/calendrier/?month=2027-07"))
    assert "Aucune action publiée ce mois-ci." in empty
    bad = client_for(None).get("/actions-collectives/calendrier/?month=2027-13")
    assert bad.status_code == 200


def test_the_pdf_of_the_programme(client_for, programme_2027):
    response = client_for(None).get("/actions-collectives/programme/2027/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "programme-actions-collectives-2027.pdf" in response["Content-Disposition"]


def test_public_pages_make_the_same_queries_whatever_the_number_of_actions(
    client_for, programme_2027, org_a
):
    client = client_for(None)
    urls = (
        "/actions-collectives/programme/2027/",
        "/actions-collectives/calendrier/?month=2027-10",
    )
    before = []
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        before.append(len(queries))
    for n in range(3):
        action = make_action(org_a, slug=f"salon-{n}-2027", year=2027, title=f"Salon {n}")
        action.filieres.add(Filiere.objects.get(slug="agro"))
        action.partners.add(org_a)
    after = []
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            page = _text(client.get(url))
        after.append(len(queries))
        assert "Salon 2" in page
    assert after == before


def test_the_pdf_shows_the_published_actions_only(programme_2027):
    from guichet.collective.programme_pdf import programme_html

    page = " ".join(html.unescape(programme_html(programme_2027, site_url="https://x.fr")).split())
    assert "<h2>Mai 2027</h2>" in page
    assert "Mission de prospection au Québec" in page
    assert "Participation : 5 000 € par entreprise (coût complet 9 000 €)" in page
    assert "Filières : Agroalimentaire" in page
    assert "https://x.fr/actions-collectives/programme/2027/" in page
    assert "Salon en préparation" not in page
    assert "Salon annulé" not in page
    assert "Jeanne" not in page


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "text"),
    [
        (date(2027, 1, 6), date(2027, 1, 6), "le 6 janvier 2027"),
        (date(2027, 10, 1), date(2027, 10, 4), "du 1er au 4 octobre 2027"),
        (date(2027, 9, 28), date(2027, 10, 1), "du 28 septembre au 1er octobre 2027"),
        (date(2026, 12, 30), date(2027, 1, 2), "du 30 décembre 2026 au 2 janvier 2027"),
    ],
)
def test_dates_read_as_french_phrases(starts_on, ends_on, text):
    from guichet.collective.selectors import dates_text

    assert dates_text(starts_on, ends_on) == text
