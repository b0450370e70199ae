"""Writes to the state-aid ledger. Every capability that grants an aid (individual aids,
collective actions, free services) records it here through `state_aid_grant_record`, which
refuses an aid that would exceed a ceiling of the company's single undertaking."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from guichet.core.money import euros
from guichet.journeys.services import TITLE_MAX_LENGTH, timeline_event_record
from guichet.stateaid import rules, selectors
from guichet.stateaid.models import (
    GrantSource,
    Regulation,
    StateAidGrant,
    UndertakingGroup,
    UndertakingMembership,
)


def _euros(amount: Decimal) -> str:
    return euros(amount)


def ceiling_problem(*, company, regulation: str, amount: Decimal, at: date) -> str | None:
    """The French message explaining why `amount` under `regulation` granted at `at` would
    exceed a ceiling, with the figures; None when it fits.

    An aid granted at `at` weighs on every three-year window that contains it: the one ending
    at `at`, and those ending at the dates of aids already recorded after it (until its third
    anniversary). The check is made at each of those dates."""
    # Every line that can fall in one of those windows, read once.
    lines = list(
        selectors.grants_of_undertaking(company)
        .filter(granted_on__gte=rules.window_start(at), granted_on__lt=rules.anniversary(at))
        .values_list("granted_on", "amount", "regulation")
    )
    later = sorted({granted_on for granted_on, _, _ in lines if granted_on > at})
    for day in [at, *later]:
        for position in rules.positions(rules.totals_by_regulation(lines, at=day)):
            if position.regulation != regulation or position.headroom is None:
                continue
            if amount > position.headroom:
                return (
                    f"Plafond dépassé : {_euros(amount)} demandés au titre du "
                    f"{Regulation(regulation).label}, alors que l'entreprise unique a déjà reçu "
                    f"{_euros(position.counted)} sur les trois ans se "
                    f"terminant le {day:%d/%m/%Y} pour un plafond de "
                    f"{_euros(position.ceiling)} : il reste {_euros(position.headroom)}."
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
        # Two grants to the same single undertaking must not both pass the check: lock its
        # companies' rows first (PostgreSQL; SQLite's IMMEDIATE transactions serialise writers).
        list(
            type(company)
            .objects.select_for_update()
            .filter(pk__in=selectors.undertaking_company_ids(company))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
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


# --- additions: aids declared by the company, single undertakings ------------------------------

DECLARED_MAX_AGE_YEARS = 10
NAME_MAX_LENGTH = 200
REASON_MAX_LENGTH = 2000


def state_aid_declared_record(
    *,
    company,
    granted_on: date,
    amount: Decimal,
    regulation: str,
    granting_body: str,
    description: str,
    by=None,
) -> StateAidGrant:
    """An aid the company received from another body (a declaration, a fact: not checked
    against the ceilings, but it counts for the next ones). The date is the day the right was
    acquired: not in the future, and no more than ten years ago (older aids count nowhere)."""
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if amount is None or Decimal(amount) <= 0:
        errors["amount"] = ["Le montant doit être supérieur à zéro."]
    if granted_on is None:
        errors["granted_on"] = ["Indiquez la date d'octroi de l'aide."]
    elif granted_on > today:
        errors["granted_on"] = ["La date d'octroi ne peut pas être dans le futur."]
    elif granted_on < rules.anniversary(today, -DECLARED_MAX_AGE_YEARS):
        errors["granted_on"] = [
            f"La date d'octroi ne peut pas remonter à plus de {DECLARED_MAX_AGE_YEARS} ans "
            f"(avant le {rules.anniversary(today, -DECLARED_MAX_AGE_YEARS):%d/%m/%Y})."
        ]
    if errors:
        raise ValidationError(errors)
    return state_aid_grant_record(
        company=company,
        granted_on=granted_on,
        amount=amount,
        regulation=regulation,
        granting_body=granting_body,
        source=GrantSource.DECLARED,
        description=description,
        by=by,
    )


def _text_errors(**fields: str) -> dict[str, list[str]]:
    messages = {
        "name": "Donnez un nom à l'entreprise unique.",
        "reason": "Indiquez le motif (lien de contrôle : droits de vote, direction, "
        "influence dominante, pacte d'actionnaires).",
    }
    limits = {"name": NAME_MAX_LENGTH, "reason": REASON_MAX_LENGTH}
    errors: dict[str, list[str]] = {}
    for field, value in fields.items():
        if not (value or "").strip():
            errors[field] = [messages[field]]
        elif len(value.strip()) > limits[field]:
            errors[field] = [f"{limits[field]} caractères au plus."]
    return errors


def undertaking_group_create(*, name: str, reason: str, by=None) -> UndertakingGroup:
    errors = _text_errors(name=name, reason=reason)
    if errors:
        raise ValidationError(errors)
    return UndertakingGroup.objects.create(name=name.strip(), reason=reason.strip(), created_by=by)


def _timeline(*, company, title: str, text: str, group: UndertakingGroup, by) -> None:
    if len(title) > TITLE_MAX_LENGTH:
        title = title[: TITLE_MAX_LENGTH - 2] + "…»"
    timeline_event_record(
        company=company,
        kind="aid",
        title=title,
        text=text,
        author=by,
        source="stateaid.undertaking",
        source_id=group.pk,
        link=reverse("stateaid:group_detail", args=[group.pk]),
    )


def undertaking_link(
    *, group: UndertakingGroup, company, reason: str, by=None
) -> UndertakingMembership:
    """Link `company` into the single undertaking `group`: from now on the ceilings apply to
    the aids of every member together. A company belongs to one single undertaking at most:
    one already in another group must be unlinked from it first."""
    errors = _text_errors(reason=reason)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        type(company).objects.select_for_update().filter(pk=company.pk).exists()
        current = (
            UndertakingMembership.objects.select_related("group").filter(company=company).first()
        )
        if current is not None and current.group_id == group.pk:
            raise ValidationError(
                {"siren": [f"{company.name} fait déjà partie de l'entreprise unique « {group} »."]}
            )
        if current is not None:
            raise ValidationError(
                {
                    "siren": [
                        f"{company.name} fait déjà partie de l'entreprise unique "
                        f"« {current.group} » : retirez-la d'abord de ce groupe."
                    ]
                }
            )
        membership = UndertakingMembership.objects.create(
            group=group, company=company, reason=reason.strip(), linked_by=by
        )
        _timeline(
            company=company,
            title=f"Rattachée à l'entreprise unique « {group} »",
            text=f"Les plafonds d'aides d'État s'appliquent désormais au groupe. Motif : "
            f"{reason.strip()}",
            group=group,
            by=by,
        )
    return membership


def undertaking_unlink(*, company, reason: str, by=None) -> UndertakingGroup:
    """Take `company` out of its single undertaking (its own aids count alone again).
    Returns the group it left."""
    errors = _text_errors(reason=reason)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        membership = (
            UndertakingMembership.objects.select_for_update()
            .select_related("group")
            .filter(company=company)
            .first()
        )
        if membership is None:
            raise ValidationError(
                {"company": [f"{company.name} ne fait partie d'aucune entreprise unique."]}
            )
        group = membership.group
        membership.delete()
        _timeline(
            company=company,
            title=f"Retirée de l'entreprise unique « {group} »",
            text=f"Ses aides comptent de nouveau seules pour les plafonds. Motif : "
            f"{reason.strip()}",
            group=group,
            by=by,
        )
    return group
