"""The envelope position of a scheme for a year: what was committed (granted amounts decided
that year), what was paid on those grants, what remains."""

from datetime import date
from decimal import Decimal

from guichet.aids.models import Payment
from guichet.aids.selectors import envelope_position
from tests.aids.conftest import make_application
from tests.companies.conftest import make_company


def _granted(scheme, company, org, *, amount, decided_on, status="approved"):
    return make_application(
        scheme,
        company,
        org,
        status=status,
        granted_amount=Decimal(amount),
        decided_on=decided_on,
    )


def test_commitments_and_payments_of_the_year(scheme, company, org_a):
    year = date.today().year
    first = _granted(scheme, company, org_a, amount="10000", decided_on=date(year, 2, 1))
    _granted(scheme, company, org_a, amount="5000.50", decided_on=date(year, 3, 1), status="paying")
    # Decided the year before, pending, rejected: none counts.
    _granted(scheme, company, org_a, amount="7000", decided_on=date(year - 1, 12, 31))
    _granted(scheme, company, org_a, amount="9000", decided_on=None, status="committee")
    _granted(scheme, company, org_a, amount="9000", decided_on=date(year, 4, 1), status="rejected")
    Payment.objects.create(
        application=first, kind="advance", amount=Decimal("3000"), paid_on=date(year + 1, 1, 5)
    )

    position = envelope_position(scheme, year)

    assert position.amount == Decimal("500000")
    assert position.committed == Decimal("15000.50")
    assert position.paid == Decimal("3000")
    assert position.remaining == Decimal("484999.50")
    assert position.to_pay == Decimal("12000.50")


def test_a_year_without_envelope_has_no_remaining(scheme, reference, org_a):
    company = make_company("732829320", "Tonnellerie")
    _granted(scheme, company, org_a, amount="1000", decided_on=date(2019, 5, 1))
    position = envelope_position(scheme, 2019)
    assert (position.amount, position.committed, position.paid, position.remaining) == (
        None,
        Decimal("1000"),
        Decimal("0"),
        None,
    )
