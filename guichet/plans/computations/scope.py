"""Filters shared by every computation: the company side (filière, département of the head
office, size category), the partner and the year."""

from __future__ import annotations

from functools import lru_cache

from django.db.models import QuerySet

from guichet.companies.filieres import companies_with_activity, naf_subclasses_under
from guichet.companies.models import Company, Establishment, Filiere
from guichet.plans.computations.base import Filters
from guichet.reference.models import NafCode


@lru_cache(maxsize=256)
def _subclasses(codes: frozenset[str], naf_rows: int) -> tuple[str, ...]:
    # A dashboard runs a hundred computations with the same filière: the NAF tree walk is done
    # once per set of codes (and size of the NAF table, which changes only on a reference load).
    return tuple(naf_subclasses_under(sorted(codes)))


def filiere_subclasses(filiere_id: int) -> tuple[str, ...] | None:
    """The NAF sub-classes of a filière, None when it does not exist."""
    codes = list(
        Filiere.naf_codes.through.objects.filter(filiere_id=filiere_id).values_list(
            "nafcode_id", flat=True
        )
    )
    if not codes and not Filiere.objects.filter(pk=filiere_id).exists():
        return None
    return _subclasses(frozenset(codes), NafCode.objects.count())


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
        subclasses = filiere_subclasses(filters.filiere_id)
        if subclasses is None:
            return Company.objects.none()
        companies = companies_with_activity(companies, list(subclasses))
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
