"""The radar chart of a diagnostic, drawn on the server as inline SVG (no JavaScript, nothing
fetched, allowed by the content security policy; the PDF report embeds the same SVG).

One axis per dimension, scores 0 to 100 from the centre outwards; an earlier diagnostic is a
second polygon. Accessible like the other charts of the platform (guichet.core.charts): the
SVG is an image named by its <title> and described by its <desc>, each point has its own
<title>, and the numbers are given again as a data table (RGAA 1.x: a complex image has a
detailed alternative).
"""

import math
from collections.abc import Sequence

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from guichet.core.charts import Chart, Series, data_table

SIZE_W = 720
SIZE_H = 480
CENTRE_X = SIZE_W / 2
CENTRE_Y = SIZE_H / 2
RADIUS = 150
RINGS = (25, 50, 75, 100)
LABEL_GAP = 18
LABEL_LINE_CHARS = 22
LABEL_LINE_HEIGHT = 16
LABEL_MAX_LINES = 4

# DSFR colours: blue France for the current diagnostic, a lighter illustrative blue for the
# earlier one, drawn dashed so that the two differ without colour too.
CURRENT_COLOUR = "#000091"
EARLIER_COLOUR = "#c3992a"
GRID_COLOUR = "#cecece"
AXIS_COLOUR = "#3a3a3a"
BAR_TRACK = "#e5e5e5"


def score_text(value) -> str:
    """A score as the diagnostics write it: 35, or 35,5 when it has a decimal."""
    if value is None:
        return "–"
    number = round(float(value), 1)
    text = f"{number:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",").replace("-", "−")


def _angle(index: int, count: int) -> float:
    """The first axis points up; the others follow clockwise."""
    return -math.pi / 2 + 2 * math.pi * index / count


def point(index: int, count: int, value: float) -> tuple[float, float]:
    """Where a score (0..100, clamped) lies on the index-th of `count` axes."""
    ratio = min(max(value, 0.0), 100.0) / 100
    angle = _angle(index, count)
    return (
        CENTRE_X + RADIUS * ratio * math.cos(angle),
        CENTRE_Y + RADIUS * ratio * math.sin(angle),
    )


def _wrap(label: str, width: int = LABEL_LINE_CHARS) -> list[str]:
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > LABEL_MAX_LINES:
        lines = [*lines[: LABEL_MAX_LINES - 1], " ".join(lines[LABEL_MAX_LINES - 1 :])]
    return lines or [""]


def _label(index: int, count: int, text: str) -> str:
    angle = _angle(index, count)
    cos, sin = math.cos(angle), math.sin(angle)
    x = CENTRE_X + (RADIUS + LABEL_GAP) * cos
    y = CENTRE_Y + (RADIUS + LABEL_GAP) * sin
    anchor = "middle" if abs(cos) < 0.3 else ("start" if cos > 0 else "end")
    lines = _wrap(text)
    # Labels above the chart grow upwards, those below grow downwards.
    if sin < -0.3:
        y -= LABEL_LINE_HEIGHT * (len(lines) - 1)
    elif abs(sin) <= 0.3:
        y -= LABEL_LINE_HEIGHT * (len(lines) - 1) / 2
    else:
        y += LABEL_LINE_HEIGHT * 0.6
    spans = "".join(
        f'<tspan x="{x:.1f}" y="{y + n * LABEL_LINE_HEIGHT:.1f}">{escape(line)}</tspan>'
        for n, line in enumerate(lines)
    )
    return (
        f'<text class="radar-label" text-anchor="{anchor}" font-size="14" '
        f'fill="{AXIS_COLOUR}">{spans}</text>'
    )


def _grid(count: int) -> str:
    parts = []
    for ring in RINGS:
        points = " ".join(
            f"{x:.1f},{y:.1f}" for x, y in (point(i, count, ring) for i in range(count))
        )
        parts.append(
            f'<polygon class="radar-ring" points="{points}" fill="none" '
            f'stroke="{GRID_COLOUR}" stroke-width="1"/>'
        )
        x, y = point(0, count, ring)
        parts.append(
            f'<text x="{x + 4:.1f}" y="{y + 4:.1f}" font-size="11" fill="{AXIS_COLOUR}">'
            f"{ring}</text>"
        )
    for index in range(count):
        x, y = point(index, count, 100)
        parts.append(
            f'<line class="radar-axis" x1="{CENTRE_X:.1f}" y1="{CENTRE_Y:.1f}" '
            f'x2="{x:.1f}" y2="{y:.1f}" stroke="{GRID_COLOUR}" stroke-width="1"/>'
        )
    return "".join(parts)


def _polygon(labels: Sequence[str], series: Series, colour: str, dashed: bool) -> str:
    count = len(labels)
    values = [v if v is not None else 0.0 for v in series.values]
    corners = [point(i, count, float(v)) for i, v in enumerate(values)]
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in corners)
    dash = ' stroke-dasharray="6 4"' if dashed else ""
    parts = [
        f'<polygon class="radar-series" points="{points}" fill="{colour}" '
        f'fill-opacity="{0.08 if dashed else 0.18}" stroke="{colour}" stroke-width="2.5"{dash}/>'
    ]
    for (x, y), label, value in zip(corners, labels, series.values, strict=True):
        text = f"{label} — {series.name} : {score_text(value)} sur 100"
        parts.append(
            f'<circle class="radar-point" cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}">'
            f"<title>{escape(text)}</title></circle>"
        )
    return "".join(parts)


def _legend(series: Sequence[Series], colours: Sequence[str]) -> SafeString:
    if len(series) < 2:
        return mark_safe("")
    items = []
    for n, (s, colour) in enumerate(zip(series, colours, strict=True)):
        dash = ' stroke-dasharray="4 3"' if n else ""
        items.append(
            format_html(
                '<li class="fr-mr-3w"><svg width="24" height="12" aria-hidden="true" '
                'focusable="false"><line x1="0" y1="6" x2="24" y2="6" stroke="{}" '
                'stroke-width="3"{}/></svg> {}</li>',
                colour,
                mark_safe(dash),  # noqa: S308 - constant
                s.name,
            )
        )
    return format_html(
        '<ul class="fr-raw-list fr-grid-row fr-text--sm fr-mb-1w" aria-hidden="true">{}</ul>',
        mark_safe("".join(items)),  # noqa: S308 - each item is built with format_html
    )


def radar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
) -> Chart:
    """A radar of scores 0..100, one axis per label; the first series is drawn on top in
    blue France, the second (an earlier diagnostic) dashed. Missing values sit at the centre
    in the drawing and show as "–" in the table."""
    for s in series:
        if len(s.values) != len(labels):
            raise ValueError(
                f"Series {s.name!r} has {len(s.values)} values for {len(labels)} axes."
            )
    colours = [
        s.colour or (CURRENT_COLOUR if n == 0 else EARLIER_COLOUR) for n, s in enumerate(series)
    ]
    body = [_grid(len(labels))] if labels else []
    # The earlier diagnostic first, so that the current one is drawn over it.
    for n in reversed(range(len(series))):
        body.append(_polygon(labels, series[n], colours[n], dashed=n > 0))
    body += [_label(i, len(labels), label) for i, label in enumerate(labels)]
    svg = mark_safe(  # noqa: S308 - every text part is escaped
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE_W} {SIZE_H}" '
        f'width="100%" role="img" focusable="false" class="radar-chart" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>'
        f"{''.join(body)}</svg>"
    )
    table = data_table(title=title, categories=labels, series=series, category_header="Dimension")
    return Chart(
        chart_id=chart_id, title=title, svg=svg, table=table, legend=_legend(series, colours)
    )


def describe(labels: Sequence[str], values: Sequence[float | None]) -> str:
    """A sentence listing every score, for the chart's <desc>."""
    parts = [f"{label} {score_text(value)}" for label, value in zip(labels, values, strict=True)]
    return "Scores sur 100 par dimension : " + ", ".join(parts) + "."


def score_bar(value: float | None, *, label: str = "") -> SafeString:
    """A horizontal bar 0..100 drawn in SVG (the page and the PDF alike; a style attribute
    would break the CSP). Decorative: the number is always written next to it."""
    ratio = min(max(float(value or 0), 0.0), 100.0)
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="score-bar" viewBox="0 0 100 6" '
        'preserveAspectRatio="none" width="100%" height="10" aria-hidden="true" '
        'focusable="false" data-label="{}">'
        '<rect x="0" y="0" width="100" height="6" fill="{}"/>'
        '<rect x="0" y="0" width="{}" height="6" fill="{}"/></svg>',
        label,
        BAR_TRACK,
        f"{ratio:.1f}",
        CURRENT_COLOUR,
    )
