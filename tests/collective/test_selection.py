"""Capacity and the waiting list: places are given while some are free, then the waiting list
grows in order; a freed place goes to rank 1 and the ranks move up; turning down or
cancelling someone on the list renumbers it. The action's registrations block reads the same
number of queries whatever the number of registrations."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guichet.collective.models import Registration
from guichet.collective.selectors_registrations import action_registrations_context
from guichet.collective.services import registrations as services
from tests.collective.conftest import make_action, register
from tests.companies.conftest import make_company

TODAY = date(2026, 7, 1)


def _state(*registrations):
    return [
        (r.status, r.waiting_rank)
        for r in (Registration.objects.get(pk=x.pk) for x in registrations)
    ]


@pytest.fixture
def five(action, org_a):
    sirens = ["552100554", "732829320", "404833048", "542065479", "775672272"]
    return [
        register(action, make_company(siren, f"Entreprise {i}", nic=f"000{10 + i}"), org_a)
        for i, siren in enumerate(sirens)
    ]


def test_places_first_then_the_waiting_list_in_order(action, five):
    for registration in five:
        services.registration_select(registration=registration)
    assert _state(*five) == [
        ("selected", None),
        ("selected", None),
        ("waiting", 1),
        ("waiting", 2),
        ("waiting", 3),
    ]
    assert services.places_left(action) == 0


def test_a_waiting_company_cannot_jump_the_queue_when_full(action, five):
    for registration in five[:3]:
        services.registration_select(registration=registration)
    with pytest.raises(ValidationError, match=r"Les 2 places sont prises .* \(rang 1\)"):
        services.registration_select(registration=five[2])


def test_a_freed_place_goes_to_rank_one_and_the_ranks_move_up(
    action, five, django_capture_on_commit_callbacks
):
    for registration in five:
        services.registration_select(registration=registration)
    services.registration_confirm(registration=five[0], today=TODAY)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=five[0], reason="Empêchement", today=TODAY)
    assert _state(*five) == [
        ("cancelled", None),
        ("selected", None),
        ("selected", None),
        ("waiting", 1),
        ("waiting", 2),
    ]
    promoted = Registration.objects.get(pk=five[2].pk)
    assert promoted.selected_at is not None
    assert promoted.events.filter(title__contains="une place s'est libérée").exists()
    subjects = [m.subject for m in mail.outbox]
    assert f"Une place s'est libérée : votre entreprise est retenue pour « {action.title} »" in (
        subjects
    )


def test_leaving_the_waiting_list_renumbers_it(action, five):
    for registration in five:
        services.registration_select(registration=registration)
    services.registration_not_select(registration=five[2], reason="Hors filière")
    assert _state(*five[2:]) == [("not_selected", None), ("waiting", 1), ("waiting", 2)]
    services.registration_cancel(registration=five[3], reason="Plus intéressée", today=TODAY)
    assert _state(*five[3:]) == [("cancelled", None), ("waiting", 1)]


def test_putting_on_the_waiting_list_by_hand_takes_the_next_rank(action, five):
    services.registration_wait(registration=five[0])
    services.registration_wait(registration=five[1])
    services.registration_wait(registration=five[1])  # already there: unchanged
    assert _state(*five[:2]) == [("waiting", 1), ("waiting", 2)]
    # Places are free: selecting from the list takes one and renumbers it.
    services.registration_select(registration=five[1])
    assert _state(*five[:2]) == [("waiting", 1), ("selected", None)]


def test_no_promotion_once_the_action_is_over(action, five):
    for registration in five[:3]:
        services.registration_select(registration=registration)
    services.registration_cancel(registration=five[0], reason="x", today=date(2026, 10, 23))
    assert _state(five[2]) == [("waiting", 1)]


def test_not_selecting_needs_a_reason(action, five):
    with pytest.raises(ValidationError, match="Indiquez le motif"):
        services.registration_not_select(registration=five[0], reason="  ")


def test_the_registrations_block_reads_a_fixed_number_of_queries(reference, org_a, manager_org_a):
    small = make_action(org_a, slug="petite", capacity=10)
    large = make_action(org_a, slug="grande", capacity=10)
    sirens = ["552100554", "732829320", "404833048", "542065479", "775672272", "130005481"]
    firms = [make_company(s, f"Entreprise {i}", nic=f"000{10 + i}") for i, s in enumerate(sirens)]
    for firm in firms[:2]:
        register(small, firm, org_a)
    for firm in firms:
        register(large, firm, org_a)
    action_registrations_context(small, manager_org_a)  # the user's roles, read once
    counts = []
    for action in (small, large):
        with CaptureQueriesContext(connection) as queries:
            context = action_registrations_context(action, manager_org_a)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert context["total"] == 6
    assert context["places_left"] == 10
