"""Company file × the fixed cast: the registry is shared by every partner, contacts are only
for members who work with companies, and anonymous visitors are sent to the login page."""

import pytest

from guichet.companies.models import Contact, ExportFact
from guichet.companies.services import contact_create
from guichet.core.models import AuditEvent
from tests.companies.conftest import make_company

BASE = "/entreprises/552100554/"
EDITORS = ["admin_user", "advisor_a", "advisor_b"]


@pytest.fixture
def contact(reference, advisor_a):
    company = make_company("552100554", "BISCUITERIE DU MORVAN")
    return contact_create(
        company=company,
        by=advisor_a,
        first_name="Jeanne",
        last_name="Secrète",
        email="jeanne@biscuiterie.example",
        legal_basis="public_task",
        source="advisor",
    )


def _urls(contact) -> dict[str, str]:
    return {
        "file": BASE,
        "export": BASE + "?export=establishments&format=csv",
        "profile": BASE + "profil-export/",
        "new_contact": BASE + "contacts/nouveau/",
        "edit_contact": BASE + f"contacts/{contact.pk}/modifier/",
    }


@pytest.mark.parametrize("who", EDITORS)
def test_members_who_work_with_companies_see_and_edit_everything(request, client_for, contact, who):
    user = request.getfixturevalue(who)
    client = client_for(user)
    for name, url in _urls(contact).items():
        assert client.get(url).status_code == 200, name
    html = client.get(BASE).content.decode()
    assert "Jeanne Secrète" in html
    assert "Modifier le profil export" in html
    assert "Ajouter un contact" in html
    assert AuditEvent.objects.filter(action="view", actor=user, object_id=str(contact.pk)).exists()
    response = client.post(
        BASE + "profil-export/",
        {"status": "regular", "observed_on": "2024-01-01", "source": "advisor"},
    )
    assert response.status_code == 302
    assert ExportFact.objects.filter(recorded_by=user, value="regular").exists()
    assert client.post(BASE + f"contacts/{contact.pk}/opposition/").status_code == 302
    assert Contact.objects.get(pk=contact.pk).opted_out is True


def test_readonly_sees_the_company_but_not_its_contacts_and_changes_nothing(
    client_for, readonly_a, contact
):
    client = client_for(readonly_a)
    urls = _urls(contact)
    response = client.get(urls["file"])
    assert response.status_code == 200
    html = response.content.decode()
    assert "BISCUITERIE DU MORVAN" in html
    assert "Profil export" in html
    assert "Secrète" not in html
    assert "jeanne@biscuiterie.example" not in html
    assert "Ajouter un contact" not in html
    assert "Modifier le profil export" not in html
    assert client.get(urls["export"]).status_code == 200
    assert not AuditEvent.objects.filter(action="view", actor=readonly_a).exists()
    for name in ("profile", "new_contact", "edit_contact"):
        assert client.get(urls[name]).status_code == 403, name
    assert client.post(urls["profile"], {"status": "regular"}).status_code == 403
    assert client.post(urls["new_contact"], {"first_name": "X"}).status_code == 403
    assert client.post(BASE + f"contacts/{contact.pk}/opposition/").status_code == 403
    assert ExportFact.objects.count() == 0
    assert Contact.objects.get(pk=contact.pk).opted_out is False


def test_anonymous_is_sent_to_the_login_page(client_for, contact):
    client = client_for(None)
    for name, url in _urls(contact).items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith("/compte/connexion/?next=/entreprises/"), name
    assert client.post(BASE + f"contacts/{contact.pk}/opposition/").status_code == 302
    assert Contact.objects.get(pk=contact.pk).opted_out is False
