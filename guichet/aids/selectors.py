"""Reads of individual aids: the envelope position of a scheme for a year, the applications a
member may list, one application with everything its page shows."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from guichet.aids.models import AidScheme, Application, BudgetEnvelope, Payment
from guichet.aids.services.states import GRANTED

ZERO = Decimal("0")


@dataclass(frozen=True)
class EnvelopePosition:
    """Where a scheme's budget of one year stands.

    - `amount`: the envelope voted for the year (None: no envelope recorded);
    - `committed`: the sum of `granted_amount` of the applications granted (approved, signed,
      paying, paid, closed) whose decision is dated that year — a commitment belongs to the
      year it was decided, whenever it is paid;
    - `paid`: the sum of the payments made on those same applications (whatever the payment
      date), so `paid <= committed` always holds while payments never exceed the grant;
    - `remaining`: `amount − committed` (None without an envelope); negative only if the
      envelope was lowered after decisions.
    """

    scheme: AidScheme
    year: int
    amount: Decimal | None
    committed: Decimal
    paid: Decimal
    remaining: Decimal | None

    @property
    def to_pay(self) -> Decimal:
        """Committed but not yet paid."""
        return self.committed - self.paid


def granted_in_year(scheme: AidScheme, year: int):
    """The applications whose grant counts against the scheme's envelope of `year`."""
    return Application.objects.filter(scheme=scheme, status__in=GRANTED, decided_on__year=year)


def envelope_position(scheme: AidScheme, year: int) -> EnvelopePosition:
    """Commitments and payments of `scheme`'s envelope of `year` (see EnvelopePosition)."""
    granted = granted_in_year(scheme, year)
    committed = granted.aggregate(total=Sum("granted_amount"))["total"] or ZERO
    paid = (
        Payment.objects.filter(application__in=granted.values("pk")).aggregate(total=Sum("amount"))[
            "total"
        ]
        or ZERO
    )
    envelope = BudgetEnvelope.objects.filter(scheme=scheme, year=year).only("amount").first()
    amount = envelope.amount if envelope else None
    return EnvelopePosition(
        scheme=scheme,
        year=year,
        amount=amount,
        committed=committed,
        paid=paid,
        remaining=amount - committed if amount is not None else None,
    )
