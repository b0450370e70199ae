"""The plan in the API: the plans, and every indicator of a plan for a year and the dashboard's
filters, with its value, target, progress, status and, on request, its breakdown. Every key
reads them (every member reads the plan on the pages); the figures name nobody."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from ninja import Query, Router, Schema

from guichet.core.api_errors import ApiNotFound
from guichet.core.api_errors import api_invalid as _invalid
from guichet.plans import selectors
from guichet.plans.models import Breakdown, Plan
from guichet.plans.report import source_text
from guichet.plans.report_params import (
    breakdown_error,
    parse_filters,
    parse_year,
    query_of,
    valid_slug,
)
from guichet.plans.selectors import IndicatorResult

router = Router(tags=["Plan et indicateurs"])

Number = int | float


# --- schemas ---------------------------------------------------------------------------------


class PlanOut(Schema):
    slug: str
    name: str
    description: str
    first_year: int
    last_year: int
    owner: str | None
    axes: int
    measures: int
    indicators: int
    url: str


class BreakdownRowOut(Schema):
    key: str
    label: str
    value: Number | None


class IndicatorOut(Schema):
    code: str
    name: str
    measure: int
    measure_title: str
    axis: int
    unit: str
    direction: str
    kind: str
    value: Number | None
    target: Number | None
    progress: float | None
    progress_percent: int | None
    status: str
    status_label: str
    detail: str
    source: str
    breakdown: list[BreakdownRowOut] | None
    breakdown_note: str


class IndicatorsOut(Schema):
    plan: str
    year: int
    filters: dict[str, str]
    breakdown: str | None
    indicators: list[IndicatorOut]


class IndicatorsQuery(Schema):
    year: str = ""
    breakdown: str = ""
    partner: str = ""
    filiere: str = ""
    departement: str = ""
    size: str = ""


# --- helpers ---------------------------------------------------------------------------------


def _number(value: Decimal | int | float | None) -> Number | None:
    if value is None:
        return None
    if isinstance(value, int):
        return value
    number = Decimal(str(value))
    return int(number) if number == number.to_integral_value() else float(number)


def _plan_or_404(slug: str) -> Plan:
    plan = selectors.plan_by_slug(slug) if valid_slug(slug) else None
    if plan is None:
        raise ApiNotFound(f"Aucun plan d'identifiant « {slug[:60]} ».")
    return plan


def _breakdown(result: IndicatorResult, filters, dimension: str) -> tuple[list[dict] | None, str]:
    if not dimension:
        return None, ""
    indicator = result.indicator
    label = str(Breakdown(dimension).label).lower()
    if not selectors.breakdown_allowed(indicator, dimension):
        if not indicator.is_automatic:
            note = "Valeur saisie pour l'ensemble du plan : pas de ventilation."
        else:
            note = f"Cet indicateur ne se ventile pas par {label}."
        return [], note
    rows = selectors.breakdown(indicator, filters, dimension)
    return [{"key": r.key, "label": r.label, "value": _number(r.value)} for r in rows], ""


def _indicator_payload(result: IndicatorResult, filters, dimension: str) -> dict:
    indicator = result.indicator
    measure = indicator.measure
    rows, note = _breakdown(result, filters, dimension)
    return {
        "code": indicator.code,
        "name": indicator.name,
        "measure": measure.number,
        "measure_title": measure.title,
        "axis": measure.axis.number,
        "unit": indicator.unit,
        "direction": indicator.direction,
        "kind": "automatic" if indicator.is_automatic else "manual",
        "value": None if result.not_broken_down else _number(result.value),
        "target": _number(result.target),
        "progress": None if result.progress is None else float(result.progress),
        "progress_percent": result.progress_percent,
        "status": result.status.key,
        "status_label": result.status.label,
        "detail": result.detail,
        "source": source_text(result),
        "breakdown": rows,
        "breakdown_note": note,
    }


# --- endpoints -------------------------------------------------------------------------------


@router.get(
    "/plans",
    response=list[PlanOut],
    summary="Plans régionaux pour l'export (axes, mesures, indicateurs)",
    description="Les plans enregistrés, du plus récent au plus ancien, avec leurs effectifs.",
)
def plan_list(request):
    found = []
    for plan in selectors.plans():
        found.append(
            {
                "slug": plan.slug,
                "name": plan.name,
                "description": plan.description,
                "first_year": plan.first_year,
                "last_year": plan.last_year,
                "owner": plan.owner.name if plan.owner_id else None,
                "axes": plan.axes.count(),
                "measures": plan.measures.count(),
                "indicators": plan.indicators.count(),
                "url": reverse("plans:dashboard", args=[plan.slug]),
            }
        )
    return found


@router.get(
    "/plans/{slug}/indicators",
    response=IndicatorsOut,
    summary="Indicateurs d'un plan pour une année : valeur, cible, statut, ventilation",
    description=(
        "Chaque indicateur du plan pour l'année `year` (par défaut l'année en cours, dans les "
        "années du plan) et les filtres du tableau de bord : `partner` (numéro d'organisation), "
        "`filiere` (numéro de filière), `departement` (code INSEE), `size` (TPE, PME, "
        "ETI, GE). `breakdown` (partner, filiere, departement, size) ajoute la valeur pour "
        "chaque membre de la dimension ; liste vide et `breakdown_note` quand l'indicateur ne "
        "se ventile pas ainsi. Statuts : reached, on_track, watch, late, no_target, no_value."
    ),
)
def plan_indicators(request, slug: str, params: Query[IndicatorsQuery]):
    plan = _plan_or_404(slug)
    year, year_error = parse_year(plan, params.year)
    parsed = parse_filters(params.model_dump(), plan=plan, year=year)
    errors = dict(parsed.errors)
    if year_error:
        errors["year"] = [year_error]
    dimension = params.breakdown.strip()
    if breakdown_error(dimension):
        errors["breakdown"] = [breakdown_error(dimension)]
    if errors:
        raise _invalid(DjangoValidationError(errors), "query")
    filters = parsed.filters
    results = [r for m in selectors.evaluate_plan(plan, filters) for r in m.results]
    return {
        "plan": plan.slug,
        "year": year,
        "filters": query_of(filters),
        "breakdown": dimension or None,
        "indicators": [_indicator_payload(r, filters, dimension) for r in results],
    }
