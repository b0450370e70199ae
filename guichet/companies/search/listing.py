"""What a list of search results shows of each company (page, exports, API), read with a
bounded number of queries: the NAF code joined, the headquarters prefetched."""

from collections.abc import Iterator

from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.utils.functional import cached_property

from guichet.companies.models import Company, Establishment

EXPORT_HEADERS = [
    "SIREN",
    "Nom",
    "Code NAF",
    "Activité",
    "SIRET du siège",
    "Code commune du siège",
    "Commune du siège",
    "Département",
    "Région",
    "Catégorie d'entreprise",
    "Statut export",
    "État",
]


# Past this many results a list is no longer read but narrowed: the count stops there.
COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP results. An exact count of a filter-only search over a whole
    region (a NAF division, a département) walks tens of thousands of rows for a figure
    nobody pages through; "more than 10,000" says the same and stays fast. Exports still
    contain every result."""

    capped = False

    @cached_property
    def count(self) -> int:
        counted = self.object_list.order_by()[: COUNT_CAP + 1].count()
        self.capped = counted > COUNT_CAP
        return min(counted, COUNT_CAP)


def with_headquarters(companies: QuerySet) -> QuerySet:
    """Adds `headquarters_found` (a list of zero or one establishment) to each company."""
    headquarters = Establishment.objects.filter(is_headquarters=True).select_related(
        "departement", "region"
    )
    return companies.select_related("naf").prefetch_related(
        Prefetch("establishments", queryset=headquarters, to_attr="headquarters_found")
    )


def headquarters_of(company: Company) -> Establishment | None:
    found = getattr(company, "headquarters_found", None)
    return found[0] if found else None


def status_label(company: Company) -> str:
    return "Active" if company.is_active else "Cessée"


def export_rows(companies: QuerySet) -> Iterator[list]:
    """One row per company of the whole result, read in chunks (bounded memory)."""
    for company in with_headquarters(companies).iterator(chunk_size=2000):
        hq = headquarters_of(company)
        yield [
            company.siren,
            company.name,
            company.naf_id or company.activity_code,
            company.naf.label if company.naf else "",
            hq.siret if hq else company.headquarters_siret,
            hq.commune_code if hq else "",
            hq.commune_name if hq else "",
            str(hq.departement) if hq and hq.departement else "",
            hq.region.name if hq and hq.region else "",
            company.size_category,
            str(company.get_export_status_display()) if company.export_status else "",
            status_label(company),
        ]
