"""Agreement and payment pages, the proof download, and the decided part of the application
page for each member of the fixed cast."""

import re
from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse

from guichet.aids.models import Application, Payment
from guichet.aids.selectors_payments import payments_context
from guichet.aids.services.payments import payment_record
from guichet.core.models import AuditEvent
from guichet.partners.services import organisation_create
from tests.aids.money_factories import PDF_BYTES, envelope, granted, pdf_upload
from tests.conftest import make_user


def _text(html: str) -> str:
    text = unescape(re.sub(r"<[^>]+>", " ", html)).replace("\u202f", " ")
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture
def approved(scheme, company, org_a, org_b, instructor_a):
    """Granted by the Région (org A), followed by the CCI (org B); agreement not signed."""
    envelope(scheme)
    return granted(scheme, company, org_b, instructor_a, signed=False)


@pytest.fixture
def signed(approved, client_for, instructor_a):
    client_for(instructor_a).post(
        reverse("aids:application_agreement", args=[approved.reference]),
        {"signed_on": "2025-04-01"},
    )
    return Application.objects.get(pk=approved.pk)


def test_sign_the_agreement(client_for, instructor_a, approved):
    client = client_for(instructor_a)
    url = reverse("aids:application_agreement", args=[approved.reference])
    response = client.post(url, {"signed_on": "2025-03-01"})
    assert "La convention ne peut être signée avant la décision du 10/03/2025." in _text(
        response.content.decode()
    )
    assert 'value="2025-03-01"' in response.content.decode()
    response = client.post(url, {"signed_on": "2025-04-01"})
    assert response.status_code == 302
    saved = Application.objects.get(pk=approved.pk)
    assert (saved.status, saved.agreement_signed_on) == ("signed", date(2025, 4, 1))


@pytest.mark.parametrize("who", ["advisor_b", "readonly_a", "advisor_a"])
def test_agreement_and_payments_are_for_the_provider_s_deciders(client_for, request, who, signed):
    client = client_for(request.getfixturevalue(who))
    for name in ("aids:application_agreement", "aids:application_payment"):
        assert client.get(reverse(name, args=[signed.reference])).status_code == 403
    response = client.post(
        reverse("aids:application_payment", args=[signed.reference]),
        {"kind": "advance", "amount": "100", "paid_on": "2025-04-15"},
    )
    assert response.status_code == 403
    assert Payment.objects.count() == 0


def test_pay_the_advance_then_an_over_payment_is_refused(client_for, instructor_a, signed):
    client = client_for(instructor_a)
    url = reverse("aids:application_payment", args=[signed.reference])
    page = _text(client.get(url).content.decode())
    assert "Aide accordée : 12 683 € Déjà versé : 0 € Reste à verser : 12 683 €" in page
    assert "de 50 % de l'aide au plus (6 341,50 €)" in page
    response = client.post(
        url, {"kind": "advance", "amount": "6 341,50", "paid_on": "2025-04-15", "comment": "Avance"}
    )
    assert response.status_code == 302
    assert Application.objects.get(pk=signed.pk).status == "paying"
    response = client.post(
        url, {"kind": "instalment", "amount": "7 000", "paid_on": "2025-06-15", "comment": "x"}
    )
    html = response.content.decode()
    assert (
        "Versement impossible : 7 000 € dépasseraient l'aide accordée. Accordé 12 683 €, "
        "déjà versé 6 341,50 €, reste 6 341,50 €."
    ) in _text(html)
    assert 'value="7 000"' in html
    assert list(Payment.objects.values_list("amount", flat=True)) == [Decimal("6341.50")]


def test_pay_the_balance_with_its_proof(client_for, request, instructor_a, signed, org_b):
    client = client_for(instructor_a)
    url = reverse("aids:application_payment", args=[signed.reference])
    response = client.post(
        url,
        {
            "kind": "balance",
            "amount": "",
            "paid_on": "2026-01-20",
            "justified_expenses": "25 366",
            "proof": SimpleUploadedFile("factures.pdf", PDF_BYTES, "application/pdf"),
        },
    )
    assert response.status_code == 302, _text(response.content.decode())
    payment = Payment.objects.get()
    assert (payment.kind, payment.amount) == ("balance", Decimal("12683.00"))
    saved = Application.objects.get(pk=signed.pk)
    assert (saved.status, saved.results_due_on) == ("paid", date(2027, 1, 20))
    proof_url = reverse("aids:payment_proof", args=[signed.reference, payment.pk])
    for who in (instructor_a, request.getfixturevalue("advisor_b")):
        response = client_for(who).get(proof_url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="factures.pdf"'
        assert b"".join(response.streaming_content) == PDF_BYTES
    assert AuditEvent.objects.filter(object_type="aids.Payment", action="view").count() == 2
    other = organisation_create(name="Bpifrance Test", kind="bpifrance", slug="bpi-test")
    outsider = make_user("olga.autre@bpi.example", other, ["advisor"])
    assert client_for(outsider).get(proof_url).status_code == 403


def test_a_balance_without_proof_or_with_a_bad_file_is_refused(client_for, instructor_a, signed):
    client = client_for(instructor_a)
    url = reverse("aids:application_payment", args=[signed.reference])
    response = client.post(
        url, {"kind": "balance", "paid_on": "2026-01-20", "justified_expenses": "25366"}
    )
    assert "Le solde est versé sur justificatif des dépenses : joignez-le." in _text(
        response.content.decode()
    )
    response = client.post(
        url,
        {
            "kind": "balance",
            "paid_on": "2026-01-20",
            "justified_expenses": "25366",
            "proof": SimpleUploadedFile("factures.pdf", b"GIF89a not accepted", "application/pdf"),
        },
    )
    assert "n'est ni un PDF ni une image PNG ou JPEG" in _text(response.content.decode())
    response = client.post(
        url,
        {
            "kind": "balance",
            "paid_on": "2026-01-20",
            "justified_expenses": "25366",
            "proof": SimpleUploadedFile("énorme.pdf", b"%PDF-" + b"0" * (50 * 1024 * 1024)),
        },
    )
    assert "pèse 50,0 Mo : 10 Mo au plus" in _text(response.content.decode())
    assert Payment.objects.count() == 0
    assert Application.objects.get(pk=signed.pk).status == "signed"


def test_payment_form_speaks_french_on_bad_input(client_for, instructor_a, signed):
    response = client_for(instructor_a).post(
        reverse("aids:application_payment", args=[signed.reference]),
        {"kind": "advance", "amount": "beaucoup", "paid_on": "hier"},
    )
    text = _text(response.content.decode())
    assert "Saisissez un montant en euros (ex. 12 500 ou 12 500,50)." in text
    assert "Saisissez une date valide (jj/mm/aaaa)." in text
    assert Payment.objects.count() == 0


# --- the decided part of the application page ----------------------------------------------------


def _after_decision(application, user) -> str:
    application = Application.objects.select_related("scheme", "session").get(pk=application.pk)
    context = payments_context(application, user)
    return _text(render_to_string("aids/detail/_after_decision.html", {"money": context}))


def test_the_decided_part_for_each_member(request, instructor_a, signed):
    payment_record(
        application=signed,
        kind="advance",
        amount="6341.50",
        paid_on=date(2025, 4, 15),
        proof=pdf_upload("avance.pdf"),
        comment="Avance à la signature",
        by=instructor_a,
    )
    text = _after_decision(signed, instructor_a)
    assert "Aide accordée 12 683 € le 10/03/2025" in text
    assert "Lettre de décision (PDF)" in text
    assert "Convention signée le 01/04/2025." in text
    assert "Versé : 6 341,50 € sur 12 683 € accordés (50 %) — reste à verser : 6 341,50 €." in text
    assert "15/04/2025 Avance 6 341,50 € — avance.pdf Avance à la signature" in text
    assert "Enregistrer un versement" in text
    # The following organisation's advisor sees the whole file, but does not pay.
    text = _after_decision(signed, request.getfixturevalue("advisor_b"))
    assert "avance.pdf" in text
    assert "Enregistrer un versement" not in text
    # A member of a third organisation sees that the aid exists and what was paid, no more.
    other = organisation_create(name="Bpifrance Test", kind="bpifrance", slug="bpi-test")
    outsider = make_user("olga.autre@bpi.example", other, ["advisor"])
    text = _after_decision(signed, outsider)
    assert "Versé : 6 341,50 € sur 12 683 € accordés" in text
    assert "avance.pdf" not in text
    assert "Lettre de décision" not in text


def test_the_decided_part_of_an_approval_waiting_for_its_agreement(instructor_a, approved):
    text = _after_decision(approved, instructor_a)
    assert "Convention à signer : aucun versement n'intervient avant sa signature." in text
    assert "Enregistrer la signature de la convention" in text
    assert "Enregistrer un versement" not in text
