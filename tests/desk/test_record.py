"""An advisor records a need received by phone, e-mail, a visit or an event."""

import re
from html import unescape

import pytest
from django.core import mail

from guichet.desk.models import Need
from tests.companies.conftest import make_company
from tests.companies.fixtures.sirene import siren, siret
from tests.desk.conftest import submit

URL = "/guichet/demandes/nouvelle/"
COMPANY_URL = "/entreprises/{}/demandes/nouvelle/"

VALID = {
    "channel": "phone",
    "notify_company": "on",
    "siret": "",
    "company_name": "Fromagerie des Tests",
    "postal_code": "21000",
    "subjects": ["clients-etranger"],
    "description": "Appel : cherche des distributeurs en Allemagne.",
    "contact_first_name": "Jeanne",
    "contact_last_name": "Martin",
    "contact_role": "Gérante",
    "contact_email": "jeanne.martin@fromagerie.example",
    "contact_phone": "03 80 11 22 33",
}


def page(response) -> str:
    return unescape(response.content.decode())


def post(client, url=URL, **changes):
    data = {**VALID, **changes}
    return client.post(url, {k: v for k, v in data.items() if v is not None})


@pytest.fixture
def registry_company(reference):
    number = siren(21000020)
    return make_company(number, "FROMAGERIE DU REGISTRE", nic=siret(number)[9:])


# --- who may record ----------------------------------------------------------------------------


def test_advisor_sees_the_form_with_channel_and_acknowledgement(client_for, advisor_a, desk):
    response = client_for(advisor_a).get(URL)
    assert response.status_code == 200
    html = page(response)
    assert "<h1>Enregistrer une demande</h1>" in html
    for label in ("Téléphone", "Courriel", "Visite ou rendez-vous", "Salon ou événement"):
        assert f">{label}</option>" in html
    assert "Formulaire public" not in html
    assert "Site partenaire (API)" not in html
    assert "Envoyer un accusé de réception à l'entreprise" in html
    assert re.search(r'<input type="checkbox" name="notify_company"[^>]*checked', html)
    assert 'name="consent"' not in html
    assert 'value="clients-etranger"' in html


def test_read_only_member_is_refused(client_for, readonly_a, desk):
    assert client_for(readonly_a).get(URL).status_code == 403
    assert post(client_for(readonly_a)).status_code == 403
    assert Need.objects.count() == 0


def test_anonymous_is_sent_to_login(client, desk):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == "/compte/connexion/?next=/guichet/demandes/nouvelle/"
    assert post(client).status_code == 302
    assert Need.objects.count() == 0


# --- recording ---------------------------------------------------------------------------------


def test_recorded_need_is_routed_and_opens_on_its_page(client_for, advisor_b, org_b, desk):
    response = post(client_for(advisor_b))
    need = Need.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/guichet/demandes/{need.reference}/"
    assert need.channel == "phone"
    assert need.recorded_by == advisor_b
    assert need.source_organisation == org_b
    assert need.consent_at is None
    assert [m.organisation for m in need.matches.all()] == [org_b]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["jeanne.martin@fromagerie.example"]
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [
        f"Demande {need.reference} enregistrée et transmise à : CCI Test. "
        "Un accusé de réception est envoyé à l'entreprise."
    ]


def test_no_acknowledgement_when_unticked(client_for, advisor_b, desk):
    post(client_for(advisor_b), notify_company=None, channel="visit")
    need = Need.objects.get()
    assert need.channel == "visit"
    assert mail.outbox == []
    assert not need.company_emails.exists()


def test_need_routed_elsewhere_stays_open_to_the_organisation_that_recorded_it(
    client_for, advisor_a, desk
):
    """Advisor of the Région records a need that goes to the CCI: the Région follows it."""
    client = client_for(advisor_a)
    response = post(client)
    need = Need.objects.get()
    assert response["Location"] == f"/guichet/demandes/{need.reference}/"
    html = page(client.get(response["Location"]))
    assert f"Demande {need.reference} enregistrée et transmise à : CCI Test." in html


def test_duplicate_is_attached_and_opens_the_open_need(client_for, advisor_b, desk):
    first = submit(contact_email=VALID["contact_email"]).need
    response = post(client_for(advisor_b), channel="email")
    assert response["Location"] == f"/guichet/demandes/{first.reference}/"
    latest = Need.objects.exclude(pk=first.pk).get()
    assert latest.duplicate_of == first
    messages = [str(m) for m in response.wsgi_request._messages]
    assert f"avait déjà une demande en cours ({first.reference})" in messages[0]
    assert f"la demande {latest.reference} y est rattachée" in messages[0]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"channel": ""}, "Indiquez comment la demande vous est parvenue."),
        ({"channel": "web"}, "Canal inconnu"),
        ({"siret": "1234567890123"}, "Le SIRET compte exactement 14 chiffres."),
        ({"subjects": []}, "Choisissez au moins un sujet."),
        ({"contact_email": "pas-une-adresse"}, "Saisissez une adresse de courriel valide."),
        ({"description": "<b>gras</b>"}, "Les balises HTML et les scripts ne sont pas acceptés"),
    ],
)
def test_bad_input_is_refused_in_french_and_kept(client_for, advisor_b, desk, changes, message):
    response = post(client_for(advisor_b), **changes)
    assert response.status_code == 200
    html = page(response)
    assert message in html
    assert 'id="resume-erreurs"' in html
    assert 'value="Jeanne"' in html
    assert Need.objects.count() == 0
    assert mail.outbox == []


# --- from the company file ---------------------------------------------------------------------


def test_company_entry_is_prefilled_from_the_registry(client_for, advisor_a, registry_company):
    response = client_for(advisor_a).get(COMPANY_URL.format(registry_company.siren))
    assert response.status_code == 200
    html = page(response)
    assert f'value="{registry_company.headquarters_siret}"' in html
    assert 'value="FROMAGERIE DU REGISTRE"' in html
    assert 'value="21231"' in html
    assert f'href="/entreprises/{registry_company.siren}/"' in html  # breadcrumb and cancel


def test_company_entry_is_linked_to_the_company(client_for, advisor_b, registry_company, desk):
    client = client_for(advisor_b)
    url = COMPANY_URL.format(registry_company.siren)
    response = post(client, url=url, siret="", company_name="FROMAGERIE DU REGISTRE")
    need = Need.objects.get()
    assert need.company == registry_company
    assert response["Location"] == f"/guichet/demandes/{need.reference}/"


def test_company_entry_with_the_siret_resolves_the_establishment(
    client_for, advisor_b, registry_company, desk
):
    url = COMPANY_URL.format(registry_company.siren)
    post(client_for(advisor_b), url=url, siret=registry_company.headquarters_siret)
    need = Need.objects.get()
    assert need.company == registry_company
    assert need.commune_code == "21231"


def test_unknown_siren_is_a_french_404(client_for, advisor_a, reference):
    response = client_for(advisor_a).get(COMPANY_URL.format("999999999"))
    assert response.status_code == 404
    html = page(response)
    assert "Aucune entreprise n'a le numéro SIREN 999999999 dans le registre." in html
    assert 'href="/guichet/demandes/nouvelle/"' in html


def test_company_entry_needs_the_permission(client_for, readonly_a, registry_company):
    assert client_for(readonly_a).get(COMPANY_URL.format(registry_company.siren)).status_code == 403
