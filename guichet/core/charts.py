"""Charts drawn on the server as inline SVG: no JavaScript, nothing fetched from elsewhere, and
allowed by the content security policy (presentation attributes, no inline style).

Each chart is accessible: the SVG is an image named by its <title> and described by its <desc>,
every bar or point carries its own <title>, and the same numbers are given as a data table
(RGAA 1.x: a complex image has a detailed alternative next to it).
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

# Colours of the State's design system (DSFR): blue France, then illustrative colours that
# keep a contrast ratio of at least 3:1 on white.
PALETTE = ("#000091", "#6a6af4", "#009081", "#c3992a", "#a558a0", "#ce614a")
SUCCESS = "#18753c"
WARNING = "#b34000"
GREY = "#666666"

WIDTH = 720
HEIGHT = 320
MARGIN_LEFT = 52
MARGIN_RIGHT = 16
MARGIN_TOP = 16
MARGIN_BOTTOM = 48
AXIS_COLOUR = "#3a3a3a"
GRID_COLOUR = "#dddddd"


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]
    colour: str = ""


@dataclass(frozen=True)
class Chart:
    chart_id: str
    title: str
    svg: SafeString
    table: SafeString
    legend: SafeString = field(default_factory=lambda: mark_safe(""))

    @property
    def html(self) -> SafeString:
        """The chart, its legend and its data table, ready to be placed in a page."""
        return format_html(
            '<figure class="fr-my-3w" role="group" aria-labelledby="{}-caption">'
            '<figcaption id="{}-caption" class="fr-text--lg fr-text--bold fr-mb-1w">{}'
            "</figcaption>{}{}"
            '<details class="fr-mt-1w"><summary>Voir les données de ce graphique '
            "sous forme de tableau</summary>{}</details></figure>",
            self.chart_id,
            self.chart_id,
            self.title,
            self.legend,
            self.svg,
            self.table,
        )

    def __str__(self) -> str:
        return self.html


def fr_number(value: float | None, decimals: int = 0, unit: str = "") -> str:
    """A number written the French way: 1 234,5 (narrow no-break space, decimal comma)."""
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}".replace(",", "\u202f").replace(".", ",")
    return f"{text}\u00a0{unit}" if unit else text


def nice_ticks(maximum: float, count: int = 5) -> list[float]:
    """Round axis ticks from 0 covering `maximum` (steps of 1, 2 or 5 × 10^n)."""
    if maximum <= 0:
        return [0, 1]
    raw = maximum / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    if step < 1 and float(maximum).is_integer():
        step = 1
    top = math.ceil(maximum / step) * step
    ticks, value = [], 0.0
    while value <= top + step / 1000:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _colours(series: Sequence[Series]) -> list[str]:
    return [s.colour or PALETTE[i % len(PALETTE)] for i, s in enumerate(series)]


def _legend(series: Sequence[Series], colours: list[str]) -> SafeString:
    if len(series) < 2:
        return mark_safe("")
    items = format_html_join(
        "",
        '<li class="fr-mr-3w"><svg width="14" height="14" aria-hidden="true" focusable="false">'
        '<rect width="14" height="14" fill="{}"/></svg> {}</li>',
        ((colour, s.name) for s, colour in zip(series, colours, strict=True)),
    )
    return format_html(
        '<ul class="fr-raw-list fr-grid-row fr-text--sm fr-mb-1w" aria-hidden="true">{}</ul>',
        items,
    )


def data_table(
    *,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    decimals: int = 0,
    unit: str = "",
    category_header: str = "Période",
) -> SafeString:
    head = format_html_join("", '<th scope="col">{}</th>', ((s.name,) for s in series))
    rows = format_html_join(
        "",
        '<tr><th scope="row">{}</th>{}</tr>',
        (
            (
                category,
                format_html_join(
                    "",
                    "<td>{}</td>",
                    ((fr_number(s.values[i], decimals, unit),) for s in series),
                ),
            )
            for i, category in enumerate(categories)
        ),
    )
    return format_html(
        '<div class="fr-table fr-table--no-caption fr-mt-1w"><table><caption>{}</caption>'
        '<thead><tr><th scope="col">{}</th>{}</tr></thead><tbody>{}</tbody></table></div>',
        title,
        category_header,
        head,
        rows,
    )


class _Frame:
    """The plotting area: y scale, grid, axis and category labels."""

    def __init__(self, categories: Sequence[str], ticks: list[float], unit: str):
        self.categories = categories
        self.ticks = ticks
        self.unit = unit
        self.plot_width = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
        self.plot_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
        self.band = self.plot_width / max(len(categories), 1)

    def y(self, value: float) -> float:
        top = self.ticks[-1] or 1
        return MARGIN_TOP + self.plot_height * (1 - value / top)

    def x_centre(self, index: int) -> float:
        return MARGIN_LEFT + self.band * (index + 0.5)

    def grid(self) -> str:
        parts = []
        decimals = 0 if all(float(t).is_integer() for t in self.ticks) else 1
        for tick in self.ticks:
            y = self.y(tick)
            parts.append(
                f'<line x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" y1="{y:.1f}" '
                f'y2="{y:.1f}" stroke="{GRID_COLOUR}" stroke-width="1"/>'
                f'<text x="{MARGIN_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" '
                f'font-size="12" fill="{AXIS_COLOUR}">'
                f"{escape(fr_number(tick, decimals, self.unit))}</text>"
            )
        baseline = self.y(0)
        parts.append(
            f'<line x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" y1="{baseline:.1f}" '
            f'y2="{baseline:.1f}" stroke="{AXIS_COLOUR}" stroke-width="1"/>'
        )
        step = max(1, math.ceil(len(self.categories) * 56 / self.plot_width))
        for index, label in enumerate(self.categories):
            if index % step:
                continue
            parts.append(
                f'<text x="{self.x_centre(index):.1f}" y="{HEIGHT - MARGIN_BOTTOM + 18}" '
                f'text-anchor="middle" font-size="12" fill="{AXIS_COLOUR}">{escape(label)}</text>'
            )
        return "".join(parts)


def _svg(chart_id: str, title: str, description: str, body: str) -> SafeString:
    return mark_safe(  # noqa: S308 - every text part below is escaped
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" role="img" focusable="false" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>'
        f"{body}</svg>"
    )


def _check(categories: Sequence[str], series: Sequence[Series]) -> None:
    for s in series:
        if len(s.values) != len(categories):
            raise ValueError(
                f"Series {s.name!r} has {len(s.values)} values for {len(categories)} categories."
            )


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    axis_labels: Sequence[str] | None = None,
    stacked: bool = False,
    decimals: int = 0,
    unit: str = "",
    category_header: str = "Période",
) -> Chart:
    """Vertical bars per category: side by side (one bar per series) or stacked."""
    _check(categories, series)
    colours = _colours(series)
    values = [[v or 0 for v in s.values] for s in series]
    if stacked:
        peak = max((sum(col) for col in zip(*values, strict=True)), default=0)
    else:
        peak = max((v for row in values for v in row), default=0)
    frame = _Frame(axis_labels or categories, nice_ticks(peak), unit)
    inner = frame.band * 0.7
    width = inner if stacked else inner / max(len(series), 1)
    parts = [frame.grid()]
    for index, category in enumerate(categories):
        left = frame.x_centre(index) - inner / 2
        floor = 0.0
        for position, (s, colour) in enumerate(zip(series, colours, strict=True)):
            value = values[position][index]
            bottom, top = (floor, floor + value) if stacked else (0, value)
            floor = top if stacked else floor
            x = left if stacked else left + position * width
            y_top, y_bottom = frame.y(top), frame.y(bottom)
            label = f"{category} — {s.name} : {fr_number(s.values[index], decimals, unit)}"
            parts.append(
                f'<rect x="{x:.1f}" y="{y_top:.1f}" width="{max(width - 1, 1):.1f}" '
                f'height="{max(y_bottom - y_top, 0):.1f}" fill="{colour}">'
                f"<title>{escape(label)}</title></rect>"
            )
    table = data_table(
        title=title,
        categories=categories,
        series=series,
        decimals=decimals,
        unit=unit,
        category_header=category_header,
    )
    return Chart(
        chart_id=chart_id,
        title=title,
        svg=_svg(chart_id, title, description, "".join(parts)),
        table=table,
        legend=_legend(series, colours),
    )


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    axis_labels: Sequence[str] | None = None,
    y_max: float | None = None,
    decimals: int = 0,
    unit: str = "",
    category_header: str = "Période",
) -> Chart:
    """One line per series; a missing value (None) breaks the line."""
    _check(categories, series)
    colours = _colours(series)
    peak = (
        y_max
        if y_max is not None
        else max((v for s in series for v in s.values if v is not None), default=0)
    )
    ticks = [0, 25, 50, 75, 100] if y_max == 100 else nice_ticks(peak)
    frame = _Frame(axis_labels or categories, ticks, unit)
    parts = [frame.grid()]
    for s, colour in zip(series, colours, strict=True):
        segment: list[str] = []
        segments = [segment]
        for index, value in enumerate(s.values):
            if value is None:
                segment = []
                segments.append(segment)
                continue
            segment.append(f"{frame.x_centre(index):.1f},{frame.y(value):.1f}")
        for points in segments:
            if len(points) > 1:
                parts.append(
                    f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" '
                    f'stroke-width="2.5"/>'
                )
        for index, value in enumerate(s.values):
            if value is None:
                continue
            label = f"{categories[index]} — {s.name} : {fr_number(value, decimals, unit)}"
            parts.append(
                f'<circle cx="{frame.x_centre(index):.1f}" cy="{frame.y(value):.1f}" r="4" '
                f'fill="{colour}"><title>{escape(label)}</title></circle>'
            )
    table = data_table(
        title=title,
        categories=categories,
        series=series,
        decimals=decimals,
        unit=unit,
        category_header=category_header,
    )
    return Chart(
        chart_id=chart_id,
        title=title,
        svg=_svg(chart_id, title, description, "".join(parts)),
        table=table,
        legend=_legend(series, colours),
    )
