"""Reads of the state-aid ledger: the single undertaking of a company, its ledger lines, its
position against each ceiling at a date."""

from datetime import date
from decimal import Decimal

from django.db.models import QuerySet

from guichet.companies.models import Company
from guichet.stateaid import rules
from guichet.stateaid.models import StateAidGrant, UndertakingMembership


def undertaking_company_ids(company: Company) -> list[int]:
    """The companies whose aids count together with `company`'s: its single undertaking, or
    itself alone."""
    membership = UndertakingMembership.objects.filter(company=company).only("group_id").first()
    if membership is None:
        return [company.pk]
    return list(
        UndertakingMembership.objects.filter(group_id=membership.group_id)
        .order_by("company_id")
        .values_list("company_id", flat=True)
    )


def grants_of_undertaking(company: Company, *, include_cancelled: bool = False) -> QuerySet:
    grants = StateAidGrant.objects.filter(company_id__in=undertaking_company_ids(company))
    if not include_cancelled:
        grants = grants.filter(cancelled_at__isnull=True)
    return grants.select_related("company").order_by("-granted_on", "-pk")


def totals_at(company: Company, *, at: date) -> dict[str, Decimal]:
    lines = (
        grants_of_undertaking(company)
        .filter(granted_on__gte=rules.window_start(at), granted_on__lte=at)
        .values_list("granted_on", "amount", "regulation")
    )
    return rules.totals_by_regulation(lines, at=at)


def positions_at(company: Company, *, at: date) -> list[rules.RegulationPosition]:
    return rules.positions(totals_at(company, at=at))


def headroom_at(company: Company, *, regulation: str, at: date) -> Decimal | None:
    return rules.headroom(totals_at(company, at=at), regulation)
