"""The public page /besoin/: what a company sees, what it sends, what is stored and routed, and
how robots and floods are kept out."""

import re
from html import unescape

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from guichet.companies.models import Establishment
from guichet.desk.forms import CONSENT_TEXT
from guichet.desk.models import CompanyEmail, Need, Subject
from tests.companies.conftest import make_company
from tests.companies.fixtures.sirene import siren, siret
from tests.desk.conftest import submit

URL = "/besoin/"
DONE_URL = "/besoin/envoyee/"

VALID = {
    "siret": "",
    "company_name": "Fromagerie des Tests",
    "postal_code": "21000",
    "subjects": ["clients-etranger"],
    "description": "Nous cherchons des distributeurs en Allemagne pour nos fromages.",
    "contact_first_name": "Jeanne",
    "contact_last_name": "Martin",
    "contact_role": "Gérante",
    "contact_email": "jeanne.martin@fromagerie.example",
    "contact_phone": "03 80 11 22 33",
    "consent": "on",
    "website": "",
}


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def text_of(response) -> str:
    """The page's HTML with entities decoded (apostrophes are escaped by templates)."""
    return unescape(response.content.decode())


def field_tag(html: str, field_id: str) -> str:
    found = re.search(rf'<(?:input|textarea|select)\b[^>]*\bid="{field_id}"[^>]*>', html)
    assert found, field_id
    return found.group(0)


def post(client, **changes):
    data = {**VALID, **changes}
    return client.post(URL, {k: v for k, v in data.items() if v is not None})


# --- the page ----------------------------------------------------------------------------------


def test_page_shows_every_subject_the_consent_and_the_data_notice(client, db, settings):
    settings.GUICHET_CONTACT_EMAIL = "dpo@region.example"
    response = client.get(URL)
    assert response.status_code == 200
    html = text_of(response)
    assert "<h1>Exprimer un besoin à l'export</h1>" in html
    subjects = list(Subject.objects.filter(is_active=True))
    assert len(subjects) == 10
    for subject in subjects:
        assert f'value="{subject.code}"' in html
        assert subject.label in html
        assert subject.description in html
    assert CONSENT_TEXT in html
    assert '<label class="fr-label" for="id_consent">' in html
    # The information block next to the consent: purpose, legal basis, retention, rights.
    assert "Base légale" in html
    assert "3 ans après le dernier échange" in html
    assert 'href="mailto:dpo@region.example"' in html
    assert 'href="/donnees-personnelles/"' in html
    # Sections of the form are fieldsets with legends.
    for legend in ("Votre entreprise", "Votre besoin", "Vos coordonnées", "Votre accord"):
        assert f'<h2 class="fr-h4 fr-mb-0">{legend}</h2>' in html
    assert html.count("<fieldset") == 5
    # Hints are linked to their field.
    assert 'aria-describedby="id_siret-hint"' in html
    assert 'autocomplete="given-name"' in html
    assert 'type="tel"' in html


def test_page_has_no_inline_script_and_loads_the_lookup_enhancement(client, db):
    html = text_of(client.get(URL))
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts, "the page loads scripts"
    assert all("src=" in tag for tag in scripts), scripts
    assert '<script src="/static/desk/intake.js" defer>' in html
    # Without JavaScript the lookup box stays hidden and the fields are typed by hand.
    assert re.search(
        r'id="recherche-entreprise"\s+data-url="/besoin/entreprises.json"\s+hidden', html
    )


def test_honeypot_is_hidden_from_people(client, db):
    html = text_of(client.get(URL))
    block = re.search(r'<div class="fr-sr-only" aria-hidden="true">(.*?)</div>', html, re.S)
    assert block is not None
    assert 'name="website"' in block.group(1)
    assert 'tabindex="-1"' in block.group(1)
    assert 'autocomplete="off"' in block.group(1)


def test_page_is_public(client, db):
    assert client.get(URL).status_code == 200
    assert client.get(URL + "entreprises.json?q=abc").status_code == 200


# --- a valid submission ------------------------------------------------------------------------


def test_valid_submission_is_saved_routed_confirmed_and_acknowledged(client, desk, org_b):
    response = post(client)
    assert response.status_code == 302
    assert response["Location"] == DONE_URL
    need = Need.objects.get()
    assert need.company_name == "Fromagerie des Tests"
    assert need.contact_email == "jeanne.martin@fromagerie.example"
    assert need.contact_phone == "03 80 11 22 33"
    assert need.channel == "web"
    assert need.consent_at is not None
    assert need.client_fingerprint
    assert [s.code for s in need.subjects.all()] == ["clients-etranger"]
    assert need.departement_id == "21"
    assert [m.organisation for m in need.matches.all()] == [org_b]
    # The reference is kept in the session, not in the URL.
    assert need.reference not in response["Location"]

    done = client.get(DONE_URL)
    html = text_of(done)
    assert done.status_code == 200
    assert f"Demande enregistrée sous la référence {need.reference}" in html
    assert "sous 5 jours ouvrés" in html
    assert "03 80 00 00 00" in html  # the desk's phone (DeskPolicy)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["jeanne.martin@fromagerie.example"]
    assert need.reference in message.subject
    assert need.reference in message.body
    assert CompanyEmail.objects.filter(need=need, kind="confirmation").exists()


def test_the_delay_on_the_pages_follows_the_policy(client, desk):
    desk["policy"].first_answer_days = 3
    desk["policy"].save()
    assert "sous 3 jours ouvrés" in text_of(client.get(URL))
    post(client)
    assert "sous 3 jours ouvrés" in text_of(client.get(DONE_URL))


def test_company_of_the_registry_is_linked_by_its_siret(client, desk):
    number = siren(21000001)
    company = make_company(number, "FROMAGERIE DU REGISTRE", nic=siret(number)[9:])
    post(client, siret=siret(number)[:3] + " " + siret(number)[3:])
    need = Need.objects.get()
    assert need.siret == siret(number)
    assert need.company == company
    assert need.commune_code == "21231"


def test_a_company_outside_the_registry_can_ask(client, desk):
    number = siren(21000002)
    response = post(client, siret=siret(number))
    assert response.status_code == 302
    need = Need.objects.get()
    assert need.company is None
    assert need.siret == siret(number)


def test_done_page_without_a_submission_goes_back_to_the_form(client, db):
    response = client.get(DONE_URL)
    assert response.status_code == 302
    assert response["Location"] == URL


# --- bad inputs --------------------------------------------------------------------------------

BAD_INPUTS = [
    ("siret", {"siret": "12345678901234"}, "clé de contrôle fausse"),
    ("siret", {"siret": "1234567890123"}, "Le SIRET compte exactement 14 chiffres."),
    ("consent", {"consent": None}, "Votre accord est nécessaire"),
    ("subjects", {"subjects": []}, "Choisissez au moins un sujet."),
    ("subjects", {"subjects": ["clients-etranger", "licornes"]}, "Sujet inconnu : licornes."),
    ("description", {"description": "x" * 3001}, "3000 caractères au plus"),
    (
        "company_name",
        {"company_name": "<script>alert(1)</script>"},
        "Les balises HTML et les scripts ne sont pas acceptés",
    ),
    (
        "contact_email",
        {"contact_email": "jeanne.martin"},
        "Saisissez une adresse de courriel valide.",
    ),
    ("contact_phone", {"contact_phone": "12"}, "Numéro de téléphone invalide"),
    ("postal_code", {"postal_code": "2100A"}, "Le code postal compte 5 chiffres."),
    ("contact_last_name", {"contact_last_name": ""}, "Ce champ est obligatoire."),
]


@pytest.mark.parametrize(("field", "changes", "message"), BAD_INPUTS)
def test_bad_input_shows_a_french_error_keeps_the_input_and_stores_nothing(
    client, desk, field, changes, message
):
    response = post(client, **changes)
    assert response.status_code == 200
    html = text_of(response)
    assert message in html
    assert Need.objects.count() == 0
    assert mail.outbox == []
    # The error summary at the top links to the field.
    anchor = "id_subjects_0" if field == "subjects" else f"id_{field}"
    assert 'id="resume-erreurs"' in html
    assert f'<a href="#{anchor}">' in html
    assert "<title>Erreur — " in html
    # What was typed is kept.
    kept = {k: v for k, v in VALID.items() if k not in changes and k not in ("consent", "website")}
    assert 'value="Jeanne"' in html or "contact_first_name" in changes
    if "description" not in changes:
        assert kept["description"] in html
    if "subjects" not in changes:
        assert re.search(r'value="clients-etranger"\s+id="id_subjects_0"[^>]*checked', html)
    if "consent" not in changes:
        assert re.search(r'name="consent"[^>]*checked', html)
    if field != "subjects":
        tag = field_tag(response.content.decode(), anchor)
        assert re.search(rf'aria-describedby="[^"]*{anchor}-error', tag), tag
        assert 'aria-invalid="true"' in tag
        assert f'id="{anchor}-error"' in html


def test_script_in_the_description_is_refused(client, desk):
    response = post(client, description="Bonjour <script>document.cookie</script>")
    html = response.content.decode()
    assert "Les balises HTML et les scripts ne sont pas acceptés" in unescape(html)
    assert "<script>document.cookie" not in html  # shown escaped, never run
    assert "&lt;script&gt;document.cookie" in html
    assert Need.objects.count() == 0


def test_unknown_subject_keeps_the_known_one_checked(client, desk):
    html = text_of(post(client, subjects=["clients-etranger", "licornes"]))
    assert re.search(r'value="clients-etranger"\s+id="id_subjects_0"[^>]*checked', html)
    assert 'aria-describedby="id_subjects_0-hint sujets-messages"' in html


# --- robots and floods -------------------------------------------------------------------------


def test_honeypot_stores_a_spam_need_routes_nothing_and_answers_the_same(client, desk):
    response = post(client, website="https://spam.example")
    assert response.status_code == 302
    assert response["Location"] == DONE_URL
    need = Need.objects.get()
    assert need.is_spam
    assert need.spam_reason == "Champ piège rempli"
    assert need.matches.count() == 0
    assert mail.outbox == []
    spam_page = text_of(client.get(DONE_URL)).replace(need.reference, "REF")
    assert "Demande enregistrée sous la référence REF" in spam_page
    # A real submission from another address gets the very same page.
    other = Client(REMOTE_ADDR="198.51.100.9")
    post(other, contact_email="vraie.personne@test.example")
    real = Need.objects.get(is_spam=False)
    assert text_of(other.get(DONE_URL)).replace(real.reference, "REF") == spam_page


def test_sixth_submission_in_an_hour_is_refused_with_the_input_kept(client, desk):
    for number in range(5):
        response = post(client, contact_email=f"personne{number}@test.example")
        assert response.status_code == 302
    response = post(client, contact_email="sixieme@test.example", contact_first_name="Sixtine")
    assert response.status_code == 429
    html = text_of(response)
    assert "Vous avez déjà envoyé plusieurs demandes" in html
    assert 'value="Sixtine"' in html
    assert 'value="sixieme@test.example"' in html
    assert VALID["description"] in html
    assert Need.objects.count() == 5


def test_rate_limit_follows_the_policy(client, desk):
    desk["policy"].submissions_per_hour = 1
    desk["policy"].save()
    assert post(client).status_code == 302
    assert post(client, contact_email="autre@test.example").status_code == 429
    assert Need.objects.count() == 1


def test_second_need_of_the_same_company_is_attached_to_the_open_one(client, desk):
    first = submit(contact_email=VALID["contact_email"]).need
    response = post(client)
    assert response.status_code == 302
    html = text_of(client.get(DONE_URL))
    assert f"Ajoutée à votre demande en cours {first.reference}" in html
    assert "Votre message y a été ajouté" in html
    latest = Need.objects.exclude(pk=first.pk).get()
    assert latest.duplicate_of == first
    assert latest.reference not in html  # the company quotes the open need's reference


# --- company lookup ----------------------------------------------------------------------------


@pytest.fixture
def registry(reference):
    number = siren(21000010)
    company = make_company(number, "FROMAGERIE GAUGRY", nic=siret(number)[9:])
    second = siret(number, nic=2)
    Establishment.objects.create(
        siret=second,
        company=company,
        postal_code="21200",
        commune_code="21054",
        commune_name="BEAUNE",
        departement_id="21",
        region_id="27",
    )
    make_company(siren(21000011), "BISCUITERIE DE BOURGOGNE", nic=siret(siren(21000011))[9:])
    return {"company": company, "hq": siret(number), "second": second}


def lookup(client, q):
    return client.get(URL + "entreprises.json", {"q": q})


def test_lookup_by_name_gives_public_identity_only(client, registry):
    response = lookup(client, "gaugry")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["results"] == [
        {
            "siren": registry["company"].siren,
            "siret": registry["hq"],
            "name": "FROMAGERIE GAUGRY",
            "commune": "DIJON",
            "postal_code": "21231",
            "active": True,
        }
    ]


def test_lookup_by_siret_gives_the_matched_establishment(client, registry):
    second = registry["second"]
    body = lookup(client, f"{second[:9]} {second[9:]}").json()
    assert [(r["siret"], r["commune"]) for r in body["results"]] == [(second, "BEAUNE")]


def test_lookup_by_siren_gives_the_headquarters(client, registry):
    body = lookup(client, registry["company"].siren).json()
    assert [r["siret"] for r in body["results"]] == [registry["hq"]]


def test_lookup_of_too_short_or_unknown_text_is_empty(client, registry):
    assert lookup(client, "ga").json()["results"] == []
    assert lookup(client, "introuvable").json()["results"] == []


def test_lookup_is_rate_limited_per_address(client, registry):
    for _ in range(30):
        assert lookup(client, "gaugry").status_code == 200
    response = lookup(client, "gaugry")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert "Trop de recherches" in response.json()["message"]
    other = client.get(URL + "entreprises.json", {"q": "gaugry"}, REMOTE_ADDR="198.51.100.7")
    assert other.status_code == 200


def test_page_reads_the_database_a_fixed_number_of_times(
    client, desk, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        assert client.get(URL).status_code == 200


def test_lookup_gives_at_most_ten_companies(client, reference):
    for number in range(12):
        base = siren(21000100 + number)
        make_company(base, f"FROMAGERIE NUMERO {number}", nic=siret(base)[9:])
    body = lookup(client, "fromagerie").json()
    assert body["count"] == 10
    assert len(body["results"]) == 10
    assert all(r["name"].startswith("FROMAGERIE NUMERO") for r in body["results"])
