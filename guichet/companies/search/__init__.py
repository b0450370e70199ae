"""The registry search: one selector for the page, the API, the exports and the benchmark.

`search_companies(SearchFilters(q="fromagerie dijonaise", departement="21"))` returns a
queryset of companies, by relevance when `q` is a name, else by name. The engine-specific part
(PostgreSQL pg_trgm, SQLite FTS5) is only the index lookups of the name search (names.py);
see docs/decisions.md.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from guichet.companies.models import Company, Establishment
from guichet.companies.search.filters import SearchFilters, apply_filters
from guichet.companies.search.names import search_names, search_prefix
from guichet.companies.search.query import ParsedQuery, parse_query

__all__ = ["SearchFilters", "parse_query", "search_companies"]


def _by_identifier(companies: QuerySet, query: ParsedQuery) -> QuerySet:
    """A SIREN finds its company; a SIRET finds the company of that establishment."""
    if query.kind == "siren":
        return companies.filter(siren=query.value)
    siret = query.value
    establishment = Establishment.objects.filter(siret=siret, company=OuterRef("pk"))
    return companies.filter(
        Q(siren=siret[:9]) & (Q(headquarters_siret=siret) | Exists(establishment))
    )


def search_companies(filters: SearchFilters) -> QuerySet[Company]:
    """Companies matching the search box and the filters. Usable by a Paginator (count + slices)
    and for a full export (`.iterator()`)."""
    companies = apply_filters(Company.objects.all(), filters)
    query = parse_query(filters.q)
    if query.kind in ("siren", "siret"):
        return _by_identifier(companies, query).order_by("name", "siren")
    if query.kind == "empty":
        return companies.order_by("name", "siren")
    if query.kind == "prefix":
        return search_prefix(companies, query.value)
    return search_names(companies, query, filtered=filters.has_filters())
