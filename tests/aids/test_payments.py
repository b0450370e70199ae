"""Agreement and payments (service level): the advance, instalments, the balance on proof of
expenses, over-payment refused with the figures, bad input changing nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from guichet.aids.models import Application, Payment
from guichet.aids.services.payments import (
    ADVANCE_MAX_SHARE,
    add_months,
    application_agreement_sign,
    payment_record,
)
from tests.aids.money_factories import DECIDED, SIGNED, envelope, granted, pdf_upload


@pytest.fixture
def signed(scheme, company, org_a, instructor_a):
    envelope(scheme)
    return granted(scheme, company, org_a, instructor_a)


def _state(application):
    saved = Application.objects.get(pk=application.pk)
    return (saved.status, saved.results_due_on, list(saved.payments.values_list("amount")))


def _pay(application, by, **kwargs):
    fields = {"kind": "advance", "amount": "6341.50", "paid_on": date(2025, 4, 15), "by": by}
    fields.update(kwargs)
    return payment_record(application=application, **fields)


def test_the_advance_is_at_most_half_of_the_grant(signed, instructor_a):
    assert Decimal("0.50") == ADVANCE_MAX_SHARE
    before = _state(signed)
    with pytest.raises(ValidationError) as error:
        _pay(signed, instructor_a, amount="6341.51")
    assert error.value.message_dict["amount"] == [
        "L'avance est limitée à 50 % de l'aide accordée, soit 6\u202f341,50\u202f€ ; "
        "6\u202f341,51\u202f€ demandés."
    ]
    assert _state(signed) == before
    payment = _pay(signed, instructor_a)
    assert payment.amount == Decimal("6341.50")
    saved = Application.objects.get(pk=signed.pk)
    assert saved.status == "paying"
    assert saved.events.last().title == "Avance versée : 6\u202f341,50\u202f€"
    with pytest.raises(ValidationError, match="L'avance est le premier versement"):
        _pay(signed, instructor_a, amount="100")


def test_over_payment_is_impossible(signed, instructor_a):
    _pay(signed, instructor_a)
    _pay(signed, instructor_a, kind="instalment", amount="4000", paid_on=date(2025, 6, 1))
    before = _state(signed)
    with pytest.raises(ValidationError) as error:
        _pay(signed, instructor_a, kind="instalment", amount="2500", paid_on=date(2025, 7, 1))
    assert error.value.message_dict["amount"] == [
        "Versement impossible : 2\u202f500\u202f€ dépasseraient l'aide accordée. Accordé "
        "12\u202f683\u202f€, déjà versé 10\u202f341,50\u202f€, reste 2\u202f341,50\u202f€."
    ]
    with pytest.raises(ValidationError, match="Un acompte ne peut solder l'aide"):
        _pay(signed, instructor_a, kind="instalment", amount="2341.50", paid_on=date(2025, 7, 1))
    with pytest.raises(ValidationError) as error:
        _pay(
            signed,
            instructor_a,
            kind="balance",
            amount="2341.51",
            proof=pdf_upload(),
            justified_expenses="30000",
            paid_on=date(2025, 7, 1),
        )
    assert error.value.message_dict["amount"][0].startswith(
        "Le solde dû est de 2\u202f341,50\u202f€ (aide de 12\u202f683\u202f€, 30\u202f000\u202f€"
    )
    assert _state(signed) == before


def test_the_balance_follows_the_justified_expenses(signed, instructor_a):
    _pay(signed, instructor_a)
    payment = _pay(
        signed,
        instructor_a,
        kind="balance",
        amount=None,
        proof=pdf_upload("état récapitulatif.pdf"),
        justified_expenses="20000",
        paid_on=date(2026, 2, 27),
    )
    # 50 % of 20,000 € = 10,000 € of aid, 6,341.50 € already paid.
    assert payment.amount == Decimal("3658.50")
    assert payment.proof_name == "état récapitulatif.pdf"
    with payment.proof.open("rb") as stored:
        assert stored.read(5) == b"%PDF-"
    assert not payment.proof.name.endswith("récapitulatif.pdf")
    saved = Application.objects.get(pk=signed.pk)
    assert (saved.status, saved.results_due_on) == ("paid", date(2027, 2, 27))
    assert saved.events.last().text == (
        "Versement du 27/02/2026. Résultats attendus le 27/02/2027."
    )
    with pytest.raises(ValidationError, match="« Soldée — résultats attendus »"):
        _pay(signed, instructor_a, kind="instalment", amount="1")


def test_a_balance_above_what_the_expenses_allow_is_refused(signed, instructor_a):
    _pay(signed, instructor_a)
    before = _state(signed)
    with pytest.raises(ValidationError) as error:
        _pay(
            signed,
            instructor_a,
            kind="balance",
            amount="6341.50",
            proof=pdf_upload(),
            justified_expenses="20000",
        )
    assert error.value.message_dict["amount"] == [
        "Le solde dû est de 3\u202f658,50\u202f€ (aide de 12\u202f683\u202f€, 20\u202f000\u202f€ "
        "de dépenses justifiées, 6\u202f341,50\u202f€ déjà versés) : 6\u202f341,50\u202f€ ne "
        "peuvent être versés."
    ]
    with pytest.raises(ValidationError, match="Aucun solde n'est dû"):
        _pay(
            signed,
            instructor_a,
            kind="balance",
            amount=None,
            proof=pdf_upload(),
            justified_expenses="12000",
        )
    assert _state(signed) == before


def test_the_balance_needs_its_proof_and_the_expenses(signed, instructor_a):
    before = _state(signed)
    with pytest.raises(ValidationError) as error:
        _pay(signed, instructor_a, kind="balance", amount=None)
    assert error.value.message_dict == {
        "proof": ["Le solde est versé sur justificatif des dépenses : joignez-le."],
        "justified_expenses": ["Indiquez les dépenses justifiées."],
    }
    text = SimpleUploadedFile(
        "factures.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    with pytest.raises(ValidationError) as error:
        _pay(signed, instructor_a, kind="balance", proof=text, justified_expenses="25366")
    assert "n'est ni un PDF ni une image PNG ou JPEG" in error.value.message_dict["proof"][0]
    big = SimpleUploadedFile("gros.pdf", b"%PDF-" + b"0" * (11 * 1024 * 1024))
    with pytest.raises(ValidationError) as error:
        _pay(signed, instructor_a, kind="balance", proof=big, justified_expenses="25366")
    assert "10 Mo au plus" in error.value.message_dict["proof"][0]
    assert _state(signed) == before
    assert Payment.objects.count() == 0


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"amount": "-10", "kind": "instalment"}, "amount", "Le montant versé doit être positif."),
        ({"amount": "0", "kind": "instalment"}, "amount", "Le montant versé doit être positif."),
        ({"amount": "1,5"}, "amount", "Le montant n'est pas un nombre."),
        ({"amount": "1.005"}, "amount", "Le montant s'exprime en euros et centimes."),
        (
            {"paid_on": date(2025, 3, 31)},
            "paid_on",
            "Aucun versement avant la signature de la convention (le 01/04/2025).",
        ),
        ({"paid_on": date(2999, 1, 1)}, "paid_on", "La date du versement ne peut être future."),
        ({"kind": "gift"}, "kind", "Choisissez la nature du versement."),
    ],
)
def test_bad_payments_are_refused(signed, instructor_a, fields, field, message):
    before = _state(signed)
    with pytest.raises(ValidationError) as error:
        _pay(signed, instructor_a, **fields)
    assert error.value.message_dict[field] == [message]
    assert _state(signed) == before


def test_nothing_is_paid_before_the_agreement(scheme, company, org_a, instructor_a):
    envelope(scheme)
    application = granted(scheme, company, org_a, instructor_a, signed=False)
    with pytest.raises(ValidationError, match="après la signature de la convention"):
        _pay(application, instructor_a)
    with pytest.raises(ValidationError) as error:
        application_agreement_sign(application=application, signed_on=date(2025, 3, 9), by=None)
    assert error.value.message_dict["signed_on"] == [
        "La convention ne peut être signée avant la décision du 10/03/2025."
    ]
    assert Application.objects.get(pk=application.pk).status == "approved"
    application_agreement_sign(application=application, signed_on=DECIDED, by=instructor_a)
    saved = Application.objects.get(pk=application.pk)
    assert (saved.status, saved.agreement_signed_on) == ("signed", DECIDED)
    assert saved.events.last().title == "Convention signée"
    with pytest.raises(ValidationError, match="seule une aide accordée"):
        application_agreement_sign(application=application, signed_on=SIGNED, by=instructor_a)


def test_add_months_keeps_the_day_or_takes_the_month_end():
    assert add_months(date(2025, 4, 15), 12) == date(2026, 4, 15)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)
