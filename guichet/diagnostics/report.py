"""What a completed diagnostic says, for the results page and the PDF report alike: scores per
dimension, level and its explanation, radar, strengths and gaps, recommendations, the action
plan, and what changed since the company's previous diagnostic.

The scores shown are those stored at completion (the version's rules at that time); the
recommendations are read again from the answers (a published version never changes, so they
are the same). The PDF is rendered by WeasyPrint from an HTML template that references
nothing outside itself: fonts are the machine's (DejaVu), the radar is inline SVG, and any
attempt to fetch a URL is refused.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from guichet.core.charts import Chart, Series
from guichet.diagnostics import radar, scoring
from guichet.diagnostics.models import Diagnostic, Dimension
from guichet.diagnostics.radar import score_text

RESULT_STATUSES = (Diagnostic.Status.COMPLETED, Diagnostic.Status.SHARED)
STABLE_MARGIN = 2.0  # a change of less than 2 points out of 100 is read as stable


@dataclass(frozen=True)
class DimensionScore:
    code: str
    label: str
    description: str
    score: float | None
    previous: float | None = None

    @property
    def score_text(self) -> str:
        return score_text(self.score) if self.score is not None else ""

    @property
    def bar(self):
        return radar.score_bar(self.score, label=self.label)


@dataclass(frozen=True)
class ComparisonRow:
    code: str
    label: str
    before: float | None
    after: float | None

    @property
    def delta(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return round(self.after - self.before, 1)

    @property
    def trend(self) -> str:
        """improved, regressed, stable, or "" when one side has no score."""
        if self.delta is None:
            return ""
        if self.delta >= STABLE_MARGIN:
            return "improved"
        if self.delta <= -STABLE_MARGIN:
            return "regressed"
        return "stable"

    @property
    def trend_label(self) -> str:
        return {
            "improved": "En progrès",
            "regressed": "En recul",
            "stable": "Stable",
        }.get(self.trend, "Non comparable")

    @property
    def delta_text(self) -> str:
        if self.delta is None:
            return "–"
        sign = "+" if self.delta > 0 else ("−" if self.delta < 0 else "")
        return f"{sign}{score_text(abs(self.delta))}"

    @property
    def before_text(self) -> str:
        return score_text(self.before) if self.before is not None else "–"

    @property
    def after_text(self) -> str:
        return score_text(self.after) if self.after is not None else "–"


@dataclass(frozen=True)
class Comparison:
    earlier: Diagnostic
    later: Diagnostic
    rows: list[ComparisonRow]
    same_version: bool
    left_out: list[str]  # labels of dimensions present in only one of the two versions
    radar: Chart | None

    @property
    def improved(self) -> list[ComparisonRow]:
        return sorted((r for r in self.rows if r.trend == "improved"), key=lambda r: -r.delta)

    @property
    def regressed(self) -> list[ComparisonRow]:
        return sorted((r for r in self.rows if r.trend == "regressed"), key=lambda r: r.delta)

    @property
    def earlier_level(self) -> str:
        return scoring.level_label(self.earlier.level)

    @property
    def later_level(self) -> str:
        return scoring.level_label(self.later.level)

    @property
    def overall_delta(self) -> ComparisonRow:
        return ComparisonRow(
            "overall",
            "Score global",
            as_float(self.earlier.overall_score),
            as_float(self.later.overall_score),
        )


@dataclass
class Results:
    diagnostic: Diagnostic
    dimensions: list[DimensionScore]
    level: scoring.Level | None
    radar: Chart | None
    previous: Diagnostic | None
    comparison: Comparison | None
    full: bool
    strengths: list[DimensionScore] = field(default_factory=list)
    gaps: list[DimensionScore] = field(default_factory=list)
    recommendations: list[dict] = field(default_factory=list)
    plan_offers: list = field(default_factory=list)
    plan_steps: list = field(default_factory=list)
    countries: list = field(default_factory=list)

    @property
    def overall_text(self) -> str:
        value = as_float(self.diagnostic.overall_score)
        return score_text(value) if value is not None else ""

    @property
    def levels(self) -> tuple[scoring.Level, ...]:
        return scoring.LEVELS

    @property
    def gap_threshold(self) -> str:
        return score_text(scoring.GAP_THRESHOLD)

    @property
    def strength_threshold(self) -> str:
        return score_text(scoring.STRENGTH_THRESHOLD)

    @property
    def has_plan(self) -> bool:
        return bool(self.plan_offers or self.plan_steps)


def as_float(value) -> float | None:
    if value is None:
        return None
    return float(value) if isinstance(value, Decimal | int | float) else float(str(value))


def _dimensions(version) -> list[Dimension]:
    return list(version.dimensions.order_by("order", "pk"))


def previous_of(diagnostic: Diagnostic) -> Diagnostic | None:
    """The company's latest completed diagnostic before this one."""
    if diagnostic.completed_at is None:
        return None
    return (
        Diagnostic.objects.filter(company_id=diagnostic.company_id, status__in=RESULT_STATUSES)
        .filter(
            Q(completed_at__lt=diagnostic.completed_at)
            | Q(completed_at=diagnostic.completed_at, pk__lt=diagnostic.pk)
        )
        .exclude(pk=diagnostic.pk)
        .select_related("version", "advisor", "organisation")
        .order_by("-completed_at", "-pk")
        .first()
    )


def completed_of(company) -> list[Diagnostic]:
    """The company's completed diagnostics, oldest first, each with its `level_label`."""
    diagnostics = list(
        Diagnostic.objects.filter(company=company, status__in=RESULT_STATUSES)
        .select_related("version__questionnaire", "advisor", "organisation")
        .order_by("completed_at", "pk")
    )
    for diagnostic in diagnostics:
        diagnostic.level_label = scoring.level_label(diagnostic.level)
    return diagnostics


def diagnostic_date(diagnostic: Diagnostic) -> str:
    moment = diagnostic.completed_at or diagnostic.started_at
    return f"{timezone.localtime(moment):%d/%m/%Y}"


def _radar(
    chart_id: str, labels: list[str], current: Series, earlier: Series | None
) -> Chart | None:
    if not labels:
        return None
    series = [current] + ([earlier] if earlier else [])
    description = radar.describe(labels, current.values)
    if earlier is not None:
        description += " Diagnostic précédent : " + radar.describe(
            labels, earlier.values
        ).removeprefix("Scores sur 100 par dimension : ")
    return radar.radar_chart(
        chart_id=chart_id,
        title="Scores du diagnostic par dimension (sur 100)",
        description=description,
        labels=labels,
        series=series,
    )


def compare(earlier: Diagnostic, later: Diagnostic, *, chart_id: str = "radar-comparaison"):
    """Scores then → now per dimension. Diagnostics answered with different questionnaire
    versions are compared on the dimension codes present in both (labels of the later)."""
    later_dims = _dimensions(later.version)
    same = earlier.version_id == later.version_id
    earlier_dims = later_dims if same else _dimensions(earlier.version)
    earlier_codes = {d.code for d in earlier_dims}
    later_codes = {d.code for d in later_dims}
    common = [d for d in later_dims if d.code in earlier_codes]
    left_out = [d.label for d in later_dims if d.code not in earlier_codes]
    left_out += [d.label for d in earlier_dims if d.code not in later_codes]
    before, after = earlier.scores or {}, later.scores or {}
    rows = [
        ComparisonRow(d.code, d.label, as_float(before.get(d.code)), as_float(after.get(d.code)))
        for d in common
    ]
    chart = _radar(
        chart_id,
        [r.label for r in rows],
        Series(f"Diagnostic du {diagnostic_date(later)}", [r.after for r in rows]),
        Series(f"Diagnostic du {diagnostic_date(earlier)}", [r.before for r in rows]),
    )
    return Comparison(earlier, later, rows, same, left_out, chart)


def _recommendations(diagnostic: Diagnostic, labels: dict[str, str]) -> list[dict]:
    """Recommendations of the options chosen, weakest dimension first, each text once."""
    seen: set[str] = set()
    grouped: dict[str, list[str]] = {}
    for item in scoring.compute(diagnostic).recommendations:
        if item.text in seen:
            continue
        seen.add(item.text)
        grouped.setdefault(item.dimension, []).append(item.text)
    return [
        {"code": code, "label": labels.get(code, code), "texts": texts}
        for code, texts in grouped.items()
    ]


def _plan(diagnostic: Diagnostic) -> tuple[list, list]:
    items = list(diagnostic.plan_items.select_related("offer__provider").order_by("order", "pk"))
    return (
        [i for i in items if i.kind == i.Kind.OFFER],
        [i for i in items if i.kind == i.Kind.STEP],
    )


def results_of(diagnostic: Diagnostic, *, full: bool, chart_id: str = "radar") -> Results:
    """Everything the results page and the report show. Without `full` (a member of another
    organisation, a read-only member) only the level and the scores."""
    dimensions = _dimensions(diagnostic.version)
    previous = previous_of(diagnostic)
    earlier_scores = (previous.scores or {}) if previous else {}
    scores = diagnostic.scores or {}
    rows = [
        DimensionScore(
            d.code,
            d.label,
            d.description,
            as_float(scores.get(d.code)),
            as_float(earlier_scores.get(d.code)),
        )
        for d in dimensions
    ]
    earlier_series = None
    if previous is not None:
        earlier_series = Series(
            f"Diagnostic précédent ({diagnostic_date(previous)})", [r.previous for r in rows]
        )
    chart = _radar(
        chart_id,
        [r.label for r in rows],
        Series(f"Ce diagnostic ({diagnostic_date(diagnostic)})", [r.score for r in rows]),
        earlier_series,
    )
    results = Results(
        diagnostic=diagnostic,
        dimensions=rows,
        level=scoring.LEVELS_BY_CODE.get(diagnostic.level)
        or scoring.level_for(as_float(diagnostic.overall_score)),
        radar=chart,
        previous=previous,
        comparison=compare(previous, diagnostic, chart_id=f"{chart_id}-comparaison")
        if previous
        else None,
        full=full,
    )
    if full:
        scored = [r for r in rows if r.score is not None]
        results.strengths = sorted(
            (r for r in scored if r.score >= scoring.STRENGTH_THRESHOLD), key=lambda r: -r.score
        )
        results.gaps = sorted(
            (r for r in scored if r.score < scoring.GAP_THRESHOLD), key=lambda r: r.score
        )
        results.recommendations = _recommendations(diagnostic, {d.code: d.label for d in rows})
        results.plan_offers, results.plan_steps = _plan(diagnostic)
        results.countries = list(diagnostic.target_countries.order_by("sort_name"))
    return results


# --- PDF -------------------------------------------------------------------------------------


class ExternalResourceRefused(Exception):
    pass


def _refuse_fetch(url: str, *args, **kwargs):
    """The report embeds everything; fetching a URL (a stray link, an injected image) would
    leak the report or hang the worker."""
    raise ExternalResourceRefused(f"Ressource externe refusée dans le rapport : {url}")


def report_html(diagnostic: Diagnostic) -> str:
    results = results_of(diagnostic, full=True, chart_id="radar-rapport")
    return render_to_string(
        "diagnostics/report/report.html",
        {
            "results": results,
            "diagnostic": diagnostic,
            "company": diagnostic.company,
            "generated_on": timezone.localdate(),
            "scoring_notes": diagnostic.version.scoring_notes,
        },
    )


def report_pdf(diagnostic: Diagnostic, **options) -> bytes:
    """The report as PDF bytes; `options` go to WeasyPrint (tests ask for an uncompressed
    file to read its metadata)."""
    from weasyprint import HTML

    html = report_html(diagnostic)
    return HTML(string=html, base_url=None, url_fetcher=_refuse_fetch).write_pdf(**options)


def report_filename(diagnostic: Diagnostic) -> str:
    day = timezone.localtime(diagnostic.completed_at or diagnostic.started_at)
    return f"diagnostic-export-{diagnostic.company.siren}-{day:%Y-%m-%d}.pdf"
