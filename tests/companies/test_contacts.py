"""Contacts of a company: create, edit, opposition; personal-data reads are audited."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from guichet.companies.models import Contact
from guichet.companies.services import contact_create, contact_opt_out, phone_normalise
from guichet.core.models import AuditEvent
from tests.companies.conftest import make_company

BASE = "/entreprises/552100554/"


@pytest.fixture
def company(reference):
    return make_company("552100554", "BISCUITERIE DU MORVAN")


def contact_data(**overrides) -> dict:
    data = {
        "first_name": "Jeanne",
        "last_name": "Martin",
        "job_title": "Directrice export",
        "email": "jeanne.martin@biscuiterie.example",
        "phone": "03.80.12.34.56",
        "legal_basis": "public_task",
        "source": "advisor",
        "last_contact_on": "2024-02-15",
    }
    data.update(overrides)
    return data


@pytest.fixture
def jeanne(company, advisor_a):
    fields = contact_data()
    fields["last_contact_on"] = None
    return contact_create(company=company, by=advisor_a, **fields)


def test_an_advisor_adds_a_contact(client_for, advisor_a, company):
    client = client_for(advisor_a)
    form = client.get(BASE + "contacts/nouveau/").content.decode()
    assert "Ajouter un contact" in form
    assert "Base légale" in form
    response = client.post(BASE + "contacts/nouveau/", contact_data())
    assert response.status_code == 302
    assert response["Location"] == BASE + "#contacts"
    contact = Contact.objects.get()
    assert (contact.first_name, contact.last_name, contact.phone) == (
        "Jeanne",
        "Martin",
        "03 80 12 34 56",
    )
    assert contact.last_contact_on.isoformat() == "2024-02-15"
    assert contact.company == company
    assert contact.organisation == advisor_a.organisation
    assert contact.created_by == advisor_a
    assert AuditEvent.objects.filter(
        action="create", object_type="companies.Contact", actor=advisor_a
    ).exists()
    page = client.get(BASE).content.decode()
    assert "Le contact Jeanne Martin est ajouté." in page
    assert "Directrice export" in page


def test_contact_errors_are_french_and_keep_the_input(client_for, advisor_a, company):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client_for(advisor_a).post(
        BASE + "contacts/nouveau/",
        contact_data(
            last_name="", phone="12 34", email="pas-une-adresse", last_contact_on=tomorrow
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ce champ est obligatoire." in html
    assert "Numéro de téléphone invalide" in html
    assert "Saisissez une adresse de courriel valide." in html
    assert "La date du dernier contact ne peut pas être dans le futur." in html
    assert 'value="Jeanne"' in html
    assert 'value="12 34"' in html
    assert 'value="pas-une-adresse"' in html
    assert 'value="Directrice export"' in html
    assert Contact.objects.count() == 0


def test_editing_shows_the_contact_audits_the_read_and_saves(client_for, advisor_b, jeanne):
    client = client_for(advisor_b)
    url = BASE + f"contacts/{jeanne.pk}/modifier/"
    form = client.get(url).content.decode()
    assert 'value="jeanne.martin@biscuiterie.example"' in form
    assert AuditEvent.objects.filter(
        action="view", object_id=str(jeanne.pk), actor=advisor_b
    ).exists()
    response = client.post(
        url, contact_data(job_title="Directrice générale", phone="+49 30 1234567")
    )
    assert response.status_code == 302
    jeanne.refresh_from_db()
    assert jeanne.job_title == "Directrice générale"
    assert jeanne.phone == "+49301234567"
    update = AuditEvent.objects.get(
        action="update", object_type="companies.Contact", object_id=str(jeanne.pk)
    )
    assert update.actor == advisor_b
    assert update.changes["job_title"] == ["Directrice export", "Directrice générale"]


def test_an_invalid_edit_changes_nothing(client_for, advisor_a, jeanne):
    url = BASE + f"contacts/{jeanne.pk}/modifier/"
    response = client_for(advisor_a).post(url, contact_data(first_name="", phone="0000"))
    assert response.status_code == 200
    jeanne.refresh_from_db()
    assert jeanne.first_name == "Jeanne"
    assert jeanne.phone == "03 80 12 34 56"


def test_opposition_flags_the_contact_and_keeps_its_details(client_for, advisor_a, jeanne):
    client = client_for(advisor_a)
    url = BASE + f"contacts/{jeanne.pk}/opposition/"
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    jeanne.refresh_from_db()
    assert jeanne.opted_out is True
    assert jeanne.opted_out_at is not None
    page = client.get(BASE).content.decode()
    assert "L&#x27;opposition de Jeanne Martin est enregistrée" in page
    assert "Ne souhaite plus être sollicité" in page
    assert f"(depuis le {timezone.localtime(jeanne.opted_out_at):%d/%m/%Y})" in page
    assert "jeanne.martin@biscuiterie.example" in page
    first_date = jeanne.opted_out_at
    contact_opt_out(contact=jeanne, by=None)
    jeanne.refresh_from_db()
    assert jeanne.opted_out_at == first_date


def test_a_contact_of_another_company_is_not_reachable(client_for, advisor_a, jeanne):
    make_company("732829320", "AUTRE SOCIÉTÉ")
    client = client_for(advisor_a)
    assert client.get(f"/entreprises/732829320/contacts/{jeanne.pk}/modifier/").status_code == 404
    assert (
        client.post(f"/entreprises/732829320/contacts/{jeanne.pk}/opposition/").status_code == 404
    )
    jeanne.refresh_from_db()
    assert jeanne.opted_out is False


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0380123456", "03 80 12 34 56"),
        ("03-80-12-34-56", "03 80 12 34 56"),
        ("+33 (0)3 80 12 34 56", "+33 3 80 12 34 56"),
        ("0033 6 12 34 56 78", "+33 6 12 34 56 78"),
        ("+49 30 1234567", "+49301234567"),
        ("+1 (212) 555-0199", "+12125550199"),
        ("", ""),
    ],
)
def test_phone_numbers_are_normalised(typed, stored):
    assert phone_normalise(typed) == stored


@pytest.mark.parametrize(
    "typed", ["12 34", "0012", "+33 12 34", "+0 123 456 789", "03 80 AB 34 56", "+1234"]
)
def test_bad_phone_numbers_are_refused_in_french(typed):
    with pytest.raises(ValidationError) as error:
        phone_normalise(typed)
    assert "Numéro de téléphone invalide" in error.value.messages[0]


def test_the_service_refuses_a_contact_without_name_or_legal_basis(advisor_a, company):
    with pytest.raises(ValidationError) as error:
        contact_create(
            company=company, by=advisor_a, first_name="", last_name="X", source="advisor"
        )
    assert set(error.value.message_dict) == {"first_name", "legal_basis"}
    assert Contact.objects.count() == 0
