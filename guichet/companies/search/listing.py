"""What a list of search results shows of each company (page, exports, API), read with a
bounded number of queries: the NAF code joined, the headquarters prefetched."""

from collections.abc import Iterator

from django.db.models import Prefetch, QuerySet

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
