"""The plan's charts, drawn on the server as inline SVG like guichet/core/charts.py (which
draws the larger ones): a sparkline per indicator over the plan's years, horizontal bars for a
breakdown, the journey funnel. Presentation attributes only (the content security policy
forbids inline styles); every chart is named, described and given as a table too.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from guichet.core.charts import (
    AXIS_COLOUR,
    PALETTE,
    Chart,
    Series,
    data_table,
    fr_number,
    line_chart,
)

Number = int | float | Decimal

SPARK_WIDTH = 120
SPARK_HEIGHT = 32
SPARK_PAD = 4
BLUE = PALETTE[0]
TARGET_COLOUR = "#c3992a"


def decimals_of(values: Sequence[Number | None]) -> int:
    """0 when every value is whole, else 1 (a share, a ratio)."""
    return 0 if all(v is None or float(v).is_integer() for v in values) else 1


def format_number(value: Number | None, unit: str = "") -> str:
    if value is None:
        return "–"
    number = float(value)
    return fr_number(number, 0 if number.is_integer() else 1, unit)


def sparkline(
    points: Sequence[tuple[int, Number | None]], *, label: str, current: int | None = None
) -> SafeString:
    """A small line over the years (a gap where a year has no value), the selected year's
    point marked. It is an image named by its <title>, which lists every year's value."""
    values = [(year, float(v) if v is not None else None) for year, v in points]
    known = [v for _, v in values if v is not None]
    if not known:
        return mark_safe("")
    low, high = min(0.0, min(known)), max(known)
    span = (high - low) or 1.0
    step = (SPARK_WIDTH - 2 * SPARK_PAD) / max(len(values) - 1, 1)

    def xy(index: int, value: float) -> tuple[float, float]:
        x = SPARK_PAD + index * step
        y = SPARK_HEIGHT - SPARK_PAD - (value - low) / span * (SPARK_HEIGHT - 2 * SPARK_PAD)
        return x, y

    segments: list[list[str]] = [[]]
    dots = []
    for index, (year, value) in enumerate(values):
        if value is None:
            segments.append([])
            continue
        x, y = xy(index, value)
        segments[-1].append(f"{x:.1f},{y:.1f}")
        radius = 3 if year == current else 1.6
        dots.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{BLUE}"/>')
    lines = "".join(
        f'<polyline points="{" ".join(s)}" fill="none" stroke="{BLUE}" stroke-width="1.5"/>'
        for s in segments
        if len(s) > 1
    )
    described = " ; ".join(f"{year} : {format_number(v)}" for year, v in points)
    return mark_safe(  # noqa: S308 - the only text, the title, is escaped
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SPARK_WIDTH} {SPARK_HEIGHT}" '
        f'width="{SPARK_WIDTH}" height="{SPARK_HEIGHT}" role="img" focusable="false" '
        f'class="plans-sparkline"><title>{escape(f"{label} — {described}")}</title>'
        f"{lines}{''.join(dots)}</svg>"
    )


def series_chart(
    *,
    chart_id: str,
    title: str,
    points: Sequence[tuple[int, Number | None]],
    targets: dict[int, Number],
    unit: str,
) -> Chart:
    """The indicator's value per year of the plan with its target (a line chart)."""
    years = [year for year, _ in points]
    values = [float(v) if v is not None else None for _, v in points]
    series = [Series("Réalisé", values, BLUE)]
    target_values = [float(targets[y]) if y in targets else None for y in years]
    if any(v is not None for v in target_values):
        series.append(Series("Cible", target_values, TARGET_COLOUR))
    return line_chart(
        chart_id=chart_id,
        title=title,
        description=f"{title}, réalisé et cible par année.",
        categories=[str(y) for y in years],
        series=series,
        decimals=decimals_of(values + target_values),
        category_header="Année",
    )


# --- Horizontal bars ---------------------------------------------------------------------

BAR_WIDTH = 720
ROW = 26
LABEL_WIDTH = 250
VALUE_WIDTH = 90


def _truncate(text: str, length: int = 38) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def bar_rows(
    *,
    chart_id: str,
    title: str,
    rows: Sequence[tuple[str, Number | None]],
    unit: str = "",
    category_header: str = "",
    links: Sequence[str | None] | None = None,
) -> Chart:
    """One horizontal bar per row (a breakdown, the funnel's stages), labelled on the left,
    its value written at its end; rows may link (to a filtered page)."""
    values = [float(v) if v is not None else None for _, v in rows]
    peak = max((v for v in values if v is not None), default=0) or 1
    decimals = decimals_of(values)
    texts = [fr_number(v, decimals, unit) if v is not None else "–" for v in values]
    # Room for the longest value written after its bar (~7.5 units a character at 13 px).
    value_width = max(len(text) for text in texts) * 7.5 + 12 if texts else VALUE_WIDTH
    plot = BAR_WIDTH - LABEL_WIDTH - value_width
    height = ROW * len(rows) + 8
    parts = [
        f'<line x1="{LABEL_WIDTH}" x2="{LABEL_WIDTH}" y1="0" y2="{height}" '
        f'stroke="{AXIS_COLOUR}" stroke-width="1"/>'
    ]
    for index, ((label, _), value) in enumerate(zip(rows, values, strict=True)):
        y = 4 + index * ROW
        width = 0 if value is None else max(plot * max(value, 0) / peak, 1)
        text = texts[index]
        bar = (
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{width:.1f}" height="{ROW - 8}" '
            f'fill="{BLUE}"><title>{escape(label)} : {escape(text)}</title></rect>'
        )
        href = links[index] if links else None
        if href:
            bar = f'<a href="{escape(href)}">{bar}</a>'
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + ROW / 2 + 5}" text-anchor="end" '
            f'font-size="13" fill="{AXIS_COLOUR}">{escape(_truncate(label))}</text>'
            f"{bar}"
            f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{y + ROW / 2 + 5}" font-size="13" '
            f'font-weight="bold" fill="{AXIS_COLOUR}">{escape(text)}</text>'
        )
    svg = mark_safe(  # noqa: S308 - every text part is escaped
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {BAR_WIDTH} {height}" '
        f'width="100%" role="{"group" if links else "img"}" focusable="false" class="plans-bars" '
        f'aria-labelledby="{escape(chart_id)}-title">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>{"".join(parts)}</svg>'
    )
    table = data_table(
        title=title,
        categories=[label for label, _ in rows],
        series=[Series(unit.capitalize() or "Valeur", values)],
        decimals=decimals,
        category_header=category_header,
    )
    return Chart(chart_id=chart_id, title=title, svg=svg, table=table)
