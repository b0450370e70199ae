"""Reads of the market pages: what is loaded, the explorer's computations called safely, the
partners' presence in a country, and the countries suggested to a company's action plan.

The computations themselves live in targets.py, country_facts.py and worldmap.py; this
module only decides what a page may ask of them (a year that is loaded, a subject that maps
to products) so that "no data yet" is an empty state, never a server error.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count
from django.db.models.functions import ExtractYear

from guichet.markets.models import CooperationAgreement, DatasetKind, TradeDataset
from guichet.markets.potential import NoTradeData
from guichet.reference.models import Country

logger = logging.getLogger(__name__)

# What the computations may raise when a year, a table or a product is missing: the pages
# show an empty state instead (each module may add its own LookupError/ValueError subclass).
DATA_ERRORS = (NoTradeData, LookupError, ValueError, FileNotFoundError)


class NoMarketData(LookupError):
    """No trade year is loaded: the explorer and the suggestions have nothing to rank."""


# --- loaded data -------------------------------------------------------------------------


def trade_years() -> list[int]:
    """The years of world trade that are loaded, the latest first."""
    years = (
        TradeDataset.objects.filter(kind=DatasetKind.TRADE)
        .exclude(year=0)
        .values_list("year", flat=True)
        .distinct()
    )
    return sorted(set(years), reverse=True)


def has_trade_data() -> bool:
    return TradeDataset.objects.filter(kind=DatasetKind.TRADE).exists()


def demo_loaded() -> bool:
    return TradeDataset.objects.filter(is_demo=True).exists()


# --- countries -----------------------------------------------------------------------------


def country_by_iso3(iso3: str) -> Country | None:
    code = (iso3 or "").strip().upper()
    if len(code) != 3 or not code.isalpha():
        return None
    return Country.objects.filter(iso3=code).first()


def country_names(codes) -> dict[str, str]:
    """ISO alpha-3 → French name, for the codes that reference.Country knows."""
    return dict(Country.objects.filter(iso3__in=set(codes)).values_list("iso3", "name_fr"))


# --- the explorer's subject ----------------------------------------------------------------


def hs_search(text: str, *, limit: int = 20) -> list[tuple[str, str]]:
    """HS products matching a code or words, as (code, label), through hs.search_products."""
    try:
        from guichet.markets import hs
    except ImportError:  # the nomenclature module is not there yet
        return []
    search = getattr(hs, "search_products", None)
    if search is None:
        return []
    found = []
    for item in list(search(text))[:limit]:
        if isinstance(item, dict):
            found.append((str(item.get("code")), str(item.get("label", ""))))
        elif isinstance(item, tuple | list):
            found.append((str(item[0]), str(item[1]) if len(item) > 1 else ""))
        else:
            found.append((str(item.code), str(getattr(item, "label", ""))))
    return found


def product_label(code: str) -> str:
    try:
        from guichet.markets import hs

        return hs.product_label(code)
    except (ImportError, AttributeError, *DATA_ERRORS):
        return ""


def filiere_products(filiere, *, year: int | None = None) -> list[str]:
    """The HS products a filière maps to (NAF → ISIC → HS), [] when none or not computable."""
    from guichet.markets import isic

    try:
        return list(isic.hs_products_for_filiere(filiere))
    except DATA_ERRORS:
        logger.info("No HS product for filière %s", filiere.pk, exc_info=True)
        return []


def targets_for(*, filiere=None, product: str = "", year: int | None = None, limit=None):
    """The ranked markets of a filière or of a product (targets.py)."""
    from guichet.markets import targets

    if not has_trade_data():
        raise NoMarketData("No trade year is loaded.")
    if filiere is not None:
        return targets.filiere_targets(filiere, year=year, limit=limit)
    return targets.product_targets(product, year=year, limit=limit)


def facts_for(iso3: str, *, products: list[str] | None, year: int | None = None) -> dict | None:
    """A country's figures (country_facts.py), or None when no trade data answers."""
    if not has_trade_data():
        return None
    from guichet.markets import country_facts

    try:
        return country_facts.country_facts(iso3, products=products or None, year=year)
    except DATA_ERRORS:
        logger.info("No facts for %s", iso3, exc_info=True)
        return None


# --- partners' presence in a country -------------------------------------------------------


def agreements(*, country: Country | None = None):
    found = CooperationAgreement.objects.select_related("country", "organisation")
    if country is not None:
        found = found.filter(country=country)
    return found.order_by("country__sort_name", "title", "pk")


def agreement_countries():
    """The countries that have at least one agreement (the list's filter)."""
    ids = CooperationAgreement.objects.values_list("country_id", flat=True)
    return Country.objects.filter(iso2__in=ids).order_by("sort_name")


@dataclass
class VieYear:
    year: int
    count: int


@dataclass
class VieMissionLine:
    mission: object
    company_name: str  # "" when the viewer may not see companies


@dataclass
class VieInCountry:
    total: int
    per_year: list[VieYear]
    missions: list[VieMissionLine] = field(default_factory=list)
    may_name: bool = False


def vie_in_country(country: Country, user) -> VieInCountry:
    """V.I.E. missions in the country: counted per starting year; listed with their host
    company only for viewers who may read missions and open company files."""
    from guichet.companies import permissions as company_permissions
    from guichet.vie import permissions as vie_permissions
    from guichet.vie.models import VieMission

    missions = VieMission.objects.filter(country=country)
    per_year = [
        VieYear(year=row["year"], count=row["n"])
        for row in missions.annotate(year=ExtractYear("starts_on"))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("-year")
    ]
    may_name = vie_permissions.can_view_vie(user) and company_permissions.can_view_company(user)
    lines = []
    if may_name:
        for mission in missions.select_related("company").order_by("-starts_on", "-pk")[:20]:
            lines.append(VieMissionLine(mission=mission, company_name=mission.company.name))
    return VieInCountry(
        total=sum(y.count for y in per_year), per_year=per_year, missions=lines, may_name=may_name
    )


@dataclass
class ActionsInCountry:
    upcoming: list
    past: list
    may_open: bool


def actions_in_country(country: Country, user, *, today: date) -> ActionsInCountry:
    """Collective actions held in the country (not cancelled): members see drafts too and
    open the actions' pages; others would only see the published ones."""
    from guichet.collective import permissions as collective_permissions
    from guichet.collective.models import CollectiveAction

    may_open = collective_permissions.can_view_actions(user)
    found = CollectiveAction.objects.filter(country=country).exclude(
        status=CollectiveAction.Status.CANCELLED
    )
    if not may_open:
        found = found.filter(status=CollectiveAction.Status.PUBLISHED)
    upcoming = list(found.filter(ends_on__gte=today).order_by("starts_on", "pk")[:20])
    past = list(found.filter(ends_on__lt=today).order_by("-starts_on", "-pk")[:20])
    return ActionsInCountry(upcoming=upcoming, past=past, may_open=may_open)


# --- suggestions for a company's action plan --------------------------------------------


@dataclass(frozen=True)
class SuggestedCountry:
    country: Country
    filiere: str  # the filière whose ranking suggested it
    unrealised: float
    realised_share: float
    demo: bool


def suggested_countries_for_company(company, limit: int = 5) -> list[SuggestedCountry]:
    """The top markets (unrealised potential) for the company's filières, merged: each
    country once, with its best rank; [] when no market data is loaded or nothing maps."""
    from guichet.companies.filieres import filieres_of_company

    if not has_trade_data():
        return []
    best: dict[str, tuple[float, str, float, bool]] = {}
    for filiere in filieres_of_company(company):
        try:
            found = targets_for(filiere=filiere, limit=limit)
        except DATA_ERRORS:
            logger.info("No targets for filière %s", filiere.pk, exc_info=True)
            continue
        for row in found.rows[:limit]:
            if row.market not in best or best[row.market][0] < row.unrealised:
                best[row.market] = (
                    row.unrealised,
                    filiere.name,
                    row.realised_share,
                    found.basis.is_demo,
                )
    ranked = sorted(best.items(), key=lambda item: -item[1][0])[:limit]
    countries = {c.iso3: c for c in Country.objects.filter(iso3__in=[code for code, _ in ranked])}
    return [
        SuggestedCountry(
            country=countries[code],
            filiere=name,
            unrealised=unrealised,
            realised_share=share,
            demo=demo,
        )
        for code, (unrealised, name, share, demo) in ranked
        if code in countries
    ]
