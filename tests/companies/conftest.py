"""Shared fixtures of the registry tests: reference data and a small way to make companies."""

from guichet.companies.geography import locate
from guichet.companies.models import Company, Establishment
from guichet.companies.text import company_search_text


def make_company(
    siren: str,
    name: str,
    *,
    naf: str | None = "10.71C",
    commune_code: str = "21231",
    commune_name: str = "DIJON",
    size_category: str = "PME",
    is_active: bool = True,
    export_status: str = "",
    nic: str = "00012",
) -> Company:
    """A company with its headquarters; SIREN/SIRET are not Luhn-checked here (tests of the
    import check those)."""
    company = Company.objects.create(
        siren=siren,
        name=name,
        denomination=name,
        search_text=company_search_text(name),
        naf_id=naf,
        activity_code=naf or "",
        size_category=size_category,
        is_active=is_active,
        export_status=export_status,
        headquarters_siret=siren + nic,
    )
    dep, region = locate(commune_code)
    Establishment.objects.create(
        siret=siren + nic,
        company=company,
        is_headquarters=True,
        postal_code=commune_code,
        commune_code=commune_code,
        commune_name=commune_name,
        departement_id=dep,
        region_id=region,
        naf_id=naf,
        is_active=is_active,
    )
    return company
