"""The impact page's chart: each estimate as a point with its confidence interval, on a
horizontal axis crossing zero (inline SVG, no script; the same figures are in a table)."""

import math

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from guichet.core.charts import AXIS_COLOUR, GREY, GRID_COLOUR, PALETTE, Chart, fr_number

WIDTH = 720
ROW_HEIGHT = 56
LABEL_WIDTH = 230
MARGIN_RIGHT = 24
MARGIN_TOP = 12
AXIS_HEIGHT = 40


def _ticks(low: float, high: float) -> list[float]:
    span = high - low
    raw = span / 5

    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step) * step
    ticks, value = [], first
    while value <= high + step / 1000:
        ticks.append(round(value, 10))
        value += step
    return ticks


def interval_chart(
    *, chart_id: str, title: str, description: str, rows, unit: str, decimals: int
) -> Chart:
    """``rows``: (label, effect, low, high) — one line each, a point and its interval."""
    rows = list(rows)
    low = min([0.0, *(r[2] for r in rows)])
    high = max([0.0, *(r[3] for r in rows)])
    margin = (high - low) * 0.05 or 1.0
    ticks = _ticks(low - margin, high + margin)
    left, right = ticks[0], ticks[-1]
    plot_left, plot_right = LABEL_WIDTH, WIDTH - MARGIN_RIGHT
    height = MARGIN_TOP + ROW_HEIGHT * len(rows) + AXIS_HEIGHT

    def x(value: float) -> float:
        return plot_left + (value - left) / (right - left) * (plot_right - plot_left)

    bottom = MARGIN_TOP + ROW_HEIGHT * len(rows)
    parts = []
    for tick in ticks:
        colour = AXIS_COLOUR if tick == 0 else GRID_COLOUR
        parts.append(
            f'<line x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{MARGIN_TOP}" y2="{bottom}" '
            f'stroke="{colour}" stroke-width="{2 if tick == 0 else 1}"/>'
            f'<text x="{x(tick):.1f}" y="{bottom + 18}" text-anchor="middle" font-size="12" '
            f'fill="{AXIS_COLOUR}">{escape(fr_number(tick, _decimals(ticks)))}</text>'
        )
    parts.append(
        f'<text x="{(plot_left + plot_right) / 2:.1f}" y="{bottom + 36}" text-anchor="middle" '
        f'font-size="12" fill="{AXIS_COLOUR}">{escape(unit)}</text>'
    )
    for index, (label, effect, lo, hi) in enumerate(rows):
        y = MARGIN_TOP + ROW_HEIGHT * (index + 0.5)
        colour = PALETTE[0] if index == len(rows) - 1 else GREY
        text = (
            f"{label} : {fr_number(effect, decimals, unit)} "
            f"(de {fr_number(lo, decimals)} à {fr_number(hi, decimals, unit)})"
        )
        parts.append(
            f'<text x="{plot_left - 10}" y="{y + 4:.1f}" text-anchor="end" font-size="13" '
            f'fill="{AXIS_COLOUR}">{escape(label)}</text>'
            f"<g><title>{escape(text)}</title>"
            f'<line x1="{x(lo):.1f}" x2="{x(hi):.1f}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{colour}" stroke-width="3"/>'
            f'<line x1="{x(lo):.1f}" x2="{x(lo):.1f}" y1="{y - 8:.1f}" y2="{y + 8:.1f}" '
            f'stroke="{colour}" stroke-width="2"/>'
            f'<line x1="{x(hi):.1f}" x2="{x(hi):.1f}" y1="{y - 8:.1f}" y2="{y + 8:.1f}" '
            f'stroke="{colour}" stroke-width="2"/>'
            f'<circle cx="{x(effect):.1f}" cy="{y:.1f}" r="7" fill="{colour}"/></g>'
        )
    svg = mark_safe(  # noqa: S308 - every text part above is escaped
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'role="img" focusable="false" aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>{"".join(parts)}</svg>'
    )
    return Chart(chart_id=chart_id, title=title, svg=svg, table=_table(title, rows, unit, decimals))


def _decimals(ticks: list[float]) -> int:
    return 0 if all(float(t).is_integer() for t in ticks) else 2


def _table(title: str, rows, unit: str, decimals: int) -> SafeString:
    body = format_html_join(
        "",
        '<tr><th scope="row">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>',
        (
            (
                label,
                fr_number(effect, decimals, unit),
                fr_number(lo, decimals, unit),
                fr_number(hi, decimals, unit),
            )
            for label, effect, lo, hi in rows
        ),
    )
    return format_html(
        '<div class="fr-table fr-table--no-caption fr-mt-1w"><table><caption>{}</caption>'
        '<thead><tr><th scope="col">Comparaison</th><th scope="col">Différence</th>'
        '<th scope="col">Borne basse</th><th scope="col">Borne haute</th></tr></thead>'
        "<tbody>{}</tbody></table></div>",
        title,
        body,
    )
