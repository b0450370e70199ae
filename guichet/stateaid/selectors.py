"""Reads of the state-aid ledger: the single undertaking of a company, its ledger lines, its
position against each ceiling at a date."""

from datetime import date
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet, Sum

from guichet.companies.models import Company
from guichet.stateaid import rules
from guichet.stateaid.models import (
    DE_MINIMIS_REGULATIONS,
    GrantSource,
    StateAidGrant,
    UndertakingGroup,
    UndertakingMembership,
)


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


# --- additions: own lines, groups, the yearly register ----------------------------------------


def _totals_of(company_ids: list[int], *, at: date) -> dict[str, Decimal]:
    lines = StateAidGrant.objects.filter(
        company_id__in=company_ids,
        cancelled_at__isnull=True,
        granted_on__gte=rules.window_start(at),
        granted_on__lte=at,
    ).values_list("granted_on", "amount", "regulation")
    return rules.totals_by_regulation(lines, at=at)


def own_totals_at(company: Company, *, at: date) -> dict[str, Decimal]:
    """The company's own aids over the window, whatever single undertaking it belongs to."""
    return _totals_of([company.pk], at=at)


def group_of(company: Company) -> UndertakingGroup | None:
    membership = (
        UndertakingMembership.objects.filter(company=company).select_related("group").first()
    )
    return membership.group if membership else None


def group_company_ids(group: UndertakingGroup) -> list[int]:
    return list(
        UndertakingMembership.objects.filter(group=group)
        .order_by("company_id")
        .values_list("company_id", flat=True)
    )


def group_members(group: UndertakingGroup) -> QuerySet:
    return (
        UndertakingMembership.objects.filter(group=group)
        .select_related("company", "linked_by__organisation")
        .order_by("company__name", "pk")
    )


def group_totals_at(group: UndertakingGroup, *, at: date) -> dict[str, Decimal]:
    return _totals_of(group_company_ids(group), at=at)


def group_positions_at(group: UndertakingGroup, *, at: date) -> list[rules.RegulationPosition]:
    return rules.positions(group_totals_at(group, at=at))


def groups_overview() -> QuerySet:
    """Every single undertaking with its members (two queries)."""
    members = UndertakingMembership.objects.select_related("company").order_by("company__name")
    return UndertakingGroup.objects.prefetch_related(
        Prefetch("memberships", queryset=members)
    ).order_by("name", "pk")


def register_grants(year: int) -> QuerySet:
    """The year's live de minimis grants this region's bodies awarded (aids the company
    declared were granted by others, who report them themselves)."""
    return (
        StateAidGrant.objects.filter(
            granted_on__year=year,
            cancelled_at__isnull=True,
            regulation__in=DE_MINIMIS_REGULATIONS,
        )
        .exclude(source=GrantSource.DECLARED)
        .select_related("company")
        .order_by("granted_on", "pk")
    )


def register_summary(year: int) -> dict:
    figures = register_grants(year).aggregate(count=Count("pk"), total=Sum("amount"))
    return {"count": figures["count"], "total": figures["total"] or Decimal("0")}


def undertaking_of(company: Company) -> tuple[UndertakingGroup | None, list[int]]:
    """The company's single undertaking (None when alone) and the ids of the companies whose
    aids count together with its own — in one query for a company alone, two in a group."""
    membership = (
        UndertakingMembership.objects.filter(company=company).select_related("group").first()
    )
    if membership is None:
        return None, [company.pk]
    return membership.group, group_company_ids(membership.group)


def totals_of_companies(company_ids: list[int], *, at: date) -> dict[str, Decimal]:
    return _totals_of(company_ids, at=at)


def grants_of_companies(company_ids: list[int]) -> QuerySet:
    """Every line of these companies, cancelled ones included (shown struck), newest first."""
    return (
        StateAidGrant.objects.filter(company_id__in=company_ids)
        .select_related("company")
        .order_by("-granted_on", "-pk")
    )


def latest_grants(company_ids: list[int], *, limit: int) -> list[StateAidGrant]:
    return list(grants_of_companies(company_ids)[:limit])
