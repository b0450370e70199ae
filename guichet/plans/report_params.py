"""The report's and the API's parameters read from a query string: the year, the format, the
breakdown and the dashboard's filters (partner, filière, département, company size), the
latter read by the dashboard's own filter form so that a dashboard link means the same in the
report and the API.

Every value is checked before it reaches the database: a bad one gives a French message, never
a server error. An empty value means "no filter".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils import timezone

from guichet.plans.computations import Filters
from guichet.plans.forms_filters import PlanFilterForm
from guichet.plans.models import Breakdown, Plan

FORMATS = ("pdf", "xlsx")
FILTER_PARAMS = ("partner", "filiere", "departement", "size")

_SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,60}$")
_YEAR = re.compile(r"^[0-9]{4}$")


def valid_slug(slug: str) -> bool:
    return bool(_SLUG.match(slug or ""))


def default_year(plan: Plan) -> int:
    """The current year when the plan covers it, else the plan's nearest year."""
    current = timezone.localdate().year
    return min(max(current, plan.first_year), plan.last_year)


def year_error(plan: Plan, year: int | None) -> str:
    if year is None or not plan.first_year <= year <= plan.last_year:
        return (
            f"L'année doit être l'une des années du plan, de {plan.first_year} à {plan.last_year}."
        )
    return ""


def parse_year(plan: Plan, raw: str | None) -> tuple[int, str]:
    """(year, French error). No value: :func:`default_year`."""
    raw = (raw or "").strip()
    if not raw:
        return default_year(plan), ""
    year = int(raw) if _YEAR.match(raw) else None
    error = year_error(plan, year)
    return (year or 0), error


def format_error(fmt: str) -> str:
    if fmt not in FORMATS:
        return "Le format doit être « pdf » ou « xlsx »."
    return ""


def breakdown_error(dimension: str) -> str:
    if dimension and dimension not in Breakdown.values:
        return "Ventilation inconnue. Valeurs possibles : " + ", ".join(Breakdown.values) + "."
    return ""


@dataclass
class ParsedFilters:
    filters: Filters
    errors: dict[str, list[str]] = field(default_factory=dict)


def parse_filters(params: Mapping[str, str], *, plan: Plan, year: int) -> ParsedFilters:
    """The dashboard's filters from ``params`` (a QueryDict or any mapping of strings), read
    by the dashboard's own filter form so that a link from the dashboard means the same
    here; ``year`` has been checked already (:func:`parse_year`)."""
    data = {name: str(params.get(name) or "").strip() for name in FILTER_PARAMS}
    data["year"] = str(year if plan.first_year <= year <= plan.last_year else default_year(plan))
    form = PlanFilterForm(data, plan=plan)
    form.is_valid()
    errors = {
        name: [str(message) for message in messages]
        for name, messages in form.errors.items()
        if name in FILTER_PARAMS
    }
    filters = form.to_filters().with_(year=year)
    return ParsedFilters(filters=filters, errors=errors)


def describe_filters(filters: Filters) -> list[tuple[str, str]]:
    """(French label, value) of each filter in use, for the report's cover."""
    from guichet.companies.models import Filiere, SizeCategory
    from guichet.partners.models import Organisation
    from guichet.reference.models import Departement

    lines = []
    if filters.organisation_id:
        name = Organisation.objects.filter(pk=filters.organisation_id).values_list(
            "name", flat=True
        )
        lines.append(("Partenaire", name.first() or "—"))
    if filters.filiere_id:
        name = Filiere.objects.filter(pk=filters.filiere_id).values_list("name", flat=True)
        lines.append(("Filière", name.first() or "—"))
    if filters.departement:
        name = Departement.objects.filter(code=filters.departement).values_list("name", flat=True)
        lines.append(("Département", f"{name.first() or '—'} ({filters.departement})"))
    if filters.size:
        lines.append(("Taille d'entreprise", str(SizeCategory(filters.size).label)))
    return lines


def query_of(filters: Filters) -> dict[str, str]:
    """The query-string parameters that give back ``filters`` (year excluded)."""
    pairs = {
        "partner": filters.organisation_id,
        "filiere": filters.filiere_id,
        "departement": filters.departement,
        "size": filters.size,
    }
    return {name: str(value) for name, value in pairs.items() if value}
