"""Two requests for the last place at the same moment: exactly one company is selected, the
other goes to the waiting list (the action's row is locked: SELECT … FOR UPDATE on
PostgreSQL, IMMEDIATE transactions on SQLite; see tests/concurrency.py). Two registrations of
the same company at the same moment: one is saved, the other gets the French message, never an
IntegrityError."""

import contextlib
import threading

import pytest
from django.core.exceptions import ValidationError

from guichet.collective.models import Registration
from guichet.collective.services import registrations as services
from tests.collective.conftest import make_action, register
from tests.companies.conftest import make_company
from tests.concurrency import race

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


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
    results = race(
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
    results = race(
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
