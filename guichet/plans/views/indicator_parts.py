"""What an indicator's page shows: its series against the targets, the years table, one chart
per allowed breakdown, the history of the values entered by hand."""

from __future__ import annotations

from django.urls import reverse

from guichet.plans import charts, computations, selectors
from guichet.plans.computations import Filters
from guichet.plans.forms_filters import filters_query
from guichet.plans.models import Breakdown, Indicator, Plan
from guichet.plans.selectors import IndicatorResult
from guichet.plans.status import status_for

# The query parameter of each breakdown dimension (the filter form's field).
PARAMETER = {
    Breakdown.PARTNER: "partner",
    Breakdown.FILIERE: "filiere",
    Breakdown.DEPARTEMENT: "departement",
    Breakdown.SIZE: "size",
}
# The filter a dimension replaces (left aside so every member shows).
FILTER_FIELD = {
    Breakdown.PARTNER: "organisation_id",
    Breakdown.FILIERE: "filiere_id",
    Breakdown.DEPARTEMENT: "departement",
    Breakdown.SIZE: "size",
}


def computation_info(indicator: Indicator) -> dict | None:
    """The library's description of the indicator's computation (a dict: a Computation is
    callable, and templates call what they can)."""
    computation = computations.get(indicator.computation) if indicator.computation else None
    if computation is None:
        return None
    return {
        "label": computation.label,
        "unit": computation.unit,
        "description": computation.description,
        "source": computation.source,
    }


def _targets(indicator: Indicator) -> dict[int, object]:
    return {target.year: target.value for target in indicator.targets.all()}


def series_chart(indicator: Indicator, result: IndicatorResult):
    if not any(value is not None for _, value in result.series):
        return None
    return charts.series_chart(
        chart_id=f"serie-{indicator.code}",
        title=f"{indicator.name} par année",
        points=result.series,
        targets=_targets(indicator),
        unit=indicator.unit,
    )


def year_rows(indicator: Indicator, result: IndicatorResult) -> list[dict]:
    """Each year of the plan: target, realised value (years to come have none) and status."""
    realised = dict(result.series)
    targets = _targets(indicator)
    today = selectors.today()
    rows = []
    for year in indicator.plan.years:
        value = realised.get(year)
        target = targets.get(year)
        status = (
            status_for(value, target, year=year, direction=indicator.direction, today=today)
            if year <= today.year
            else None
        )
        rows.append(
            {
                "year": year,
                "target": charts.format_number(target, indicator.unit)
                if target is not None
                else "–",
                "value": charts.format_number(value, indicator.unit) if value is not None else "–",
                "status": status,
                "selected": year == result.year,
            }
        )
    return rows


def breakdown_charts(indicator: Indicator, filters: Filters, *, plan: Plan) -> list[dict]:
    """One chart per breakdown the indicator allows: its value for each member (members with
    no value left out), each bar linking to the records of that member."""
    out = []
    records = reverse("plans:records", args=[plan.slug, indicator.code])
    for dimension in Breakdown:
        if not selectors.breakdown_allowed(indicator, dimension):
            continue
        rows = selectors.breakdown(
            indicator, filters.with_(**{FILTER_FIELD[dimension]: None}), dimension
        )
        shown = [row for row in rows if row.value]
        entry = {"label": str(dimension.label), "dimension": dimension.value, "chart": None}
        if shown:
            entry["chart"] = charts.bar_rows(
                chart_id=f"ventilation-{dimension.value}",
                title=f"{indicator.name} en {filters.year}, par {str(dimension.label).lower()}",
                rows=[(row.label, row.value) for row in shown],
                unit=indicator.unit,
                category_header=str(dimension.label),
                links=[
                    f"{records}?{filters_query(filters, **{PARAMETER[dimension]: row.key})}"
                    for row in shown
                ],
            )
            entry["hidden"] = len(rows) - len(shown)
        out.append(entry)
    return out


def manual_history(indicator: Indicator) -> list:
    if indicator.is_automatic:
        return []
    return list(selectors.manual_values(indicator).order_by("-year", "-entered_at", "-pk"))
