"""Agreement and payments of a granted aid.

Rules:
- the agreement is signed after the decision; nothing is paid before it;
- the total paid never exceeds the amount granted (the file's row is locked while a payment
  is checked and written, so two payments entered at the same moment cannot both pass);
- one advance at most, as the first payment, of at most ADVANCE_MAX_SHARE of the grant;
- the balance is paid on proof of the expenses: the aid follows the real expenses, so the
  whole aid is at most rate × justified expenses, and the balance is that minus what was
  already paid (never more than the grant left to pay);
- after the balance the file waits for its results, due RESULTS_DELAY_MONTHS later.
"""

import calendar
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from guichet.aids.models import Application, Payment
from guichet.aids.models import ApplicationStatus as S
from guichet.aids.services.documents import ACCEPTED, clean_original_name, upload_problem
from guichet.aids.services.states import application_log, application_move
from guichet.core.money import euros

# Regional schemes commonly pay up to half of the grant in advance at the signature of the
# agreement (DOMAIN.md: Assurance Prospection's 50 % advance; regional conventions alike).
ADVANCE_MAX_SHARE = Decimal("0.50")
# Results (jobs, export revenue, markets) are reported one year after the balance.
RESULTS_DELAY_MONTHS = 12
PAYABLE = (S.SIGNED, S.PAYING)
PAID_TITLES = {"advance": "Avance versée", "instalment": "Acompte versé", "balance": "Solde versé"}
CENT = Decimal("0.01")


def add_months(day: date, months: int) -> date:
    """Same day `months` later; the last day of the month when it is shorter (29 Feb → 28)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def applicable_rate(application: Application) -> Decimal:
    scheme = application.scheme
    if application.is_extension and scheme.extension_rate is not None:
        return scheme.extension_rate
    return scheme.rate


def proof_content_type(head: bytes) -> str:
    """The type of a stored proof, from its first bytes."""
    kind = next((k for k in ACCEPTED if head.startswith(k.signature)), None)
    return kind.content_type if kind else "application/octet-stream"


def _lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("scheme", "company", "organisation")
        .get(pk=application.pk)
    )


def _check_day(field: str, day: date | None, label: str) -> None:
    if day is None:
        raise ValidationError({field: [f"Indiquez la date {label}."]})
    if day > timezone.localdate():
        raise ValidationError({field: [f"La date {label} ne peut être future."]})


def application_agreement_sign(*, application: Application, signed_on: date, by) -> Application:
    """The agreement is signed: payments may start."""
    _check_day("signed_on", signed_on, "de signature")
    with transaction.atomic():
        locked = _lock(application)
        if locked.status != S.APPROVED:
            raise ValidationError(
                {
                    "signed_on": [
                        f"Le dossier est « {locked.get_status_display()} » : seule une aide "
                        "accordée reçoit sa convention."
                    ]
                }
            )
        if locked.decided_on and signed_on < locked.decided_on:
            raise ValidationError(
                {
                    "signed_on": [
                        "La convention ne peut être signée avant la décision du "
                        f"{locked.decided_on:%d/%m/%Y}."
                    ]
                }
            )
        locked.agreement_signed_on = signed_on
        locked.save(update_fields=["agreement_signed_on", "updated_at"])
        application_move(
            application=locked,
            to=S.SIGNED,
            by=by,
            title="Convention signée",
            text=f"Signée le {signed_on:%d/%m/%Y}.",
        )
    return locked


def _decimal(field: str, value, label: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({field: [f"{label} n'est pas un nombre."]}) from None
    if not number.is_finite() or number != number.quantize(CENT):
        raise ValidationError({field: [f"{label} s'exprime en euros et centimes."]})
    return number


def _balance_due(application: Application, justified: Decimal, paid: Decimal) -> Decimal:
    """The aid follows the real expenses: rate × justified, within the grant, minus what was
    already paid."""
    aid = min(application.granted_amount, (applicable_rate(application) * justified))
    return (aid.quantize(CENT) - paid).quantize(CENT)


def _amount_problem(
    application: Application,
    kind: str,
    amount: Decimal | None,
    justified: Decimal | None,
    paid: Decimal,
    payments,
) -> tuple[Decimal | None, str | None]:
    """(the amount to pay, or None; the French reason it cannot be paid, or None)."""
    granted = application.granted_amount
    left = granted - paid
    if kind == Payment.Kind.BALANCE:
        due = _balance_due(application, justified, paid)
        if due <= 0:
            return None, (
                f"Aucun solde n'est dû : {euros(justified)} de dépenses justifiées à "
                f"{applicable_rate(application) * 100:.0f} % donnent "
                f"{euros(min(granted, applicable_rate(application) * justified))}, "
                f"et {euros(paid)} ont déjà été versés."
            )
        amount = due if amount is None else amount
        if amount > due:
            return None, (
                f"Le solde dû est de {euros(due)} (aide de {euros(granted)}, "
                f"{euros(justified)} de dépenses justifiées, {euros(paid)} déjà versés) : "
                f"{euros(amount)} ne peuvent être versés."
            )
    if amount is None:
        return None, "Indiquez le montant versé."
    if amount <= 0:
        return None, "Le montant versé doit être positif."
    if amount > left:
        return None, (
            f"Versement impossible : {euros(amount)} dépasseraient l'aide accordée. "
            f"Accordé {euros(granted)}, déjà versé {euros(paid)}, reste {euros(left)}."
        )
    if kind == Payment.Kind.ADVANCE:
        ceiling = (granted * ADVANCE_MAX_SHARE).quantize(CENT)
        if payments:
            return None, "L'avance est le premier versement : elle n'est plus possible."
        if amount > ceiling:
            return None, (
                f"L'avance est limitée à {ADVANCE_MAX_SHARE * 100:.0f} % de l'aide accordée, "
                f"soit {euros(ceiling)} ; {euros(amount)} demandés."
            )
    if kind == Payment.Kind.INSTALMENT:
        if amount >= left:
            return None, (
                "Un acompte ne peut solder l'aide : le dernier versement est le solde, "
                f"sur justificatifs (reste {euros(left)})."
            )
        if justified is not None:
            allowed = (applicable_rate(application) * justified).quantize(CENT) - paid
            if amount > allowed:
                return None, (
                    f"Cet acompte dépasse la part des dépenses justifiées : au plus "
                    f"{euros(max(allowed, Decimal('0')))}."
                )
    return amount, None


def _payment_errors(locked, kind, amount, paid_on, proof, justified) -> dict:
    errors: dict[str, list[str]] = {}
    if kind not in Payment.Kind.values:
        errors["kind"] = ["Choisissez la nature du versement."]
    if locked.agreement_signed_on and paid_on < locked.agreement_signed_on:
        errors["paid_on"] = [
            "Aucun versement avant la signature de la convention "
            f"(le {locked.agreement_signed_on:%d/%m/%Y})."
        ]
    if justified is not None and justified <= 0:
        errors["justified_expenses"] = ["Les dépenses justifiées doivent être positives."]
    if kind == Payment.Kind.BALANCE:
        if proof is None:
            errors["proof"] = ["Le solde est versé sur justificatif des dépenses : joignez-le."]
        if justified is None:
            errors.setdefault("justified_expenses", ["Indiquez les dépenses justifiées."])
    if proof is not None:
        problem = upload_problem(proof)
        if problem:
            errors["proof"] = [problem]
    return errors


def payment_record(
    *,
    application: Application,
    kind: str,
    amount=None,
    paid_on: date,
    proof=None,
    justified_expenses=None,
    comment: str = "",
    by,
) -> Payment:
    """Record one payment of a signed aid. `amount` may be left out for the balance: it is
    then computed from the justified expenses."""
    _check_day("paid_on", paid_on, "du versement")
    amount = _decimal("amount", amount, "Le montant")
    justified = _decimal("justified_expenses", justified_expenses, "Le montant des dépenses")
    with transaction.atomic():
        locked = _lock(application)
        if locked.status not in PAYABLE:
            raise ValidationError(
                {
                    "kind": [
                        f"Le dossier est « {locked.get_status_display()} » : les versements "
                        "commencent après la signature de la convention et s'arrêtent au solde."
                    ]
                }
            )
        errors = _payment_errors(locked, kind, amount, paid_on, proof, justified)
        if errors:
            raise ValidationError(errors)
        payments = list(locked.payments.order_by("paid_on", "pk"))
        paid = sum((p.amount for p in payments), Decimal("0"))
        amount, problem = _amount_problem(locked, kind, amount, justified, paid, payments)
        if problem:
            raise ValidationError({"amount": [problem]})
        last = max((p.paid_on for p in payments), default=None)
        if kind == Payment.Kind.BALANCE and last and paid_on < last:
            raise ValidationError(
                {"paid_on": [f"Le solde ne peut précéder le dernier versement ({last:%d/%m/%Y})."]}
            )
        payment = Payment(
            application=locked,
            kind=kind,
            amount=amount,
            paid_on=paid_on,
            justified_expenses=justified,
            comment=(comment or "").strip()[:300],
            recorded_by=by,
        )
        if proof is not None:
            payment.proof = proof
            payment.proof_name = clean_original_name(getattr(proof, "name", ""))
        payment.save()
        _after_payment(locked, payment, by)
    return payment


def _after_payment(application: Application, payment: Payment, by) -> None:
    title = f"{PAID_TITLES[payment.kind]} : {euros(payment.amount)}"
    text = f"Versement du {payment.paid_on:%d/%m/%Y}."
    if payment.kind == Payment.Kind.BALANCE:
        application.results_due_on = add_months(payment.paid_on, RESULTS_DELAY_MONTHS)
        application.save(update_fields=["results_due_on", "updated_at"])
        text += f" Résultats attendus le {application.results_due_on:%d/%m/%Y}."
        application_move(application=application, to=S.PAID, by=by, title=title, text=text)
    elif application.status == S.SIGNED:
        application_move(application=application, to=S.PAYING, by=by, title=title, text=text)
    else:
        application_log(application=application, title=title, text=text, by=by)
