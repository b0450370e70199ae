"""Reads of an advisor's portfolio: the companies they lead, with their stage, last contact,
next action and place; the companies to contact again; counts for the home page.

Every row is computed by the database (annotations), so that a portfolio of a few hundred
companies is read in a fixed number of queries.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from guichet.companies.filieres import companies_in_filiere
from guichet.companies.models import Company, Establishment
from guichet.journeys.models import Journey, NextAction, Stage
from guichet.journeys.selectors import last_contact_subquery

DEFAULT_ALERT_DAYS = 120


def alert_days() -> int:
    """Days without contact after which a followed company is to be contacted again
    (setting GUICHET_PORTFOLIO_ALERT_DAYS, 120 by default)."""
    return int(getattr(settings, "GUICHET_PORTFOLIO_ALERT_DAYS", DEFAULT_ALERT_DAYS))


@dataclass(frozen=True)
class PortfolioFilters:
    stage: str = ""
    filiere: object = None  # a Filiere
    departement: str = ""
    to_contact: bool = False
    days: int = DEFAULT_ALERT_DAYS


def _headquarters(field: str) -> Subquery:
    return Subquery(
        Establishment.objects.filter(company=OuterRef("company"), is_headquarters=True)
        .order_by("pk")
        .values(field)[:1]
    )


def _next_action(field: str) -> Subquery:
    return Subquery(
        NextAction.objects.filter(company=OuterRef("company"), done_at__isnull=True)
        .order_by("due_on", "pk")
        .values(field)[:1]
    )


def portfolio_journeys(*, owner, viewer) -> QuerySet[Journey]:
    """The journeys `owner` leads, with `last_contact` (as `viewer` may see it), the next
    open action (`next_title`, `next_due`) and the headquarters' `departement`/`commune`."""
    return (
        Journey.objects.filter(lead_advisor=owner)
        .select_related("company")
        .annotate(
            last_contact=last_contact_subquery(viewer),
            next_title=_next_action("title"),
            next_due=_next_action("due_on"),
            departement=_headquarters("departement_id"),
            commune=_headquarters("commune_name"),
        )
    )


def without_contact_since(days: int, now: datetime | None = None) -> Q:
    """No contact for `days` days: the last contact is older, or there was none and the
    journey started earlier. Companies that left the journey need no contact."""
    limit = (now or timezone.now()) - timedelta(days=days)
    return (Q(last_contact__lt=limit) | Q(last_contact__isnull=True, started_at__lt=limit)) & ~Q(
        stage=Stage.DROPPED
    )


def filtered(journeys: QuerySet[Journey], filters: PortfolioFilters) -> QuerySet[Journey]:
    if filters.stage:
        journeys = journeys.filter(stage=filters.stage)
    if filters.filiere is not None:
        members = companies_in_filiere(Company.objects.all(), filters.filiere).values("pk")
        journeys = journeys.filter(company_id__in=members)
    if filters.departement:
        located = Establishment.objects.filter(
            is_headquarters=True, departement_id=filters.departement
        ).values("company_id")
        journeys = journeys.filter(company_id__in=located)
    if filters.to_contact:
        journeys = journeys.filter(without_contact_since(filters.days))
    return journeys


def stage_counts(owner) -> dict[str, int]:
    counts = dict(
        Journey.objects.filter(lead_advisor=owner)
        .order_by()
        .values_list("stage")
        .annotate(n=Count("pk"))
        .values_list("stage", "n")
    )
    return {stage: counts.get(stage, 0) for stage in Stage.values}


def overdue_actions(user, day) -> int:
    return NextAction.objects.filter(assignee=user, done_at__isnull=True, due_on__lt=day).count()


def to_contact(*, owner, viewer, days: int) -> QuerySet[Journey]:
    """The companies of the portfolio without contact for `days` days, the longest first."""
    return (
        portfolio_journeys(owner=owner, viewer=viewer)
        .filter(without_contact_since(days))
        .order_by(F("last_contact").asc(nulls_first=True), "started_at", "pk")
    )
