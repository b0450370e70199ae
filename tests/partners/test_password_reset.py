"""Password reset by e-mail: one link per request, no account enumeration, single-use links."""

import re

from django.core import mail
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.conftest import PASSWORD

REQUEST = "/compte/mot-de-passe-oublie/"
SENT = "/compte/mot-de-passe-oublie/envoye/"
LINK = re.compile(r"http://testserver(/compte/mot-de-passe/(?P<uid>[\w-]+)/(?P<token>[\w-]+)/)")
NEW_PASSWORD = "Printemps-des-exportateurs-2025"
SENT_TEXT = "Si un compte existe avec cette adresse, un courriel contenant un lien vient"


def html(response) -> str:
    return response.content.decode()


def can_log_in(email: str, password: str) -> bool:
    response = Client().post("/compte/connexion/", {"username": email, "password": password})
    return response.status_code == 302


def request_link(email: str):
    return Client().post(REQUEST, {"email": email}, follow=True)


def link_path(message) -> str:
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(1)


def choose_password(path: str, password: str = NEW_PASSWORD):
    """Open the link as the person would, then submit the new password twice."""
    client = Client()
    form_page = client.get(path, follow=True)
    form_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else path
    return form_page, client.post(
        form_url, {"new_password1": password, "new_password2": password}, follow=True
    )


def test_the_request_page_is_public_and_french(db):
    page = Client().get(REQUEST)
    assert page.status_code == 200
    assert "Mot de passe oublié" in html(page)
    assert "nous vous enverrons un lien pour choisir un nouveau mot de passe" in html(page)
    assert "Recevoir le lien" in html(page)


def test_a_known_address_gets_one_french_email_with_a_link(advisor_a):
    response = request_link("Claire.Conseil@test.example")
    assert response.redirect_chain[-1][0] == SENT
    assert SENT_TEXT in html(response)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [advisor_a.email]
    assert message.subject == "Choisir un nouveau mot de passe"
    assert "Pour choisir un nouveau mot de passe, ouvrez ce lien (valable 3 jours)" in message.body
    assert f"Votre identifiant est votre adresse électronique : {advisor_a.email}" in message.body
    assert link_path(message).startswith("/compte/mot-de-passe/")


def test_an_unknown_address_gets_the_same_page_and_no_email(advisor_a):
    response = request_link("personne@test.example")
    assert response.redirect_chain[-1][0] == SENT
    assert SENT_TEXT in html(response)
    assert mail.outbox == []


def test_an_inactive_account_gets_no_email(advisor_a):
    advisor_a.is_active = False
    advisor_a.save()
    response = request_link(advisor_a.email)
    assert SENT_TEXT in html(response)
    assert mail.outbox == []


def test_a_malformed_address_is_refused_in_french(db):
    response = Client().post(REQUEST, {"email": "pas-une-adresse"})
    assert response.status_code == 200
    assert "Saisissez une adresse de courriel valide." in html(response)
    assert mail.outbox == []


def test_the_link_sets_a_new_password_and_the_old_one_stops_working(advisor_a):
    request_link(advisor_a.email)
    form_page, done = choose_password(link_path(mail.outbox[0]))
    assert "Choisissez un mot de passe d'au moins 12 caractères" in html(form_page)
    assert done.redirect_chain[-1][0] == "/compte/mot-de-passe/enregistre/"
    assert "Votre mot de passe est enregistré. Vous pouvez vous connecter." in html(done)
    assert can_log_in(advisor_a.email, NEW_PASSWORD)
    assert not can_log_in(advisor_a.email, PASSWORD)


def test_a_weak_new_password_is_refused_in_french(advisor_a):
    request_link(advisor_a.email)
    _form_page, response = choose_password(link_path(mail.outbox[0]), "court")
    assert "Ce mot de passe est trop court. Il doit contenir au minimum 12 caractères." in html(
        response
    )
    assert can_log_in(advisor_a.email, PASSWORD)


def test_a_used_link_is_invalid(advisor_a):
    request_link(advisor_a.email)
    path = link_path(mail.outbox[0])
    choose_password(path)
    again = Client().get(path, follow=True)
    assert "Lien invalide" in html(again)
    assert "Ce lien a expiré ou a déjà servi. Demandez-en un nouveau." in html(again)
    assert 'href="/compte/mot-de-passe-oublie/"' in html(again)
    assert 'name="new_password1"' not in html(again)


def test_a_tampered_link_is_invalid_and_changes_nothing(advisor_a):
    request_link(advisor_a.email)
    found = LINK.search(mail.outbox[0].body)
    token = found.group("token")
    forged = token[:-1] + ("a" if token[-1] != "a" else "b")
    path = f"/compte/mot-de-passe/{found.group('uid')}/{forged}/"
    form_page, _done = choose_password(path)
    assert "Ce lien a expiré ou a déjà servi. Demandez-en un nouveau." in html(form_page)
    assert can_log_in(advisor_a.email, PASSWORD)
    assert not can_log_in(advisor_a.email, NEW_PASSWORD)


def test_a_link_for_one_user_does_not_open_another_account(advisor_a, advisor_b):
    request_link(advisor_a.email)
    found = LINK.search(mail.outbox[0].body)
    other_uid = urlsafe_base64_encode(force_bytes(advisor_b.pk))
    form_page, _done = choose_password(f"/compte/mot-de-passe/{other_uid}/{found.group('token')}/")
    assert "Lien invalide" in html(form_page)
    assert can_log_in(advisor_b.email, PASSWORD)
