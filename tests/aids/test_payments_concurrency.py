"""Two people entering at the same moment a payment, or a decision, that only one of them may
make: the row locks make the second wait and then see the first (PostgreSQL; SQLite's
in-memory test database cannot be shared by threads, and its IMMEDIATE transactions serialize
writers anyway)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from guichet.aids import letters
from guichet.aids.models import Application, Payment
from guichet.aids.services.committee import application_decide
from guichet.aids.services.payments import payment_record
from tests.aids.money_factories import DECIDED, envelope, granted, proposed
from tests.companies.conftest import make_company
from tests.concurrency import race

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _no_letters(monkeypatch):
    monkeypatch.setattr(letters, "decision_letter_store", lambda **kwargs: None)
    monkeypatch.setattr(letters, "decision_letter_send_on_commit", lambda **kwargs: None)


def test_two_payments_at_once_cannot_both_pass(scheme, company, org_a, instructor_a):
    from datetime import date

    envelope(scheme)
    application = granted(scheme, company, org_a, instructor_a)

    def pay():
        return payment_record(
            application=application,
            kind="instalment",
            amount="8000",
            paid_on=date(2025, 5, 2),
            by=instructor_a,
        )

    outcomes = race([pay, pay])
    assert sorted(type(o).__name__ for o in outcomes) == ["Payment", "ValidationError"]
    refusal = next(o for o in outcomes if isinstance(o, ValidationError))
    assert "déjà versé 8\u202f000\u202f€" in refusal.message_dict["amount"][0]
    assert list(Payment.objects.values_list("amount", flat=True)) == [Decimal("8000.00")]


def test_two_decisions_at_once_cannot_both_take_the_last_euros(
    scheme, company, org_a, instructor_a
):
    envelope(scheme, amount="12000")
    first = proposed(scheme, company, org_a, amount="8000")
    second = proposed(scheme, make_company("732829320", "Tissages de Lyon"), org_a, amount="8000")

    def decide(application):
        return lambda: application_decide(
            application=application,
            decision="approved",
            amount="8000",
            decided_on=DECIDED,
            by=instructor_a,
        )

    outcomes = race([decide(first), decide(second)])
    assert sorted(type(o).__name__ for o in outcomes) == ["Application", "ValidationError"]
    assert Application.objects.filter(status="approved").count() == 1
    assert Application.objects.filter(status="committee").count() == 1
