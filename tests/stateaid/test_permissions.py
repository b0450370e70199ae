"""The ledger's predicates with the fixed cast: who reads the ledger, who declares, who links
companies, cancels lines and exports the register."""

import pytest
from django.contrib.auth.models import AnonymousUser

from guichet.stateaid import permissions
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(admin_user, advisor_a, advisor_b, readonly_a, manager_a, instructor_b, org_b):
    return {
        "admin": admin_user,
        "advisor_a": advisor_a,
        "advisor_b": advisor_b,
        "readonly_a": readonly_a,
        "manager_a": manager_a,
        "instructor_b": instructor_b,
        "readonly_instructor_b": make_user(
            "rita.lecture@test.example", org_b, ["instructor", "readonly"]
        ),
        "anonymous": AnonymousUser(),
    }


EXPECTED = {
    #                       view   declare manage  cancel  export
    "admin": (True, True, True, True, True),
    "advisor_a": (True, True, False, False, False),
    "advisor_b": (True, True, False, False, False),
    "readonly_a": (True, False, False, False, False),
    "manager_a": (True, True, True, True, True),
    "instructor_b": (True, True, True, True, True),
    "readonly_instructor_b": (True, False, False, False, False),
    "anonymous": (False, False, False, False, False),
}


@pytest.mark.parametrize("who", EXPECTED)
def test_who_may_do_what(cast, company, who):
    user = cast[who]
    seen = (
        permissions.can_view_ledger(user, company),
        permissions.can_declare_aid(user, company),
        permissions.can_manage_undertakings(user),
        permissions.can_cancel_grant(user),
        permissions.can_export_register(user),
    )
    assert seen == EXPECTED[who]
    assert permissions.can_view_undertakings(user) == EXPECTED[who][0]


def test_an_inactive_member_sees_nothing(instructor_b, company):
    instructor_b.is_active = False
    assert not permissions.can_view_ledger(instructor_b, company)
    assert not permissions.can_manage_undertakings(instructor_b)
