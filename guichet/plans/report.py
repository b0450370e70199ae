"""The plan's yearly report (bilan), in the shape of the PAREX 1 bilan (seed 000): per axis and
measure, what was done in the year, in words, then the indicators that measure it ("500
entreprises différentes… 344 diagnostiquées… 76 emplois dont 28 VIE"), with their targets,
status and charts, and an annex telling how each figure is obtained.

The same evaluation (``selectors.evaluate_plan``) feeds the PDF and the spreadsheet
(``report_xlsx``), so both say the same numbers as the dashboard for the same filters. The PDF
is rendered by WeasyPrint from a template that references nothing outside itself (the
machine's DejaVu fonts, inline SVG charts); any attempt to fetch a URL is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone

from guichet.core.charts import Chart, Series, bar_chart, fr_number
from guichet.core.money import euros
from guichet.plans import computations, selectors
from guichet.plans.computations import Filters
from guichet.plans.models import Axis, Breakdown, Direction, MeasureReport, Plan
from guichet.plans.report_params import describe_filters, format_error
from guichet.plans.selectors import IndicatorResult, MeasureResults
from guichet.plans.status import LATE, NO_TARGET, NO_VALUE, ON_TRACK, REACHED, WATCH

PDF_TYPE = "application/pdf"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

MANUAL_METHOD = (
    "La valeur de l'année est la dernière saisie par le partenaire "
    "responsable, avec sa période et sa source. Elle vaut pour l'ensemble du plan et ne se "
    "ventile ni par partenaire ni par entreprise."
)
STATUS_METHOD = (
    "Pour une année terminée, la valeur est comparée à la cible de l'année. Pour l'année en "
    "cours, elle est comparée à la part de la cible attendue à la date du bilan (cible × jours "
    "écoulés / jours de l'année). Cible atteinte ou en bonne voie : au moins 100 % de ce qui "
    "est attendu ; à surveiller : au moins 75 % ; en retard : moins de 75 %. Pour un indicateur "
    "où « plus c'est bas, mieux c'est », la cible est un plafond pour toute l'année."
)


# --- numbers in words ------------------------------------------------------------------------


def _decimals(value: Decimal | int | float) -> int:
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return 0
    return 1 if (number * 10) == (number * 10).to_integral_value() else 2


def format_value(value: Decimal | int | float | None, unit: str = "") -> str:
    """A figure as French readers write it, with its unit: "412 entreprises", "330 000 €",
    "62,5 %"."""
    if value is None:
        return "–"
    if unit.strip() == "€":
        return euros(value)
    return fr_number(float(value), _decimals(value), unit.strip())


_JOINED_WORDS = ("dont", "pour", "sur", "soit")


def with_detail(text: str, detail: str) -> str:
    """A figure and its detail: "76 emplois dont 28 V.I.E." when the detail carries on the
    sentence, "24 diagnostics, 22 entreprises différentes" when it stands alone."""
    if not detail:
        return text
    first = detail.split(" ", 1)[0].lower()
    return f"{text} {detail}" if first in _JOINED_WORDS else f"{text}, {detail}"


def percent_text(result: IndicatorResult) -> str:
    percent = result.progress_percent
    return "–" if percent is None else f"{percent}\u00a0%"


# --- the report's content --------------------------------------------------------------------


@dataclass
class IndicatorRow:
    result: IndicatorResult
    chart: Chart | None = None

    @property
    def indicator(self):
        return self.result.indicator

    @property
    def value_text(self) -> str:
        if self.result.not_broken_down:
            return "non ventilable"
        return format_value(self.result.value, self.indicator.unit)

    @property
    def target_text(self) -> str:
        return format_value(self.result.target, self.indicator.unit)

    @property
    def progress_text(self) -> str:
        return percent_text(self.result)

    @property
    def kind_label(self) -> str:
        return "Automatique" if self.indicator.is_automatic else "Saisie manuelle"

    @property
    def source_text(self) -> str:
        return source_text(self.result)


def source_text(result: IndicatorResult) -> str:
    """Where the figure comes from: the manual value's source and period, or the computation's
    source capability."""
    indicator = result.indicator
    if indicator.is_automatic:
        computation = computations.get(indicator.computation)
        return (
            f"Calcul automatique ({computation.source})" if computation else "Calcul indisponible"
        )
    if result.not_broken_down:
        return "Valeur saisie pour l'ensemble du plan : non ventilable selon les filtres choisis"
    manual = result.manual
    if manual is None:
        return "Aucune valeur saisie pour l'année"
    parts = [manual.source]
    if manual.period:
        parts.append(f"période : {manual.period}")
    if manual.organisation_id:
        parts.append(f"saisie par {manual.organisation.name}")
    parts.append(f"le {timezone.localtime(manual.entered_at):%d/%m/%Y}")
    return " ; ".join(parts)


@dataclass
class MeasureBlock:
    measure_results: MeasureResults
    text: str
    rows: list[IndicatorRow]

    @property
    def measure(self):
        return self.measure_results.measure


@dataclass
class AxisBlock:
    axis: Axis
    measures: list[MeasureBlock]


@dataclass
class MethodEntry:
    code: str
    name: str
    definition: str
    kind: str
    method: str
    source: str
    breakdowns: str


@dataclass
class ReportData:
    plan: Plan
    year: int
    filters: Filters
    filter_lines: list[tuple[str, str]]
    generated_on: date
    measures: list[MeasureResults]
    axes: list[AxisBlock] = field(default_factory=list)
    key_figures: list[str] = field(default_factory=list)
    status_summary: str = ""
    methods: list[MethodEntry] = field(default_factory=list)

    @property
    def results(self) -> list[IndicatorResult]:
        return [r for m in self.measures for r in m.results]

    @property
    def title(self) -> str:
        return f"Bilan {self.year} — {self.plan.name}"


def key_figure(result: IndicatorResult) -> str:
    """One sentence of the summary: "Entreprises accompagnées : 412 entreprises, dont 28 V.I.E.,
    pour une cible de 500 (82 %) — en bonne voie."."""
    indicator = result.indicator
    text = with_detail(
        f"{indicator.name} : {format_value(result.value, indicator.unit)}", result.detail
    )
    if result.target is not None:
        text += f", pour une cible de {format_value(result.target, indicator.unit)}"
        if result.progress_percent is not None:
            text += f" ({percent_text(result)})"
        text += f" — {result.status.label.lower()}"
    return text + "."


def status_summary(results: list[IndicatorResult]) -> str:
    if not results:
        return "Le plan ne compte encore aucun indicateur."
    counts = {}
    for result in results:
        counts[result.status.key] = counts.get(result.status.key, 0) + 1
    words = [
        (REACHED, "cible atteinte"),
        (ON_TRACK, "en bonne voie"),
        (WATCH, "à surveiller"),
        (LATE, "en retard"),
        (NO_TARGET, "sans cible"),
        (NO_VALUE, "sans valeur"),
    ]
    parts = [f"{label} pour {counts[s.key]}" for s, label in words if counts.get(s.key)]
    total = len(results)
    noun = "indicateur" if total == 1 else "indicateurs"
    return f"Sur {total} {noun} : " + ", ".join(parts) + "."


def _chart(result: IndicatorResult, year: int) -> Chart | None:
    """Realised value and target over the plan's years up to the report's year."""
    indicator = result.indicator
    points = [(y, v) for y, v in result.series if y <= year]
    if not points:
        return None
    years = [y for y, _v in points]
    values = [None if v is None else float(v) for _y, v in points]
    targets = [selectors.target_for(indicator, y) for y in years]
    targets = [None if t is None else float(t) for t in targets]
    if all(v is None for v in values + targets):
        return None
    unit = indicator.unit.strip() if indicator.unit.strip() in ("€", "%") else ""
    decimals = max((_decimals(v) for v in values + targets if v is not None), default=0)
    return bar_chart(
        chart_id=f"chart-{indicator.pk}",
        title=f"{indicator.code} – {indicator.name} : réalisé et cible par année",
        description=(
            f"Valeurs réalisées et cibles de {years[0]} à {years[-1]}"
            + (f" ({indicator.unit})" if indicator.unit else "")
            + "."
        ),
        categories=[str(y) for y in years],
        series=[Series("Réalisé", values), Series("Cible", targets, colour="#c3992a")],
        decimals=min(decimals, 1),
        unit=unit,
        category_header="Année",
    )


def _method(indicator) -> MethodEntry:
    allowed = ", ".join(
        str(label)
        for value, label in Breakdown.choices
        if value in (indicator.breakdowns or []) and selectors.breakdown_allowed(indicator, value)
    )
    if not indicator.is_automatic:
        return MethodEntry(
            indicator.code,
            indicator.name,
            indicator.definition,
            "Saisie manuelle",
            MANUAL_METHOD,
            "",
            "",
        )
    computation = computations.get(indicator.computation)
    if computation is None:
        return MethodEntry(
            indicator.code,
            indicator.name,
            indicator.definition,
            "Calcul automatique",
            f"Le calcul « {indicator.computation} » n'existe plus dans la bibliothèque : "
            "l'indicateur n'a pas de valeur.",
            "",
            "",
        )
    return MethodEntry(
        indicator.code,
        indicator.name,
        indicator.definition,
        f"Calcul automatique « {computation.label} »",
        computation.description,
        computation.source,
        allowed,
    )


def report_data(
    plan: Plan, year: int, filters: Filters, *, on: date | None = None, charts: bool = True
) -> ReportData:
    """Everything the report says for ``year`` and ``filters`` (``filters.year`` is replaced)."""
    filters = filters.with_(year=year)
    measures = selectors.evaluate_plan(plan, filters, on=on, with_series=charts)
    texts = dict(
        MeasureReport.objects.filter(measure__plan=plan, year=year).values_list(
            "measure_id", "text"
        )
    )
    data = ReportData(
        plan=plan,
        year=year,
        filters=filters,
        filter_lines=describe_filters(filters),
        generated_on=on or timezone.localdate(),
        measures=measures,
    )
    by_axis: dict[int, AxisBlock] = {}
    for measure_results in measures:
        measure = measure_results.measure
        rows = [
            IndicatorRow(result, _chart(result, year) if charts else None)
            for result in measure_results.results
        ]
        block = MeasureBlock(measure_results, texts.get(measure.pk, "").strip(), rows)
        if measure.axis_id not in by_axis:
            by_axis[measure.axis_id] = AxisBlock(measure.axis, [])
        by_axis[measure.axis_id].measures.append(block)
    data.axes = sorted(by_axis.values(), key=lambda a: a.axis.number)
    results = data.results
    data.key_figures = [
        key_figure(r) for r in results if r.value is not None and not r.not_broken_down
    ]
    data.status_summary = status_summary(results)
    data.methods = [_method(r.indicator) for r in results]
    return data


# --- PDF -------------------------------------------------------------------------------------


class ExternalResourceRefused(Exception):
    pass


def _refuse_fetch(url: str, *args, **kwargs):
    """The report embeds everything: fetching a URL would leak it or hang the worker."""
    raise ExternalResourceRefused(f"Ressource externe refusée dans le bilan : {url}")


def report_html(data: ReportData) -> str:
    return render_to_string(
        "plans/report/report.html",
        {
            "data": data,
            "plan": data.plan,
            "status_method": STATUS_METHOD,
            "direction_down": Direction.DOWN,
        },
    )


def report_pdf(data: ReportData, **options) -> bytes:
    """The report as PDF bytes; ``options`` go to WeasyPrint (tests ask for an uncompressed
    file to read its bookmarks and metadata)."""
    from weasyprint import HTML

    html = report_html(data)
    return HTML(string=html, base_url=None, url_fetcher=_refuse_fetch).write_pdf(**options)


def report_filename(plan: Plan, year: int, fmt: str, filters: Filters | None = None) -> str:
    suffix = (
        "-filtre" if filters and (filters.organisation_id or filters.has_company_filter) else ""
    )
    return f"bilan-{plan.slug}-{year}{suffix}.{fmt}"


def build_report(
    plan: Plan, year: int, filters: Filters, fmt: str, *, on: date | None = None
) -> tuple[bytes, str, str]:
    """(content, file name, content type) of the yearly report in ``fmt`` ("pdf" or "xlsx")."""
    error = format_error(fmt)
    if error:
        raise ValueError(error)
    if fmt == "xlsx":
        from guichet.plans.report_xlsx import report_workbook

        data = report_data(plan, year, filters, on=on, charts=False)
        return report_workbook(data), report_filename(plan, year, fmt, filters), XLSX_TYPE
    data = report_data(plan, year, filters, on=on)
    return report_pdf(data), report_filename(plan, year, fmt, filters), PDF_TYPE
