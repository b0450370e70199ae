"""The company's file through its signed link: filling and submitting a draft, answering the
missing items of an incomplete file, following the file afterwards (history titles only,
decision, payments), downloading its documents. A tampered or revoked link opens nothing."""

import html
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from guichet.aids.links import application_for_token, application_token
from guichet.aids.models import Application, MissingItem, Payment
from guichet.aids.services import intake
from guichet.aids.services.documents import application_document_add
from guichet.aids.services.states import application_log, application_move
from tests.aids.conftest import PDF_BYTES, make_application, make_ready_draft, pdf_upload

pytestmark = pytest.mark.django_db


def link(application) -> str:
    return f"/aides/mon-dossier/{application_token(application)}/"


def assert_link_to(location: str, application, fragment: str = "") -> None:
    """A redirect to the company's link of `application` (tokens carry the second they were
    signed at: compare what the token opens, not its text)."""
    path, _, anchor = location.partition("#")
    assert anchor == fragment
    assert path.startswith("/aides/mon-dossier/")
    assert path.endswith("/")
    token = path.removeprefix("/aides/mon-dossier/").removesuffix("/")
    assert application_for_token(token) == application


def test_the_company_fills_its_draft_without_an_account(client, scheme, company, org_a):
    draft = make_application(scheme, company, org_a)
    response = client.get(link(draft))
    text = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert f"Votre demande d'aide {draft.reference}" in text
    assert "Fromagerie de Bourgogne" in text
    assert "Déposer la demande" in text
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    response = client.post(
        link(draft),
        {
            "action": "depense",
            "depense-category": scheme.cost_categories.get(code="frais").pk,
            "depense-description": "Frais de gestion",
            "depense-amount": "2 000",
        },
    )
    assert_link_to(response["Location"], draft, "depenses")
    assert draft.expenses.filter(amount=Decimal("2000")).exists()


def test_the_company_submits_and_then_follows_its_file(
    client, scheme, company, org_a, django_capture_on_commit_callbacks
):
    draft = make_ready_draft(scheme, company, org_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link(draft), {"action": "deposer"})
    assert_link_to(response["Location"], draft)
    saved = Application.objects.get(pk=draft.pk)
    assert saved.status == "submitted"
    assert saved.events.get(title="Demande déposée").by_company is True
    assert mail.outbox[0].subject.endswith("a bien été déposée")
    application_log(
        application=saved, title="Instructeur désigné", text="Note interne : vérifier le Kbis"
    )
    text = html.unescape(client.get(link(draft)).content.decode())
    assert "Votre demande est en cours" in text
    assert "Demande déposée" in text
    assert "Instructeur désigné" in text
    assert "Note interne" not in text
    assert "Déposer la demande" not in text


def test_a_submitted_file_cannot_be_changed_through_the_link(client, scheme, company, org_a):
    application = make_application(scheme, company, org_a, status="submitted")
    response = client.post(
        link(application),
        {
            "action": "depense",
            "depense-category": scheme.cost_categories.first().pk,
            "depense-description": "Ajout tardif",
            "depense-amount": "100",
        },
    )
    assert response.status_code == 302
    assert not application.expenses.filter(description="Ajout tardif").exists()


def test_an_incomplete_file_shows_what_is_missing_first_and_is_sent_back(
    client, scheme, company, org_a, instructor_a, settings, django_capture_on_commit_callbacks
):
    application = make_ready_draft(scheme, company, org_a)
    intake.application_submit(application=application)
    application.refresh_from_db()
    application_move(application=application, to="incomplete", by=instructor_a, title="Incomplète")
    item = MissingItem.objects.create(
        application=application,
        label="Relevé d'identité bancaire",
        requested_by=instructor_a,
    )
    text = html.unescape(client.get(link(application)).content.decode())
    assert text.index("Ce qui manque au dossier") < text.index("Le projet")
    assert "Relevé d'identité bancaire" in text
    assert "Renvoyer mon dossier complété" in text
    refused = client.post(link(application), {"action": "completer"})
    assert "Répondez à « Relevé d'identité bancaire »" in html.unescape(refused.content.decode())
    assert Application.objects.get(pk=application.pk).status == "incomplete"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            link(application),
            {"action": "completer", f"complement-item_{item.pk}_file": pdf_upload("rib.pdf")},
        )
    assert_link_to(response["Location"], application)
    saved = Application.objects.get(pk=application.pk)
    assert saved.status == "submitted"
    assert saved.documents.filter(original_name="rib.pdf", label="Relevé d'identité bancaire")
    assert MissingItem.objects.get(pk=item.pk).resolved_at is not None
    assert "Dossier complété et renvoyé" in html.unescape(
        client.get(link(application)).content.decode()
    )


def test_a_granted_file_shows_the_decision_and_the_payments(client, scheme, company, org_a):
    application = make_application(
        scheme,
        company,
        org_a,
        status="paying",
        granted_amount=Decimal("12683"),
        decided_on=date(2026, 3, 12),
        decision_reason="Projet conforme au dispositif.",
        submitted_at=timezone.now() - timedelta(days=90),
    )
    Payment.objects.create(
        application=application, kind="advance", amount=Decimal("6341.50"), paid_on=date(2026, 4, 2)
    )
    text = html.unescape(client.get(link(application)).content.decode())
    assert "Aide accordée : 12\u202f683\u202f€" in text
    assert "Décision du 12/03/2026." in text
    assert "Projet conforme au dispositif." in text
    assert "Avance" in text
    assert "6\u202f341,50\u202f€" in text


def test_a_rejected_file_shows_the_reason(client, scheme, company, org_a):
    application = make_application(
        scheme, company, org_a, status="rejected", decision_reason="Enveloppe épuisée."
    )
    text = html.unescape(client.get(link(application)).content.decode())
    assert "Aide refusée" in text
    assert "Motif : Enveloppe épuisée." in text


def test_the_company_downloads_its_own_documents_only(client, scheme, company, org_a):
    mine = make_application(scheme, company, org_a)
    other = make_application(scheme, company, org_a)
    document = application_document_add(
        application=mine, upload=pdf_upload("Devis salon.pdf"), label="Devis"
    )
    foreign = application_document_add(application=other, upload=pdf_upload(), label="Devis")
    response = client.get(f"{link(mine)}pieces/{document.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert 'attachment; filename="Devis salon.pdf"' in response["Content-Disposition"]
    assert client.get(f"{link(mine)}pieces/{foreign.pk}/").status_code == 404


def test_a_tampered_link_opens_nothing(client, scheme, company, org_a):
    application = make_application(scheme, company, org_a)
    token = application_token(application)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(f"/aides/mon-dossier/{tampered}/").status_code == 404
    assert client.get("/aides/mon-dossier/nimporte-quoi/").status_code == 404


def test_a_revoked_link_opens_nothing(client, scheme, company, org_a, advisor_a):
    application = make_application(scheme, company, org_a)
    document = application_document_add(application=application, upload=pdf_upload(), label="D")
    old = link(application)
    intake.application_link_send(application=application, by=advisor_a, revoke=True)
    assert client.get(old).status_code == 404
    assert client.get(f"{old}pieces/{document.pk}/").status_code == 404
    application.refresh_from_db()
    assert client.get(link(application)).status_code == 200


def test_the_upload_pages_still_check_the_csrf_token(scheme, company, org_a, advisor_a):
    from django.test import Client

    draft = make_application(scheme, company, org_a)
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(link(draft), {"action": "piece", "piece-libre-label": "Devis"})
    assert response.status_code == 403
    strict.force_login(advisor_a)
    response = strict.post(
        f"/aides/dossiers/{draft.reference}/modifier/", {"action": "retirer-depense"}
    )
    assert response.status_code == 403
    assert draft.expenses.count() == 1
