"""Markets API (capability 9): an exporter's revealed comparative advantages, its export
potential per market and product, a filière's target markets.

Trade figures are public statistics: every API key reads them. Every body says which data it
comes from (`basis`: source, year, demonstration data or not, notes).

Errors follow the API's format ({"error", "message", "details"}):
- 422 `validation` for a bad parameter (unknown country, year not loaded, level, HS code…);
- 404 `not_found` for an unknown filière;
- 409 `no_data` when no world trade year is loaded at all: the request is right but the
  platform cannot answer yet — an administrator loads a BACI year (or the demonstration data)
  and the same request then succeeds.
"""

from __future__ import annotations

import math
import re

from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import Field, Query, Router, Schema, Status

from guichet.core.api_errors import ApiNotFound
from guichet.core.api_errors import api_invalid as _invalid
from guichet.markets.models import DatasetKind, TradeDataset
from guichet.reference.models import Country

router = Router(tags=["Marchés"])

LEVELS = ("hs2", "hs4", "hs6")
LEVEL_DIGITS = {"hs2": 2, "hs4": 4, "hs6": 6}
MAX_PAGE_SIZE = 500
MAX_PAGE = 10_000
MAX_TARGETS = 200
_ISO3 = re.compile(r"^[A-Z]{3}$")
_HS = re.compile(r"^(\d{2}|\d{4}|\d{6})$")
DB_INT_MAX = 2**31 - 1

NO_DATA_ERROR = "no_data"


# --- schemas ---------------------------------------------------------------------------------


class ErrorDetailOut(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    error: str = Field(description="Code de l'erreur : no_data quand aucune année n'est chargée.")
    message: str
    details: list[ErrorDetailOut]


class BasisOut(Schema):
    source_label: str = Field(description="Par exemple « CEPII BACI 2022 ».")
    year: int
    years_used: list[int]
    is_demo: bool = Field(description="true : données de démonstration, pas des chiffres réels.")
    notes: list[str]


class RcaRowOut(Schema):
    product: str = Field(description="Code SH (2, 4 ou 6 chiffres, zéros en tête gardés).")
    label: str
    value: float = Field(description="Exportations de l'exportateur, en USD courants.")
    rca: float = Field(description="Avantage comparatif révélé (Balassa).")
    mcp: int = Field(description="1 quand rca ≥ 1.")
    density: float | None
    cog: float | None = Field(description="Gain de perspective de complexité (COG).")
    pci: float | None = Field(description="Indice de complexité du produit.")


class RcaOut(Schema):
    exporter: str
    exporter_name: str
    year: int
    level: str
    basis: BasisOut
    rows: list[RcaRowOut] = Field(description="Produits, du plus fort avantage au plus faible.")


class RcaQuery(Schema):
    exporter: str = Field("FRA", description="Code ISO alpha-3 de l'exportateur.")
    year: int | None = Field(None, description="Année chargée ; par défaut la plus récente.")
    level: str = Field("hs4", description="hs2, hs4 ou hs6.")


class PotentialRowOut(Schema):
    exporter: str
    market: str
    market_name: str
    product: str
    label: str
    potential: float | None = Field(description="Potentiel d'export projeté, USD.")
    actual: float | None = Field(
        description="Exportations réelles, moyenne pondérée des cinq dernières années, USD."
    )
    realised_share: float | None = Field(description="Part réalisée, de 0 à 1.")
    unrealised: float | None = Field(description="Potentiel non réalisé, USD.")
    supply: float | None
    demand: float | None
    ease: float | None
    distance_km: float | None
    demand_growth: float | None = Field(
        description="Croissance projetée des importations du marché pour ce produit (fraction)."
    )


class PotentialOut(Schema):
    exporter: str
    basis: BasisOut
    assumptions_source: str = Field(description="Source des projections de PIB et population.")
    page: int
    page_size: int
    has_next: bool
    results: list[PotentialRowOut] = Field(
        description="Du plus fort potentiel non réalisé au plus faible."
    )


class PotentialQuery(Schema):
    exporter: str = Field("FRA", description="Code ISO alpha-3 de l'exportateur.")
    product: str = Field(
        "", description="Code SH ou préfixe (2, 4 ou 6 chiffres) : un chapitre prend ses positions."
    )
    market: str = Field("", description="Code ISO alpha-3 du marché.")
    year: int | None = Field(None, description="Année chargée ; par défaut la plus récente.")
    page: int = 1
    page_size: int = 100


class ProductOut(Schema):
    code: str
    label: str


class TopProductOut(Schema):
    code: str
    label: str
    unrealised: float | None


class MarketTargetOut(Schema):
    market: str
    name: str
    potential: float | None
    actual: float | None
    realised_share: float | None
    unrealised: float | None
    distance_km: float | None
    demand_growth: float | None
    top_products: list[TopProductOut]


class FiliereRefOut(Schema):
    id: int
    name: str
    slug: str


class TargetsOut(Schema):
    filiere: FiliereRefOut
    subject: str
    products: list[ProductOut] = Field(description="Produits SH de la filière.")
    exporter: str
    exporter_label: str
    weighting: str = Field(description="customs, employment ou none.")
    weighting_label: str
    basis: BasisOut
    rows: list[MarketTargetOut] = Field(description="Marchés, du plus fort potentiel non réalisé.")


class TargetsQuery(Schema):
    year: int | None = Field(None, description="Année chargée ; par défaut la plus récente.")
    limit: int = Field(50, description=f"Nombre de marchés, de 1 à {MAX_TARGETS}.")


# --- helpers ---------------------------------------------------------------------------------


def _num(value) -> float | None:
    """JSON has no NaN nor infinity: those travel as null."""
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _basis(basis) -> dict:
    return {
        "source_label": basis.source_label,
        "year": basis.year,
        "years_used": list(basis.years_used),
        "is_demo": basis.is_demo,
        "notes": list(basis.notes),
    }


def _no_data(message: str | None = None):
    from guichet.markets.complexity_data import NO_DATA_MESSAGE

    return Status(
        409, {"error": NO_DATA_ERROR, "message": message or NO_DATA_MESSAGE, "details": []}
    )


def _trade_years() -> dict[int, str]:
    """Loaded world trade years → their finest product level ("hs6" when unknown)."""
    years: dict[int, str] = {}
    datasets = TradeDataset.objects.filter(kind=DatasetKind.TRADE).exclude(year=0)
    for year, level in datasets.values_list("year", "product_level"):
        level = level if level in LEVEL_DIGITS else "hs6"
        known = years.get(year)
        if known is None or LEVEL_DIGITS[level] > LEVEL_DIGITS[known]:
            years[year] = level
    return years


def _country_name(iso3: str) -> str:
    return Country.objects.filter(iso3=iso3).values_list("name_fr", flat=True).first() or iso3


def _check_country(value: str, field: str, errors: dict, *, required: bool) -> str:
    code = (value or "").strip().upper()
    if not code:
        if required:
            errors[field] = ["Indiquez un code pays ISO alpha-3 (par exemple FRA)."]
        return ""
    if not _ISO3.match(code):
        errors[field] = ["Code pays invalide : trois lettres ISO alpha-3 (par exemple FRA, DEU)."]
        return ""
    if not Country.objects.filter(iso3=code).exists():
        errors[field] = [f"Pays inconnu : {code}."]
        return ""
    return code


def _check_year(year: int | None, years: dict[int, str], errors: dict) -> int | None:
    if year is None:
        return max(years) if years else None
    if year not in years:
        loaded = ", ".join(str(y) for y in sorted(years)) or "aucune"
        errors["year"] = [f"Année non chargée : {year}. Années disponibles : {loaded}."]
        return None
    return year


def _raise(errors: dict) -> None:
    if errors:
        raise _invalid(DjangoValidationError(errors), "query")


def _no_trade_errors():
    from guichet.markets import complexity_data, potential

    return (complexity_data.NoTradeData, potential.NoTradeData)


# --- endpoints -------------------------------------------------------------------------------


@router.get(
    "/markets/rca",
    response={200: RcaOut, 409: ErrorOut},
    summary="Avantages comparatifs révélés d'un exportateur, produit par produit",
    description=(
        "Pour chaque produit : exportations, avantage comparatif révélé (RCA), spécialisation "
        "(mcp), densité, gain de perspective de complexité (COG) et complexité du produit "
        "(PCI), calculés sur le commerce mondial de l'année. 409 no_data quand aucune année "
        "de commerce mondial n'est chargée."
    ),
)
def rca(request, params: Query[RcaQuery]):
    years = _trade_years()
    if not years:
        return _no_data()
    errors: dict[str, list[str]] = {}
    exporter = _check_country(params.exporter, "exporter", errors, required=True)
    year = _check_year(params.year, years, errors)
    level = (params.level or "").strip().lower()
    if level not in LEVELS:
        errors["level"] = ["Niveau de produit : hs2, hs4 ou hs6."]
    elif year is not None and LEVEL_DIGITS[level] > LEVEL_DIGITS[years[year]]:
        errors["level"] = [
            f"Les données de {year} sont au niveau {years[year]} : demandez {years[year]} "
            "ou un niveau plus agrégé."
        ]
    _raise(errors)
    from guichet.markets import complexity_data

    try:
        rows, basis = complexity_data.rca_rows(exporter=exporter, year=year, level=level)
    except _no_trade_errors() as error:
        return _no_data(str(error))
    return {
        "exporter": exporter,
        "exporter_name": _country_name(exporter),
        "year": basis.year,
        "level": level,
        "basis": _basis(basis),
        "rows": [
            {
                "product": r["product"],
                "label": r["label"],
                "value": _num(r["value"]) or 0.0,
                "rca": _num(r["rca"]) or 0.0,
                "mcp": int(r["mcp"]),
                "density": _num(r["density"]),
                "cog": _num(r["cog"]),
                "pci": _num(r["pci"]),
            }
            for r in rows
        ],
    }


@router.get(
    "/markets/potential",
    response={200: PotentialOut, 409: ErrorOut},
    summary="Potentiel d'export d'un exportateur par marché et produit",
    description=(
        "Potentiel d'export (méthode ITC : offre × facilité × demande, projetée avec les "
        "hypothèses de PIB et de population), exportations réelles, part réalisée et "
        "potentiel non réalisé, du plus fort potentiel non réalisé au plus faible, par pages. "
        "Filtrez par produit (code SH ou préfixe) et/ou par marché. 409 no_data quand aucune "
        "année de commerce mondial n'est chargée."
    ),
)
def potential(request, params: Query[PotentialQuery]):
    years = _trade_years()
    if not years:
        return _no_data()
    errors: dict[str, list[str]] = {}
    exporter = _check_country(params.exporter, "exporter", errors, required=True)
    market = _check_country(params.market, "market", errors, required=False)
    product = (params.product or "").strip()
    if product and not _HS.match(product):
        errors["product"] = ["Code SH invalide : 2, 4 ou 6 chiffres (par exemple 22, 2204)."]
    year = _check_year(params.year, years, errors)
    if not 1 <= params.page_size <= MAX_PAGE_SIZE:
        errors["page_size"] = [f"La taille de page va de 1 à {MAX_PAGE_SIZE}."]
    if not 1 <= params.page <= MAX_PAGE:
        errors["page"] = [f"Le numéro de page va de 1 à {MAX_PAGE}."]
    _raise(errors)
    from guichet.markets import potential as potential_module
    from guichet.markets.hs import product_label

    offset = (params.page - 1) * params.page_size
    try:
        table = potential_module.export_potential(
            exporter=exporter,
            year=year,
            products=[product] if product else None,
            markets=[market] if market else None,
            limit=offset + params.page_size + 1,
        )
    except _no_trade_errors() as error:
        return _no_data(str(error))
    rows = table.rows[offset : offset + params.page_size + 1]
    has_next = len(rows) > params.page_size
    rows = rows[: params.page_size]
    names = dict(
        Country.objects.filter(iso3__in={r.market for r in rows}).values_list("iso3", "name_fr")
    )
    return {
        "exporter": exporter,
        "basis": _basis(table.basis),
        "assumptions_source": table.assumptions_source,
        "page": params.page,
        "page_size": params.page_size,
        "has_next": has_next,
        "results": [
            {
                "exporter": r.exporter,
                "market": r.market,
                "market_name": names.get(r.market, r.market),
                "product": r.product,
                "label": product_label(r.product),
                "potential": _num(r.potential),
                "actual": _num(r.actual),
                "realised_share": _num(r.realised_share),
                "unrealised": _num(r.unrealised),
                "supply": _num(r.supply),
                "demand": _num(r.demand),
                "ease": _num(r.ease),
                "distance_km": _num(r.distance_km),
                "demand_growth": _num(r.demand_growth),
            }
            for r in rows
        ],
    }


@router.get(
    "/markets/filieres/{filiere_id}/targets",
    response={200: TargetsOut, 409: ErrorOut},
    summary="Marchés cibles d'une filière pour la région",
    description=(
        "Les produits SH de la filière (via la CITI rév. 4 et les divisions NAF), puis les "
        "marchés classés par potentiel non réalisé pour la région : pondérés par ses "
        "exportations (douanes régionales) quand elles sont chargées, sinon par sa part de "
        "l'emploi de la filière (approximation annoncée dans weighting_label). 404 pour une "
        "filière inconnue, 409 no_data quand aucune année n'est chargée."
    ),
)
def filiere_targets(request, filiere_id: int, params: Query[TargetsQuery]):
    from guichet.companies.models import Filiere

    filiere = (
        Filiere.objects.filter(pk=filiere_id).first() if 1 <= filiere_id <= DB_INT_MAX else None
    )
    if filiere is None:
        raise ApiNotFound(f"Aucune filière d'identifiant {filiere_id}.")
    years = _trade_years()
    if not years:
        return _no_data()
    errors: dict[str, list[str]] = {}
    year = _check_year(params.year, years, errors)
    if not 1 <= params.limit <= MAX_TARGETS:
        errors["limit"] = [f"Le nombre de marchés va de 1 à {MAX_TARGETS}."]
    _raise(errors)
    from guichet.markets import targets

    try:
        result = targets.filiere_targets(filiere, year=year, limit=params.limit)
    except _no_trade_errors() as error:
        return _no_data(str(error))
    return {
        "filiere": {"id": filiere.pk, "name": filiere.name, "slug": filiere.slug},
        "subject": result.subject,
        "products": [{"code": code, "label": label} for code, label in result.products],
        "exporter": result.exporter,
        "exporter_label": result.exporter_label,
        "weighting": result.weighting,
        "weighting_label": result.weighting_label,
        "basis": _basis(result.basis),
        "rows": [
            {
                "market": t.market,
                "name": t.name,
                "potential": _num(t.potential),
                "actual": _num(t.actual),
                "realised_share": _num(t.realised_share),
                "unrealised": _num(t.unrealised),
                "distance_km": _num(t.distance_km),
                "demand_growth": _num(t.demand_growth),
                "top_products": [
                    {"code": code, "label": label, "unrealised": _num(value)}
                    for code, label, value in t.top_products
                ],
            }
            for t in result.rows[: params.limit]
        ],
    }
