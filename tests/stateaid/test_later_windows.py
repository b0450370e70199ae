"""A grant dated before aids already recorded weighs on their windows too."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from guichet.stateaid.models import StateAidGrant
from guichet.stateaid.services import ceiling_problem, state_aid_grant_record
from tests.companies.conftest import make_company


def _grant(company, day, amount, source="platform_aid"):
    return state_aid_grant_record(
        company=company,
        granted_on=day,
        amount=Decimal(amount),
        regulation="de_minimis",
        granting_body="Région",
        source=source,
        description="Aide",
    )


@pytest.fixture
def company(reference):
    return make_company("552100554", "Fromagerie de Bourgogne")


def test_a_back_dated_grant_is_refused_when_a_later_window_would_exceed(company):
    _grant(company, date(2025, 6, 1), "290000")
    # On 1 January 2025 nothing was granted yet, but the window ending on 1 June 2025 would
    # hold 310,000 €.
    with pytest.raises(ValidationError) as refused:
        _grant(company, date(2025, 1, 1), "20000")
    message = refused.value.message_dict["amount"][0]
    assert "01/06/2025" in message
    assert "290\u202f000\u202f€" in message
    assert StateAidGrant.objects.count() == 1


def test_a_grant_three_years_before_a_later_aid_does_not_weigh_on_it(company):
    _grant(company, date(2025, 6, 1), "290000")
    # Granted on 1 June 2022, it counts until 31 May 2025: never in the same window.
    assert (
        ceiling_problem(
            company=company, regulation="de_minimis", amount=Decimal("20000"), at=date(2022, 6, 1)
        )
        is None
    )
    # Granted on 2 June 2022, it still counts on 1 June 2025.
    assert ceiling_problem(
        company=company, regulation="de_minimis", amount=Decimal("20000"), at=date(2022, 6, 2)
    )
