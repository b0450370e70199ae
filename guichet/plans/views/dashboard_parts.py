"""What the plan's pages show, built from the selectors' results: the indicator rows with their
bars and sparklines, the summary of statuses, the map of accompanied companies, the journey
funnel, the dashboard's export. The views stay thin; nothing here writes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from django.conf import settings
from django.urls import reverse

from guichet.core.charts import Chart
from guichet.plans import charts, computations, francemap, selectors
from guichet.plans.computations import Filters
from guichet.plans.forms_filters import filters_query
from guichet.plans.models import Breakdown, Indicator, Plan
from guichet.plans.permissions import can_edit_plan, can_enter_value
from guichet.plans.selectors import IndicatorResult, MeasureResults
from guichet.plans.status import (
    LATE,
    NO_TARGET,
    NO_VALUE,
    ON_TRACK,
    REACHED,
    WATCH,
)

STATUS_ORDER = (REACHED, ON_TRACK, WATCH, LATE, NO_TARGET, NO_VALUE)
# The map shows the companies accompanied (helper A's computation) per head-office département.
MAP_COMPUTATION = "companies_accompanied"
# The journey funnel: companies that reached each stage in the year.
FUNNEL_STAGES = (
    ("journey_identified", "Repérées"),
    ("journey_contacted", "Contactées"),
    ("journey_diagnosed", "Diagnostiquées"),
    ("journey_accompanied", "Accompagnées"),
)


def page_url(name: str, *args) -> str:
    return reverse(name, args=args)


def format_value(value, unit: str = "") -> str:
    return charts.format_number(value, unit)


@dataclass
class IndicatorRow:
    result: IndicatorResult
    value: str
    target: str
    bar: int | None  # progress for the bar, 0–100
    sparkline: str
    detail_url: str
    records_url: str
    edit_url: str | None
    targets_url: str | None
    manual_url: str | None

    @property
    def indicator(self) -> Indicator:
        return self.result.indicator


def indicator_row(result: IndicatorResult, *, plan: Plan, query: str, user) -> IndicatorRow:
    indicator = result.indicator
    unit = indicator.unit
    may_edit = can_edit_plan(user, plan)
    return IndicatorRow(
        result=result,
        value=format_value(result.value, unit) if result.value is not None else "–",
        target=format_value(result.target, unit) if result.target is not None else "–",
        bar=min(max(result.progress_percent, 0), 100)
        if result.progress_percent is not None
        else None,
        sparkline=charts.sparkline(result.series, label=indicator.name, current=result.year),
        detail_url=f"{reverse('plans:indicator', args=[plan.slug, indicator.code])}?{query}",
        records_url=f"{reverse('plans:records', args=[plan.slug, indicator.code])}?{query}",
        edit_url=page_url("plans:indicator_edit", plan.slug, indicator.code) if may_edit else None,
        targets_url=page_url("plans:targets", plan.slug, indicator.code) if may_edit else None,
        manual_url=page_url("plans:manual_value", plan.slug, indicator.code)
        if not indicator.is_automatic and can_enter_value(user, indicator)
        else None,
    )


def axes_of(measures: list[MeasureResults], *, plan: Plan, query: str, user) -> list[dict]:
    """Measures grouped under their axis, in the plan's order, each with its indicator rows."""
    axes: list[dict] = []
    may_edit = can_edit_plan(user, plan)
    for item in measures:
        axis = item.measure.axis
        if not axes or axes[-1]["axis"].pk != axis.pk:
            axes.append({"axis": axis, "measures": []})
        axes[-1]["measures"].append(
            {
                "measure": item.measure,
                "rows": [
                    indicator_row(result, plan=plan, query=query, user=user)
                    for result in item.results
                ],
                "report_url": page_url("plans:measure_report", plan.slug, item.measure.number)
                if may_edit
                else None,
            }
        )
    return axes


def status_summary(measures: list[MeasureResults]) -> list[dict]:
    """How many indicators have each status, in the traffic light's order (none left out)."""
    counts = Counter(result.status.key for item in measures for result in item.results)
    return [{"status": status, "count": counts.get(status.key, 0)} for status in STATUS_ORDER]


# --- Map ----------------------------------------------------------------------------------


def region_departements() -> list[str]:
    from guichet.reference.models import Departement

    return list(
        Departement.objects.filter(region_id=settings.GUICHET_REGION).values_list("code", flat=True)
    )


def map_context(plan: Plan, filters: Filters, *, dashboard_url: str) -> dict | None:
    """The companies accompanied in the year per head-office département (the other filters
    kept, the département filter left aside so the whole région shows), as a map and a table.
    None when the computation is not in the library."""
    computation = computations.get(MAP_COMPUTATION)
    if computation is None:
        return None
    probe = Indicator(
        plan=plan, code="", computation=MAP_COMPUTATION, breakdowns=[Breakdown.DEPARTEMENT]
    )
    rows = selectors.breakdown(probe, filters.with_(departement=None), Breakdown.DEPARTEMENT)
    values = {row.key: row.value for row in rows if row.value}
    total = sum(values.values()) if values else 0
    unit = computation.unit or "entreprises"
    links = {
        row.key: f"{dashboard_url}?{filters_query(filters, departement=row.key)}" for row in rows
    }
    title = f"{computation.label} en {filters.year}, par département du siège"
    return {
        "title": title,
        "svg": francemap.france_map_svg(
            values,
            title=title,
            unit=unit,
            focus=region_departements(),
            links=links,
            legend_title=unit.capitalize(),
        ),
        "rows": [
            {
                "label": row.label,
                "value": format_value(row.value),
                "share": format_value(round(Decimal(row.value) * 100 / total, 1), "%")
                if total
                else "–",
                "url": links[row.key],
            }
            for row in sorted(rows, key=lambda r: (-(r.value or 0), r.label))
            if row.value
        ],
        "total": format_value(total),
        "unit": unit,
        "description": computation.description,
    }


# --- Funnel -------------------------------------------------------------------------------


def _records_url_by_computation(plan: Plan, query: str) -> dict[str, str]:
    urls = {}
    for indicator in selectors.indicators_of(plan):
        if indicator.computation and indicator.computation not in urls:
            urls[indicator.computation] = (
                f"{reverse('plans:records', args=[plan.slug, indicator.code])}?{query}"
            )
    return urls


def funnel_context(plan: Plan, filters: Filters, *, query: str) -> dict:
    """The companies that reached each journey stage in the year (the library's journey_*
    computations), each stage linked to its records."""
    records = _records_url_by_computation(plan, query)
    stages = [
        {
            "label": label,
            "value": computations.get(key)(filters).value or 0,
            "url": records.get(key),
            "rate": None,
        }
        for key, label in FUNNEL_STAGES
    ]
    heading = f"Entreprises ayant atteint chaque étape en {filters.year}"
    if not any(stage["value"] for stage in stages):
        return {"heading": heading, "empty": True}
    for stage in stages:
        stage["display"] = format_value(stage["value"])
    for previous, stage in pairwise(stages):
        stage["rate"] = (
            format_value(round(Decimal(stage["value"]) * 100 / previous["value"]), "%")
            if previous["value"]
            else "–"
        )
    chart: Chart = charts.bar_rows(
        chart_id="entonnoir-plan",
        title=heading,
        rows=[(stage["label"], stage["value"]) for stage in stages],
        unit="",
        category_header="Étape",
        links=[stage.get("url") for stage in stages],
    )
    return {"heading": heading, "stages": stages, "chart": chart, "empty": False}


# --- Export -------------------------------------------------------------------------------

EXPORT_HEADERS = [
    "Axe",
    "Mesure",
    "Code",
    "Indicateur",
    "Unité",
    "Année",
    "Valeur",
    "Cible",
    "Avancement (%)",
    "Statut",
    "Dont",
    "Saisie",
    "Source de la valeur saisie",
]


def export_rows(measures: list[MeasureResults]):
    for item in measures:
        measure = item.measure
        for result in item.results:
            indicator = result.indicator
            yield (
                f"Axe {measure.axis.number} – {measure.axis.title}",
                f"Mesure {measure.number} – {measure.title}",
                indicator.code,
                indicator.name,
                indicator.unit,
                result.year,
                result.value,
                result.target,
                result.progress_percent,
                result.status.label,
                result.detail,
                "Automatique" if indicator.is_automatic else "Manuelle",
                result.manual.source if result.manual else "",
            )
