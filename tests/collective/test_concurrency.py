"""Two requests for the last place at the same moment: exactly one company is selected, the
other goes to the waiting list (the action's row is locked: SELECT … FOR UPDATE on
PostgreSQL, IMMEDIATE transactions on SQLite). Two registrations of the same company at the
same moment: one is saved, the other gets the French message, never an IntegrityError."""

import contextlib
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection

from guichet.collective.models import Registration
from guichet.collective.services import registrations as services
from tests.collective.conftest import make_action, register
from tests.companies.conftest import make_company

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _waiting_writer(call):
    """SQLite's busy timeout, which the test database lacks: the suite's in-memory database is
    shared between threads in "shared cache" mode, where a writer meeting another writer's
    lock gets "database table is locked" at once instead of waiting (a file database in WAL
    mode with IMMEDIATE transactions waits up to GUICHET_SQLITE_TIMEOUT). Retrying the whole
    transaction is what that wait amounts to: the transaction that met the lock wrote nothing.
    PostgreSQL waits on the row lock by itself."""
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


def _race(calls) -> list:
    """Run the calls in threads released together; each result is a value or an exception."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = _waiting_writer(call)
        except Exception as error:  # reported to the test
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.fixture
def pavilion(reference, org_a):
    return make_action(org_a, slug="sial-2026-concurrence")


def _applicants(action, org, count):
    sirens = ["552100554", "732829320", "404833048"]
    return [
        register(action, make_company(siren, f"Entreprise {i}", nic=f"0001{i}"), org)
        for i, siren in enumerate(sirens[:count])
    ]


def _widen_the_window(monkeypatch) -> None:
    """Hold each selection between counting the places and taking one until the other has
    counted too (or for one second): without the lock both would count one free place."""
    rendezvous = threading.Barrier(2)
    count = services.places_taken

    def counted_then_wait(action):
        taken = count(action)
        # When the other request waits for our lock, it cannot count yet: go on alone.
        with contextlib.suppress(threading.BrokenBarrierError):
            rendezvous.wait(timeout=1)
        return taken

    monkeypatch.setattr(services, "places_taken", counted_then_wait)


def test_two_selections_for_the_last_place_one_wins_the_other_waits(pavilion, org_a, monkeypatch):
    first, second, third = _applicants(pavilion, org_a, 3)
    services.registration_select(registration=first)  # one of the two places is taken
    _widen_the_window(monkeypatch)
    results = _race(
        [
            lambda: services.registration_select(registration=second).status,
            lambda: services.registration_select(registration=third).status,
        ]
    )
    assert sorted(map(str, results)) == ["selected", "waiting"], results
    statuses = dict(Registration.objects.filter(action=pavilion).values_list("pk", "status"))
    assert sorted(statuses.values()) == ["selected", "selected", "waiting"]
    waiting = Registration.objects.get(action=pavilion, status="waiting")
    assert waiting.waiting_rank == 1


def test_the_same_company_registered_twice_at_once(pavilion, org_a):
    company = make_company("552100554", "Fromagerie de Bourgogne")
    results = _race(
        [
            lambda: register(pavilion, company, org_a, contact_email="a@example.fr").pk,
            lambda: register(pavilion, company, org_a, contact_email="b@example.fr").pk,
        ]
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1, results
    assert isinstance(errors[0], ValidationError)
    assert "déjà inscrite à cette action" in " ".join(errors[0].messages)
    assert Registration.objects.filter(action=pavilion, company=company).count() == 1
