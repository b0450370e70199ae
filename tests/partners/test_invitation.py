"""A new account receives an invitation e-mail with a link to choose its password."""

import re

from django.core import mail
from django.db import transaction
from django.test import Client

from guichet.partners.models import User
from guichet.partners.services import user_create

LINK = re.compile(r"^http://127\.0\.0\.1:8000(/compte/mot-de-passe/[\w-]+/[\w-]+/)$", re.M)
NEW_PASSWORD = "Salon-international-Dijon-2025"


def html(response) -> str:
    return response.content.decode()


def can_log_in(email: str, password: str) -> bool:
    response = Client().post("/compte/connexion/", {"username": email, "password": password})
    return response.status_code == 302


def invite(organisation, captured) -> User:
    with captured(execute=True):
        return user_create(
            email="Nadia.Nouvelle@test.example",
            first_name="Nadia",
            last_name="Nouvelle",
            organisation=organisation,
            roles=["advisor"],
        )


def set_password_through(path: str, password: str = NEW_PASSWORD):
    client = Client()
    form_page = client.get(path, follow=True)
    form_url = form_page.redirect_chain[-1][0]
    return client.post(
        form_url, {"new_password1": password, "new_password2": password}, follow=True
    )


def test_invitation_is_sent_once_the_account_is_saved(
    settings, org_a, django_capture_on_commit_callbacks
):
    settings.GUICHET_BASE_URL = "http://127.0.0.1:8000"
    settings.GUICHET_PLATFORM_NAME = "Guichet Export"
    user = invite(org_a, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nadia.nouvelle@test.example"]
    assert message.subject == "Votre compte Guichet Export"
    assert "Bonjour Nadia," in message.body
    assert "Un compte vous a été ouvert sur Guichet Export pour Région Test." in message.body
    assert "Votre identifiant est votre adresse électronique : nadia.nouvelle@test.example" in (
        message.body
    )
    assert LINK.search(message.body)
    # Until the person chooses a password, no password opens the account.
    assert not user.has_usable_password()


def test_no_invitation_is_sent_if_the_creation_is_rolled_back(
    org_a, django_capture_on_commit_callbacks
):
    """The e-mail leaves only once the account exists: a failed save sends nothing."""
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                user_create(
                    email="annule@test.example",
                    first_name="Anne",
                    last_name="Annulée",
                    organisation=org_a,
                )
                raise RuntimeError("rollback")
        except RuntimeError:
            pass
    assert mail.outbox == []
    assert not User.objects.filter(email="annule@test.example").exists()


def test_the_invitation_link_lets_the_person_choose_a_password_and_log_in(
    settings, org_a, django_capture_on_commit_callbacks
):
    settings.GUICHET_BASE_URL = "http://127.0.0.1:8000"
    invite(org_a, django_capture_on_commit_callbacks)
    path = LINK.search(mail.outbox[0].body).group(1)
    done = set_password_through(path)
    assert done.redirect_chain[-1][0] == "/compte/mot-de-passe/enregistre/"
    assert "Votre mot de passe est enregistré. Vous pouvez vous connecter." in html(done)
    assert can_log_in("nadia.nouvelle@test.example", NEW_PASSWORD)
    # The link is single-use.
    again = Client().get(path, follow=True)
    assert "Ce lien a expiré ou a déjà servi. Demandez-en un nouveau." in html(again)


def test_the_base_url_setting_builds_the_link(settings, org_a, django_capture_on_commit_callbacks):
    settings.GUICHET_BASE_URL = "https://guichet.example.fr/"
    invite(org_a, django_capture_on_commit_callbacks)
    assert "https://guichet.example.fr/compte/mot-de-passe/" in mail.outbox[0].body
    assert "fr//compte" not in mail.outbox[0].body


def test_an_account_created_with_a_password_gets_no_invitation(
    org_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user_create(
            email="direct@test.example",
            first_name="Denis",
            last_name="Direct",
            organisation=org_a,
            password="Mot-de-passe-direct-2025",
        )
    assert mail.outbox == []


def test_the_admin_page_creates_the_account_and_sends_the_invitation(
    client_for, admin_user, org_a, django_capture_on_commit_callbacks
):
    client = client_for(admin_user)
    data = {
        "first_name": "Nadia",
        "last_name": "Nouvelle",
        "email": "nadia.nouvelle@test.example",
        "phone": "",
        "organisation": org_a.pk,
        "roles": ["advisor"],
        "is_active": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/administration/utilisateurs/nouveau/", data, follow=True)
    assert "Le compte de Nadia Nouvelle est créé ; un courriel l&#x27;invite à choisir" in html(
        response
    )
    assert [m.to for m in mail.outbox] == [["nadia.nouvelle@test.example"]]
    assert User.objects.get(email="nadia.nouvelle@test.example").role_codes == {"advisor"}


def test_an_account_created_inactive_gets_no_invitation(monkeypatch, client_for, admin_user, org_a):
    """An inactive account cannot log in: inviting it would send a link that leads nowhere.

    Requests are not wrapped in a transaction (no ATOMIC_REQUESTS), so in production the
    invitation task starts as soon as `user_create`'s own transaction commits. The test database
    wraps everything in one transaction: running on-commit callbacks at once reproduces that.
    """
    monkeypatch.setattr(transaction, "on_commit", lambda func, *args, **kwargs: func())
    data = {
        "first_name": "Ines",
        "last_name": "Inactive",
        "email": "ines.inactive@test.example",
        "phone": "",
        "organisation": org_a.pk,
        "roles": ["advisor"],
    }
    client_for(admin_user).post("/administration/utilisateurs/nouveau/", data)
    assert User.objects.get(email="ines.inactive@test.example").is_active is False
    assert mail.outbox == []
