"""Reads of the money side of individual aids: a scheme's yearly envelope (committed, paid,
remaining), its reconciliation with the files, and what the application page shows once a
decision is taken (agreement, payments, results, and what this user may do next).

Accounting rule (BudgetEnvelope): the commitments of a scheme's envelope for a year are the
amounts granted by decisions dated that year, on files still granted (an aid withdrawn after
its approval is no longer committed); its payments are what was paid on those files.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear

from guichet.aids import permissions
from guichet.aids.models import Application, BudgetEnvelope, Payment
from guichet.aids.models import ApplicationStatus as S
from guichet.aids.selectors import EnvelopePosition, envelope_position, granted_in_year
from guichet.aids.services.states import GRANTED
from guichet.core.money import euros

ZERO = Decimal("0")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class EnvelopeRow:
    """One line of the envelopes page: guichet.aids.selectors.EnvelopePosition's figures and
    the number of files granted."""

    scheme_id: int
    scheme_name: str
    year: int
    amount: Decimal
    committed: Decimal
    paid: Decimal
    files: int

    @property
    def remaining(self) -> Decimal:
        return self.amount - self.committed

    @property
    def to_pay(self) -> Decimal:
        return self.committed - self.paid


def envelopes_table(*, schemes, year: int | None = None) -> list[EnvelopeRow]:
    """Every envelope of `schemes` (a queryset), optionally of one year, with its figures —
    three queries whatever the number of envelopes."""
    envelopes = BudgetEnvelope.objects.filter(scheme__in=schemes).select_related("scheme")
    if year is not None:
        envelopes = envelopes.filter(year=year)
    envelopes = list(envelopes.order_by("-year", "scheme__name", "scheme_id"))
    scheme_ids = {e.scheme_id for e in envelopes}
    granted = (
        Application.objects.filter(
            scheme_id__in=scheme_ids, status__in=GRANTED, decided_on__isnull=False
        )
        .annotate(year=ExtractYear("decided_on"))
        .values("scheme_id", "year")
        .annotate(total=Sum("granted_amount"), files=Count("pk"))
        .order_by()
    )
    paid = (
        Payment.objects.filter(
            application__scheme_id__in=scheme_ids,
            application__status__in=GRANTED,
            application__decided_on__isnull=False,
        )
        .annotate(year=ExtractYear("application__decided_on"))
        .values("application__scheme_id", "year")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    committed = {(r["scheme_id"], r["year"]): r for r in granted}
    payments = {(r["application__scheme_id"], r["year"]): r["total"] for r in paid}
    rows = []
    for envelope in envelopes:
        key = (envelope.scheme_id, envelope.year)
        row = committed.get(key, {})
        rows.append(
            EnvelopeRow(
                scheme_id=envelope.scheme_id,
                scheme_name=envelope.scheme.name,
                year=envelope.year,
                amount=envelope.amount,
                committed=(row.get("total") or ZERO).quantize(CENT),
                paid=(payments.get(key) or ZERO).quantize(CENT),
                files=row.get("files", 0),
            )
        )
    return rows


@dataclass
class Reconciliation:
    position: EnvelopePosition
    files: int
    granted_sum: Decimal
    payments_sum: Decimal
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def envelope_reconciliation(scheme, year: int) -> Reconciliation:
    """Check the envelope's figures against the files one by one: commitments = the sum of
    the amounts granted, payments = the sum of every payment of those files, no file paid
    above its grant, remaining = envelope − commitments. Problems are listed in French."""
    position = envelope_position(scheme, year)
    files = list(
        granted_in_year(scheme, year)
        .annotate(paid=Sum("payments__amount"))
        .values_list("reference", "granted_amount", "paid")
        .order_by("pk")
    )
    granted_sum = sum((granted or ZERO for _, granted, _ in files), ZERO)
    count = len(files)
    payments_sum = sum((paid or ZERO for _, _, paid in files), ZERO)
    problems = []
    if granted_sum != position.committed:
        problems.append(
            f"Engagements {euros(position.committed)} ≠ somme des montants accordés "
            f"{euros(granted_sum)}."
        )
    if payments_sum != position.paid:
        problems.append(
            f"Versements {euros(position.paid)} ≠ somme des paiements {euros(payments_sum)}."
        )
    for reference, granted, paid in files:
        if granted is None or granted <= 0:
            problems.append(f"Le dossier {reference} est accordé sans montant.")
        elif (paid or ZERO) > granted:
            problems.append(
                f"Le dossier {reference} a reçu {euros(paid)} pour {euros(granted)} accordés."
            )
    if position.amount is not None and position.remaining != position.amount - granted_sum:
        problems.append("Le reste à engager ne correspond pas à l'enveloppe moins les engagements.")
    stray = Payment.objects.filter(
        application__scheme_id=scheme.pk, application__decided_on__year=year
    ).exclude(application__status__in=GRANTED)
    if stray.exists():
        problems.append("Des paiements portent sur des dossiers qui ne sont pas accordés.")
    shown = envelopes_table(schemes=[scheme], year=year)
    if shown and (shown[0].committed, shown[0].paid, shown[0].files) != (
        position.committed,
        position.paid,
        count,
    ):
        problems.append("Le tableau des enveloppes ne donne pas les mêmes chiffres.")
    return Reconciliation(position, count, granted_sum, payments_sum, problems)


# --- the application page ---------------------------------------------------------------------


def can_report_results(user, application) -> bool:
    """The results are reported by the provider's instructors or by the organisation that
    follows the file (it is in touch with the company)."""
    if permissions.can_instruct(user, application):
        return True
    return bool(
        permissions.can_withdraw(user, application)
        and user.organisation_id == application.organisation_id
    )


def paid_total(application) -> Decimal:
    return application.payments.aggregate(total=Sum("amount"))["total"] or ZERO


def payments_context(application, user) -> dict:
    """What `aids/detail/_after_decision.html` shows: the decision, the letter, the
    agreement, the payments with paid/remaining, the results, and the actions allowed."""
    full = permissions.can_view_application(user, application)
    payments = list(application.payments.order_by("paid_on", "pk")) if full else []
    paid = sum((p.amount for p in payments), ZERO) if full else paid_total(application)
    granted = application.granted_amount or ZERO
    status = application.status
    may_pay = permissions.can_pay(user, application)
    has_advance = any(p.kind == Payment.Kind.ADVANCE for p in payments)
    return {
        "application": application,
        "full": full,
        "approved": status in GRANTED,
        "rejected": status == S.REJECTED,
        "withdrawn_after_approval": status == S.WITHDRAWN and application.decided_on is not None,
        "granted": granted,
        "paid": paid,
        "remaining": max(granted - paid, ZERO) if status in GRANTED else ZERO,
        "paid_percent": int(paid * 100 / granted) if granted else 0,
        "payments": payments,
        "has_advance": has_advance,
        # Letters of files decided before they were kept are produced on first download.
        "letter_available": full and application.decided_on is not None and status != S.COMMITTEE,
        "markets": list(application.markets_opened.order_by("sort_name"))
        if status == S.CLOSED
        else [],
        "can_sign": may_pay and status == S.APPROVED,
        "can_pay": may_pay and status in (S.SIGNED, S.PAYING),
        "can_report": can_report_results(user, application) and status == S.PAID,
    }
