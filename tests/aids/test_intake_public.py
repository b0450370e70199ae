"""The account-less application form (/aides/demande/): open schemes only, SIRET checked
(14 digits, check digit, known to the registry), honeypot, hourly allowance; the confirmation
names the address the link went to and nothing about the company."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from guichet.aids.models import Application
from tests.aids.conftest import make_scheme

pytestmark = pytest.mark.django_db
URL = "/aides/demande/"


def _post(client, scheme, **overrides):
    data = {
        "scheme": scheme.pk,
        "siret": "552 100 554 00013",
        "title": "V.I.E. en Italie",
        "contact_name": "Claire Martin",
        "contact_email": "Claire@Fromagerie.fr",
        "contact_phone": "03 80 00 00 00",
        "website": "",
    }
    data.update(overrides)
    return client.post(URL, data)


def test_the_form_offers_only_schemes_open_today(client, scheme, org_a):
    today = timezone.localdate()
    make_scheme(org_a, slug="plus-tard", name="Salon 2030", opens_on=today + timedelta(days=30))
    make_scheme(org_a, slug="fini", name="Salon 2020", closes_on=today - timedelta(days=1))
    make_scheme(org_a, slug="ferme", name="Ancien dispositif", is_active=False)
    text = client.get(URL).content.decode()
    assert "Soutien au V.I.E. — Région Test" in text
    for closed in ("Salon 2030", "Salon 2020", "Ancien dispositif"):
        assert closed not in text


def test_a_company_of_the_registry_receives_the_link_of_its_new_draft(
    client, scheme, registry_company, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, scheme)
    assert response.status_code == 302
    assert response["Location"] == "/aides/demande/envoyee/"
    application = Application.objects.get()
    assert application.company == registry_company
    assert (application.filed_by, application.organisation) == ("company", scheme.provider)
    assert application.contact_email == "claire@fromagerie.fr"
    assert mail.outbox[0].to == ["claire@fromagerie.fr"]
    assert "/aides/mon-dossier/" in mail.outbox[0].body
    done = client.get(response["Location"]).content.decode()
    assert "Le lien de votre dossier part à claire@fromagerie.fr" in done
    assert "Fromagerie de Bourgogne" not in done


def test_an_unknown_siret_says_to_contact_the_desk_and_creates_nothing(
    client, scheme, registry_company
):
    response = _post(client, scheme, siret="73282932000074")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Nous ne trouvons pas d&#x27;établissement avec ce SIRET" in text
    assert 'href="/besoin/"' in text
    assert 'value="V.I.E. en Italie"' in text  # what was typed stays
    assert Application.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("siret", "message"),
    [
        ("5521005540001", "Le SIRET compte exactement 14 chiffres."),
        ("55210055400012", "Ce numéro SIRET n&#x27;existe pas (clé de contrôle fausse)"),
        ("", "Ce champ est obligatoire."),
    ],
)
def test_a_malformed_siret_is_explained(client, scheme, registry_company, siret, message):
    text = _post(client, scheme, siret=siret).content.decode()
    assert "Le formulaire contient une erreur" in text
    assert message in text
    assert Application.objects.count() == 0


def test_markup_in_the_title_is_refused(client, scheme, registry_company):
    text = _post(client, scheme, title="<script>alert(1)</script>").content.decode()
    assert "Les balises HTML et les scripts ne sont pas acceptés" in text
    assert Application.objects.count() == 0


def test_robots_filling_the_honeypot_get_the_same_answer_and_nothing_is_saved(
    client, scheme, registry_company, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, scheme, website="http://spam.example")
    assert response.status_code == 302
    assert response["Location"] == "/aides/demande/envoyee/"
    assert Application.objects.count() == 0
    assert mail.outbox == []


def test_a_closed_scheme_cannot_be_chosen(client, org_a, registry_company):
    closed = make_scheme(org_a, slug="fini", closes_on=timezone.localdate() - timedelta(days=1))
    text = _post(client, closed).content.decode()
    assert "Ce dispositif n&#x27;existe pas ou ne reçoit plus de demandes." in text
    assert Application.objects.count() == 0


def test_submissions_past_the_hourly_allowance_are_refused_without_losing_input(
    client, scheme, registry_company
):
    for _ in range(10):
        assert _post(client, scheme).status_code == 302
    response = _post(client, scheme, title="Onzième demande")
    assert response.status_code == 429
    text = response.content.decode()
    assert "Votre saisie est conservée" in text
    assert 'value="Onzième demande"' in text


def test_the_confirmation_page_needs_a_submission(client):
    assert client.get("/aides/demande/envoyee/")["Location"] == URL


def test_without_open_scheme_the_page_says_whom_to_contact(client, db):
    text = client.get(URL).content.decode()
    assert "Aucun dispositif d'aide ne reçoit de demandes en ce moment." in text
