"""Filters shared by every computation: the company side (filière, département of the head
office, size category), the partner and the year."""

from __future__ import annotations

from django.db.models import QuerySet

from guichet.companies.filieres import companies_in_filiere
from guichet.companies.models import Company, Establishment, Filiere
from guichet.plans.computations.base import Filters


def companies_matching(filters: Filters) -> QuerySet[Company] | None:
    """The companies the company-side filters keep, or None when there is no such filter. A
    company's département is its head office's."""
    if not filters.has_company_filter:
        return None
    companies = Company.objects.all()
    if filters.size:
        companies = companies.filter(size_category=filters.size)
    if filters.departement:
        head_offices = Establishment.objects.filter(
            is_headquarters=True, departement_id=filters.departement
        ).values("company_id")
        companies = companies.filter(pk__in=head_offices)
    if filters.filiere_id:
        filiere = Filiere.objects.filter(pk=filters.filiere_id).first()
        if filiere is None:
            return Company.objects.none()
        companies = companies_in_filiere(companies, filiere)
    return companies


def restrict(
    records: QuerySet,
    filters: Filters,
    *,
    company: str | None = "company",
    date: str | None = None,
    organisation: str | None = None,
) -> QuerySet:
    """Apply the filters to ``records``: ``company`` is the path to the record's company (""
    when the records are companies, None when they have none), ``date`` the field the year
    applies to, ``organisation`` the path to the partner responsible for the record (None: the
    partner filter does not apply, and keeps nothing)."""
    if filters.year is not None and date is not None:
        records = records.filter(**{f"{date}__year": filters.year})
    if filters.organisation_id is not None:
        if organisation is None:
            return records.none()
        records = records.filter(**{organisation: filters.organisation_id})
    if filters.has_company_filter:
        if company is None:
            return records.none()
        companies = companies_matching(filters)
        path = f"{company}__in" if company else "pk__in"
        records = records.filter(**{path: companies.values("pk")})
    return records
