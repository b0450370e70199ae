"""The company answers through its signed link, without an account: the link works, shows
only the company's name, saves as it goes; a tampered, expired or revoked link is refused in
French; "Envoyer mes réponses" ends the company's part."""

import time
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from guichet.diagnostics.models import Diagnostic
from guichet.diagnostics.services import (
    LINK_MAX_AGE,
    diagnostic_complete,
    diagnostic_link_create,
    diagnostic_link_revoke,
)
from guichet.journeys.models import TimelineEvent
from tests.diagnostics.filling_factory import answer_all


def text(response) -> str:
    return unescape(response.content.decode())


@pytest.fixture
def token(diagnostic, advisor_a):
    return diagnostic_link_create(diagnostic=diagnostic, by=advisor_a)


def company_url(token, step=""):
    url = reverse("diagnostics:company_fill", args=[token])
    return f"{url}?etape={step}" if step else url


@pytest.fixture
def anonymous():
    return Client()


def test_the_advisor_creates_the_link_from_the_diagnostic(client_for, advisor_a, diagnostic):
    advisor = client_for(advisor_a)
    page = text(advisor.get(reverse("diagnostics:link", args=[diagnostic.pk])))
    assert "Créer le lien" in page
    assert "fonctionne 30 jours" in page
    response = advisor.post(reverse("diagnostics:link", args=[diagnostic.pk]), {"action": "create"})
    page = text(response)
    assert "Lien à envoyer à l'entreprise" in page
    assert "http://127.0.0.1:8000/diagnostic/" in page
    diagnostic.refresh_from_db()
    assert diagnostic.filled_by == Diagnostic.FilledBy.COMPANY


def test_the_link_opens_the_questionnaire_with_only_the_companys_name(anonymous, token):
    response = anonymous.get(company_url(token))
    page = text(response)
    assert response.status_code == 200
    assert "Diagnostic export — Biscuiterie de Dijon" in page
    assert "Diagnostic proposé par Région Test." in page
    assert "Quelle place l'export occupe-t-il dans la stratégie de l'entreprise ?" in page
    assert "Envoyer mes réponses" not in page  # only on the summary step
    for hidden in ("552 100 554", "552100554", "Claire", "/entreprises/", "DIJON", "Lien pour"):
        assert hidden not in page
    assert response["Referrer-Policy"] == "same-origin"


def test_the_company_saves_a_step_and_resumes_later(anonymous, token, diagnostic):
    response = anonymous.post(
        company_url(token),
        {"etape": "strategy", "q-strategy-place": "project", "suite": "offer"},
    )
    assert response.url == company_url(token, "offer")
    assert diagnostic.answers.get().question.code == "strategy-place"
    response = anonymous.post(
        company_url(token), {"autosave": "offer-capacity", "q-offer-capacity": "yes"}
    )
    assert response.json()["answered"] == 2
    page = text(anonymous.get(company_url(token, "offer")))
    assert "Progression : <span data-progress-answered>2</span>" in page


def test_a_tampered_link_is_refused(anonymous, token):
    response = anonymous.get(company_url(token[:-2] + ("AA" if token[-2:] != "AA" else "BB")))
    assert response.status_code == 400
    assert "Ce lien est incomplet ou a été modifié" in text(response)
    response = anonymous.post(
        company_url("nimporte-quoi"), {"etape": "strategy", "q-strategy-place": "none"}
    )
    assert response.status_code == 400


def test_an_expired_link_is_refused(anonymous, diagnostic, monkeypatch):
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() - LINK_MAX_AGE - 60)
    old = diagnostic_link_create(diagnostic=diagnostic)
    monkeypatch.setattr(time, "time", real_time)
    response = anonymous.get(company_url(old))
    assert response.status_code == 410
    assert "Ce lien a expiré : il fonctionne 30 jours." in text(response)
    fresh = diagnostic_link_create(diagnostic=diagnostic)
    assert anonymous.get(company_url(fresh)).status_code == 200


def test_a_revoked_link_is_refused_and_a_new_one_works(client_for, advisor_a, anonymous, token):
    diagnostic = Diagnostic.objects.get()
    response = client_for(advisor_a).post(
        reverse("diagnostics:link", args=[diagnostic.pk]), {"action": "revoke"}
    )
    assert response.status_code == 302
    response = anonymous.get(company_url(token))
    assert response.status_code == 410
    assert "Ce lien a été désactivé par votre conseiller." in text(response)
    response = anonymous.post(company_url(token), {"etape": "strategy", "q-strategy-place": "none"})
    assert response.status_code == 410
    assert not diagnostic.answers.exists()
    diagnostic.refresh_from_db()
    assert (
        anonymous.get(company_url(diagnostic_link_create(diagnostic=diagnostic))).status_code == 200
    )


def test_revoking_changes_the_nonce_the_links_carry(diagnostic):
    before = diagnostic.access_nonce
    diagnostic_link_revoke(diagnostic=diagnostic)
    diagnostic.refresh_from_db()
    assert diagnostic.access_nonce != before


def test_sending_the_answers_ends_the_companys_part(client_for, advisor_a, anonymous, token):
    diagnostic = Diagnostic.objects.get()
    page = text(anonymous.get(company_url(token, "recapitulatif")))
    assert "Envoyer mes réponses" in page
    assert "votre conseiller les complétera avec vous" in page
    response = anonymous.post(company_url(token), {"action": "submit"})
    assert response.url == company_url(token)
    diagnostic.refresh_from_db()
    assert diagnostic.company_submitted_at is not None
    event = TimelineEvent.objects.get(company=diagnostic.company)
    assert event.title == "L'entreprise a envoyé ses réponses au diagnostic export"
    assert event.organisation == diagnostic.organisation
    page = text(anonymous.get(company_url(token)))
    assert "Merci, vos réponses sont envoyées" in page
    anonymous.post(company_url(token), {"etape": "strategy", "q-strategy-place": "none"})
    assert not diagnostic.answers.exists()
    # The advisor sees it and carries on.
    advisor_page = text(
        client_for(advisor_a).get(reverse("diagnostics:fill", args=[diagnostic.pk]))
    )
    assert "L'entreprise a envoyé ses réponses le" in advisor_page


def test_a_completed_diagnostic_link_says_so(anonymous, token, advisor_a):
    diagnostic = Diagnostic.objects.get()
    answer_all(diagnostic)
    diagnostic_complete(diagnostic=diagnostic, by=advisor_a)
    page = text(anonymous.get(company_url(token)))
    assert "Ce diagnostic est terminé" in page
    assert "Exportateur" not in page  # the results are the advisor's to present


def test_only_the_running_organisation_manages_the_link(
    client_for, advisor_b, readonly_a, diagnostic
):
    url = reverse("diagnostics:link", args=[diagnostic.pk])
    assert client_for(advisor_b).post(url, {"action": "create"}).status_code == 403
    assert client_for(readonly_a).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 302  # to the login page


def test_autosave_through_a_dead_link_answers_in_json_for_the_page(anonymous, token, diagnostic):
    diagnostic_link_revoke(diagnostic=diagnostic)
    response = anonymous.post(
        company_url(token), {"autosave": "strategy-place", "q-strategy-place": "none"}
    )
    assert response.status_code == 410
    assert response.json() == {
        "ok": False,
        "errors": [
            "Ce lien a été désactivé par votre conseiller. Demandez-lui le lien en vigueur."
        ],
    }
    assert not diagnostic.answers.exists()
