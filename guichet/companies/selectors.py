"""Reads of the company file: a company with its establishments, its export profile (current
values and history) and its contacts. The search has its own selectors (search.py)."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from guichet.companies.models import Company, Contact, Establishment, ExportFact, ExportStatus
from guichet.companies.services import TurnoverBand
from guichet.reference.models import Country

Attribute = ExportFact.Attribute


def company_for_file(siren: str) -> Company | None:
    """The company with everything its file shows about its identity, in three queries
    whatever the number of establishments."""
    establishments = Establishment.objects.select_related("departement", "region")
    return (
        Company.objects.select_related("naf", "headcount_band")
        .prefetch_related(Prefetch("establishments", queryset=establishments))
        .filter(siren=siren)
        .first()
    )


def _number_fr(value) -> str:
    return str(value).replace(".", ",")


def _value_display(attribute: str, value, country_names: dict[str, str]) -> str:
    if attribute == Attribute.STATUS:
        return str(dict(ExportStatus.choices).get(value, value))
    if attribute == Attribute.EXPORT_SHARE:
        return f"{_number_fr(value)} %"
    if attribute == Attribute.TURNOVER_BAND:
        return str(dict(TurnoverBand.choices).get(value, value))
    if attribute == Attribute.INNOVATIVE:
        return "Oui" if value else "Non"
    if attribute in (Attribute.COUNTRIES_SERVED, Attribute.COUNTRIES_TARGETED):
        return ", ".join(country_names.get(code, code) for code in value) or "Aucun"
    return ", ".join(value) if isinstance(value, list) else str(value)


def describe_facts(facts: Iterable[ExportFact]) -> list[ExportFact]:
    """Give each fact a French `display` of its value (country names in one query)."""
    facts = list(facts)
    codes = {
        code
        for fact in facts
        if fact.attribute in (Attribute.COUNTRIES_SERVED, Attribute.COUNTRIES_TARGETED)
        for code in fact.value
    }
    names = dict(Country.objects.filter(iso2__in=codes).values_list("iso2", "name_fr"))
    for fact in facts:
        fact.display = _value_display(fact.attribute, fact.value, names)
    return facts


def export_profile_history(company: Company) -> list[ExportFact]:
    """Every fact of the profile, latest first, each with its French `display`."""
    facts = company.export_facts.select_related("recorded_by", "organisation").order_by(
        "-observed_on", "-recorded_at", "-pk"
    )
    return describe_facts(facts)


def latest_facts(history: Iterable[ExportFact]) -> dict[str, ExportFact | None]:
    """The current profile from a history sorted latest first: the first fact of each
    attribute wins (date observed, then date recorded)."""
    current: dict[str, ExportFact | None] = dict.fromkeys(Attribute.values)
    for fact in history:
        if current.get(fact.attribute) is None:
            current[fact.attribute] = fact
    return current


def current_export_profile(company: Company) -> dict[str, ExportFact | None]:
    return latest_facts(export_profile_history(company))


def contacts_of(company: Company) -> QuerySet[Contact]:
    return company.contacts.order_by("last_name", "first_name", "pk")


@dataclass(frozen=True)
class CommuneCount:
    name: str
    departement: str
    count: int


def _commune_key(establishment: Establishment) -> tuple[str, str]:
    name = establishment.commune_name or establishment.country or "Commune inconnue"
    return name, establishment.departement_id or ""


def establishments_by_commune(
    establishments: Iterable[Establishment],
) -> tuple[list[Establishment], list[CommuneCount]]:
    """Establishments sorted by commune (headquarters first within it) and the number of
    establishments in each commune, most populated first."""
    ordered = sorted(
        establishments,
        key=lambda e: (*_commune_key(e), not e.is_headquarters, not e.is_active, e.siret),
    )
    counts = Counter(_commune_key(e) for e in ordered)
    communes = [
        CommuneCount(name=name, departement=dep, count=count)
        for (name, dep), count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]
    return ordered, communes


def headquarters_of(company: Company) -> Establishment | None:
    """The headquarters among the prefetched establishments (it is imported wherever it is)."""
    establishments = list(company.establishments.all())
    for establishment in establishments:
        if establishment.siret == company.headquarters_siret:
            return establishment
    return next((e for e in establishments if e.is_headquarters), None)
