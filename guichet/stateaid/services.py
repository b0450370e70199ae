"""Writes to the state-aid ledger. Every capability that grants an aid (individual aids,
collective actions, free services) records it here through `state_aid_grant_record`, which
refuses an aid that would exceed a ceiling of the company's single undertaking."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from guichet.stateaid import selectors
from guichet.stateaid.models import GrantSource, Regulation, StateAidGrant


def _euros(amount: Decimal) -> str:
    whole = f"{amount:,.2f}".replace(",", " ").replace(".", ",")
    return whole.removesuffix(",00") + " €"


def ceiling_problem(*, company, regulation: str, amount: Decimal, at: date) -> str | None:
    """The French message explaining why `amount` under `regulation` granted at `at` would
    exceed a ceiling, with the figures; None when it fits."""
    for position in selectors.positions_at(company, at=at):
        if position.regulation != regulation or position.headroom is None:
            continue
        if amount > position.headroom:
            return (
                f"Plafond dépassé : {_euros(amount)} demandés au titre du "
                f"{Regulation(regulation).label}, alors que l'entreprise unique a déjà reçu "
                f"{_euros(position.ceiling - position.headroom)} sur les trois ans se terminant "
                f"le {at:%d/%m/%Y} pour un plafond de {_euros(position.ceiling)} : il reste "
                f"{_euros(position.headroom)}."
            )
    return None


def state_aid_grant_record(
    *,
    company,
    granted_on: date,
    amount: Decimal,
    regulation: str,
    granting_body: str,
    source: str,
    description: str,
    source_ref: str = "",
    eligible_costs: Decimal | None = None,
    cost_category: str = "",
    by=None,
    check_ceiling: bool = True,
) -> StateAidGrant:
    """Record one aid. Aids declared by the company (received elsewhere) are facts and are not
    checked against the ceiling; everything this platform grants is."""
    errors: dict[str, list[str]] = {}
    amount = Decimal(amount)
    if amount < 0:
        errors["amount"] = ["Le montant ne peut pas être négatif."]
    if regulation not in Regulation.values:
        errors["regulation"] = [f"Le règlement « {regulation} » n'existe pas."]
    if source not in GrantSource.values:
        errors["source"] = [f"L'origine « {source} » n'existe pas."]
    if not (granting_body or "").strip():
        errors["granting_body"] = ["Indiquez l'organisme qui accorde l'aide."]
    if not (description or "").strip():
        errors["description"] = ["Indiquez l'objet de l'aide."]
    if eligible_costs is not None and eligible_costs < 0:
        errors["eligible_costs"] = ["Les coûts admissibles ne peuvent pas être négatifs."]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if check_ceiling and source != GrantSource.DECLARED:
            problem = ceiling_problem(
                company=company, regulation=regulation, amount=amount, at=granted_on
            )
            if problem:
                raise ValidationError({"amount": [problem]})
        return StateAidGrant.objects.create(
            company=company,
            granted_on=granted_on,
            amount=amount,
            regulation=regulation,
            granting_body=granting_body.strip()[:200],
            source=source,
            description=description.strip()[:300],
            source_ref=source_ref,
            eligible_costs=eligible_costs,
            cost_category=cost_category,
            recorded_by=by,
        )


def state_aid_grant_cancel(*, grant: StateAidGrant, reason: str, by=None) -> StateAidGrant:
    """The line stays in the ledger, marked cancelled: it no longer counts."""
    if not (reason or "").strip():
        raise ValidationError({"reason": ["Indiquez pourquoi l'aide est annulée."]})
    if grant.cancelled_at is None:
        grant.cancelled_at = timezone.now()
        grant.cancelled_reason = reason.strip()[:300]
        grant.save(update_fields=["cancelled_at", "cancelled_reason"])
    return grant


def state_aid_grants_cancel_for(*, source_ref: str, reason: str, by=None) -> int:
    """Cancel every live line written for `source_ref` (a withdrawn aid, a cancelled
    participation). Returns how many were cancelled."""
    count = 0
    for grant in StateAidGrant.objects.filter(source_ref=source_ref, cancelled_at__isnull=True):
        state_aid_grant_cancel(grant=grant, reason=reason, by=by)
        count += 1
    return count
