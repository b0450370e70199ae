"""Two people entering at the same moment a payment, or a decision, that only one of them may
make: the row locks make the second wait and then see the first (PostgreSQL; SQLite's
in-memory test database cannot be shared by threads, and its IMMEDIATE transactions serialize
writers anyway)."""

import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, connections

from guichet.aids import letters
from guichet.aids.models import Application, Payment
from guichet.aids.services.committee import application_decide
from guichet.aids.services.payments import payment_record
from tests.aids.money_factories import DECIDED, envelope, granted, proposed
from tests.companies.conftest import make_company

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _waiting_writer(call):
    """SQLite's busy wait, which the test database lacks: the suite's in-memory database is
    shared between threads in "shared cache" mode, where a writer meeting another writer's lock
    gets "database table is locked" at once instead of waiting. Retrying the whole transaction
    is what the wait amounts to (the transaction that met the lock wrote nothing). PostgreSQL
    waits on the row lock by itself."""
    if connection.vendor != "sqlite":
        return call()
    deadline = time.monotonic() + 20
    while True:
        try:
            return call()
        except OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.005)


@pytest.fixture(autouse=True)
def _no_letters(monkeypatch):
    monkeypatch.setattr(letters, "decision_letter_store", lambda **kwargs: None)
    monkeypatch.setattr(letters, "decision_letter_send_on_commit", lambda **kwargs: None)


def _together(*calls) -> list:
    """Run the calls in threads released at the same moment; their results or errors."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = _waiting_writer(call)
        except ValidationError as error:
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


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

    outcomes = _together(pay, pay)
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

    outcomes = _together(decide(first), decide(second))
    assert sorted(type(o).__name__ for o in outcomes) == ["Application", "ValidationError"]
    assert Application.objects.filter(status="approved").count() == 1
    assert Application.objects.filter(status="committee").count() == 1
