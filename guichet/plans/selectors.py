"""Reads of the plan: indicators evaluated for a year and filters, their series over the
plan's years, their breakdowns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from guichet.plans import computations
from guichet.plans.computations import Figure, Filters
from guichet.plans.models import Breakdown, Indicator, ManualValue, Measure, Plan
from guichet.plans.status import NO_VALUE, Status, progress, status_for


def today() -> date:
    return timezone.localdate()


def plans() -> QuerySet[Plan]:
    return Plan.objects.select_related("owner")


def plan_by_slug(slug: str) -> Plan | None:
    return plans().filter(slug=slug).first()


def measures_of(plan: Plan) -> QuerySet[Measure]:
    return (
        Measure.objects.filter(plan=plan)
        .select_related("axis", "lead")
        .prefetch_related(
            Prefetch(
                "indicators",
                queryset=Indicator.objects.select_related("owner", "plan").prefetch_related(
                    "targets"
                ),
            )
        )
        .order_by("number")
    )


def indicators_of(plan: Plan) -> QuerySet[Indicator]:
    return (
        Indicator.objects.filter(plan=plan)
        .select_related("measure", "measure__axis", "owner", "plan")
        .prefetch_related("targets")
        .order_by("measure__number", "order", "code")
    )


def target_for(indicator: Indicator, year: int) -> Decimal | None:
    for target in indicator.targets.all():
        if target.year == year:
            return target.value
    return None


def latest_manual_value(indicator: Indicator, year: int) -> ManualValue | None:
    return (
        ManualValue.objects.filter(indicator=indicator, year=year)
        .select_related("entered_by", "organisation")
        .order_by("-entered_at", "-pk")
        .first()
    )


def manual_values(indicator: Indicator) -> QuerySet[ManualValue]:
    return ManualValue.objects.filter(indicator=indicator).select_related(
        "entered_by", "organisation"
    )


@dataclass
class IndicatorResult:
    indicator: Indicator
    year: int
    value: Decimal | int | None
    target: Decimal | None
    status: Status
    progress: Decimal | None
    figure: Figure | None = None
    manual: ManualValue | None = None
    # A manual value is the whole plan's: it cannot be filtered by partner or company.
    not_broken_down: bool = False
    series: list[tuple[int, Decimal | int | None]] = field(default_factory=list)

    @property
    def detail(self) -> str:
        return self.figure.detail if self.figure else ""

    @property
    def progress_percent(self) -> int | None:
        if self.progress is None:
            return None
        return int((self.progress * 100).to_integral_value())


def value_for(
    indicator: Indicator, filters: Filters
) -> tuple[Decimal | int | None, Figure | None, ManualValue | None, bool]:
    """(value, figure, manual value, not broken down) of one indicator for the filters."""
    if indicator.is_automatic:
        computation = computations.get(indicator.computation)
        if computation is None:
            return None, None, None, False
        figure = computation(filters)
        return figure.value, figure, None, False
    if filters.year is None:
        return None, None, None, False
    if filters.organisation_id or filters.has_company_filter:
        return None, None, None, True
    manual = latest_manual_value(indicator, filters.year)
    return (manual.value if manual else None), None, manual, False


def evaluate(
    indicator: Indicator,
    filters: Filters,
    *,
    on: date | None = None,
    with_series: bool = False,
) -> IndicatorResult:
    """The indicator for ``filters.year`` (required) with its target, status and progress."""
    year = filters.year
    if year is None:
        raise ValueError("evaluate needs a year")
    on = on or today()
    value, figure, manual, not_broken_down = value_for(indicator, filters)
    target = target_for(indicator, year)
    status = (
        NO_VALUE
        if not_broken_down
        else status_for(value, target, year=year, direction=indicator.direction, today=on)
    )
    result = IndicatorResult(
        indicator=indicator,
        year=year,
        value=value,
        target=target,
        status=status,
        progress=progress(value, target),
        figure=figure,
        manual=manual,
        not_broken_down=not_broken_down,
    )
    if with_series:
        result.series = series(indicator, filters, known={year: value})
    return result


def series(
    indicator: Indicator,
    filters: Filters,
    *,
    known: dict[int, Decimal | int | None] | None = None,
) -> list[tuple[int, Decimal | int | None]]:
    """The value for each of the plan's years up to the current one; ``known`` holds values
    already computed for these filters (the year being shown), which are not computed again."""
    known = known or {}
    last = min(indicator.plan.last_year, today().year)
    points = []
    for year in range(indicator.plan.first_year, last + 1):
        if year in known:
            value = known[year]
        else:
            value, _figure, _manual, _nb = value_for(indicator, filters.with_(year=year))
        points.append((year, value))
    return points


@dataclass
class MeasureResults:
    measure: Measure
    results: list[IndicatorResult]


def evaluate_plan(
    plan: Plan, filters: Filters, *, on: date | None = None, with_series: bool = False
) -> list[MeasureResults]:
    """Every measure of the plan with its indicators evaluated."""
    out = []
    for measure in measures_of(plan):
        results = [
            evaluate(indicator, filters, on=on, with_series=with_series)
            for indicator in measure.indicators.all()
        ]
        out.append(MeasureResults(measure=measure, results=results))
    return out


@dataclass(frozen=True)
class BreakdownRow:
    key: str
    label: str
    value: Decimal | int | None


def breakdown_members(dimension: str) -> list[tuple[str, str]]:
    """(key, French label) of each value of a breakdown dimension."""
    from guichet.companies.models import Establishment, Filiere, SizeCategory
    from guichet.partners.models import Organisation
    from guichet.reference.models import Departement

    if dimension == Breakdown.PARTNER:
        return [
            (str(pk), name)
            for pk, name in Organisation.objects.filter(is_active=True)
            .order_by("name")
            .values_list("pk", "name")
        ]
    if dimension == Breakdown.FILIERE:
        return [
            (str(pk), name)
            for pk, name in Filiere.objects.order_by("name").values_list("pk", "name")
        ]
    if dimension == Breakdown.SIZE:
        return [(value, str(label)) for value, label in SizeCategory.choices]
    if dimension == Breakdown.DEPARTEMENT:
        used = (
            Establishment.objects.filter(is_headquarters=True, departement__isnull=False)
            .values("departement_id")
            .distinct()
        )
        return [
            (code, f"{name} ({code})")
            for code, name in Departement.objects.filter(code__in=used)
            .order_by("code")
            .values_list("code", "name")
        ]
    raise ValueError(f"unknown breakdown {dimension!r}")


def filters_for_member(filters: Filters, dimension: str, key: str) -> Filters:
    if dimension == Breakdown.PARTNER:
        return filters.with_(organisation_id=int(key))
    if dimension == Breakdown.FILIERE:
        return filters.with_(filiere_id=int(key))
    if dimension == Breakdown.SIZE:
        return filters.with_(size=key)
    if dimension == Breakdown.DEPARTEMENT:
        return filters.with_(departement=key)
    raise ValueError(f"unknown breakdown {dimension!r}")


def breakdown_allowed(indicator: Indicator, dimension: str) -> bool:
    if not indicator.is_automatic or dimension not in (indicator.breakdowns or []):
        return False
    computation = computations.get(indicator.computation)
    return computation is not None and dimension in computation.breakdowns


def breakdown(indicator: Indicator, filters: Filters, dimension: str) -> list[BreakdownRow]:
    """The indicator's value for each member of the dimension (the other filters kept). Empty
    when the indicator does not allow that breakdown."""
    if not breakdown_allowed(indicator, dimension):
        return []
    computation = computations.get(indicator.computation)
    rows = []
    for key, label in breakdown_members(dimension):
        figure = computation(filters_for_member(filters, dimension, key))
        rows.append(BreakdownRow(key=key, label=label, value=figure.value))
    return rows
