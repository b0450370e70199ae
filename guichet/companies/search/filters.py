"""The filters of the registry search. Each one is an `Exists()` subquery or a column test on
the company, never a join: a company with establishments in two départements is listed once."""

import re
from dataclasses import dataclass, fields

from django.db.models import Exists, OuterRef, Q, QuerySet

from guichet.companies.filieres import companies_in_filiere, naf_subclasses_under
from guichet.companies.models import Establishment, Filiere
from guichet.companies.text import normalise

COMMUNE_CODE = re.compile(r"^(?:[0-9]{5}|2[AB][0-9]{3})$")


@dataclass
class SearchFilters:
    """What a user asks of the registry: the search box and the filters of the list."""

    q: str = ""
    region: str = ""
    departement: str = ""
    commune: str = ""  # INSEE code ("21231") or name ("Dijon")
    naf: str = ""  # a NAF code of any level: section "C", division "10" … sub-class "10.71C"
    filiere: str = ""  # slug
    size: str = ""  # TPE / PME / ETI / GE
    export_status: str = ""
    active_only: bool = False

    def is_empty(self) -> bool:
        """True when nothing was asked: the page explains what to type instead of listing
        the whole registry."""
        return not any(getattr(self, f.name) for f in fields(self))

    def has_filters(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self) if f.name != "q")


def commune_names(value: str) -> list[str]:
    """The spellings SIRENE may use for a commune typed by a user: upper case without accents,
    with hyphens or spaces ("Saint-Apollinaire", "saint apollinaire" → SAINT-APOLLINAIRE)."""
    words = normalise(value).upper()
    return sorted({words, words.replace(" ", "-"), value.strip().upper()} - {""})


def _establishment_filter(filters: SearchFilters) -> Q | None:
    """Place filters are about establishments: a company is "in Dijon" when it has an
    establishment there (an active one, when only active companies are asked for)."""
    condition = Q()
    if filters.region:
        condition &= Q(region_id=filters.region)
    if filters.departement:
        condition &= Q(departement_id=filters.departement.upper())
    if filters.commune:
        commune = filters.commune.strip().upper()
        if COMMUNE_CODE.match(commune):
            condition &= Q(commune_code=commune)
        else:
            names = Q()
            for name in commune_names(filters.commune):
                names |= Q(commune_name__iexact=name)
            condition &= names
    if not condition:
        return None
    if filters.active_only:
        condition &= Q(is_active=True)
    return condition


def _naf_filter(companies: QuerySet, code: str) -> QuerySet:
    """A NAF code of any level matches the company's main activity or an establishment's."""
    subclasses = naf_subclasses_under([code])
    in_establishment = Establishment.objects.filter(company=OuterRef("pk"), naf_id__in=subclasses)
    return companies.filter(Q(naf_id__in=subclasses) | Exists(in_establishment))


def apply_filters(companies: QuerySet, filters: SearchFilters) -> QuerySet:
    if filters.size:
        companies = companies.filter(size_category=filters.size)
    if filters.export_status:
        companies = companies.filter(export_status=filters.export_status)
    if filters.active_only:
        companies = companies.filter(is_active=True)
    place = _establishment_filter(filters)
    if place is not None:
        companies = companies.filter(
            Exists(Establishment.objects.filter(place, company=OuterRef("pk")))
        )
    if filters.naf:
        companies = _naf_filter(companies, filters.naf)
    if filters.filiere:
        filiere = Filiere.objects.filter(slug=filters.filiere).first()
        companies = companies_in_filiere(companies, filiere) if filiere else companies.none()
    return companies
