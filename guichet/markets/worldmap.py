"""A world map drawn on the server as an inline SVG choropleth: no tile server, no CDN, no
JavaScript, allowed by the content security policy (presentation attributes only).

The country shapes come from the `pygal_maps_world` package (its worldmap.svg holds one
<g class="xx country"> per ISO alpha-2 code). They are read once, flattened to polygons
(Bézier control points dropped: at the size the map is shown, a country's outline keeps its
shape), simplified and rounded to whole units of the map's coordinates, which takes the
markup from ~780 KB to well under a third of that.

Accessibility: the SVG is an image named by its <title> and described by its <desc>; every
country carries a <title> "Nom : valeur"; countries with a fact sheet are links (keyboard
reachable, working without JavaScript). Pages give the same figures as a table next to it.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pygal_maps_world
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SOURCE = Path(pygal_maps_world.__file__).parent / "worldmap.svg"
# Drawn neither as a country nor as a market: no trade partner, and it takes a fifth of the
# map's height.
SKIPPED = {"aq"}
# Douglas–Peucker tolerance and the smallest ring kept, in map units (the source is 2475
# units wide; shown ~800–1200 px wide, a unit is about half a pixel).
TOLERANCE = 0.6
MIN_RING_AREA = 4.0

# Sequential scale of five classes, light to dark, ending on the DSFR's blue France
# (#000091); each step is distinguishable and the darkest ones carry white outlines.
SCALE = ("#e3e3fd", "#b1b1f9", "#8585f6", "#4a4ae0", "#000091")
NO_VALUE = "#dddddd"
OUTLINE = "#ffffff"
HIGHLIGHT = "#ce614a"
TEXT = "#161616"
NBSP = "\u202f"

_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_TOKEN = re.compile(r"[a-zA-Z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_GROUP = re.compile(r'<g class="([a-z]{2}) country[^"]*">(.*?)</g>', re.S)
_PATH_D = re.compile(r'<path[^>]*\sd="([^"]*)"')


@dataclass(frozen=True)
class Shape:
    iso2: str
    path: str  # simplified SVG path data
    centroid: tuple[float, float]  # area-weighted centre of the largest ring
    box: tuple[float, float, float, float]  # min x, min y, max x, max y


def _rings(d: str) -> list[list[tuple[float, float]]]:
    """Absolute polygons of an SVG path (commands m, c, s, l, h, v, z and their capitals),
    keeping only the end point of each segment."""
    tokens = _TOKEN.findall(d)
    rings: list[list[tuple[float, float]]] = []
    ring: list[tuple[float, float]] = []
    x = y = 0.0
    start = (0.0, 0.0)
    command = ""
    arity = {"m": 2, "l": 2, "c": 6, "s": 4, "q": 4, "t": 2, "h": 1, "v": 1, "z": 0}
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.isalpha():
            command = token
            i += 1
            if command in "zZ":
                if ring:
                    rings.append(ring)
                ring = []
                x, y = start
            continue
        n = arity[command.lower()]
        args = [float(t) for t in tokens[i : i + n]]
        i += n
        relative = command.islower()
        kind = command.lower()
        if kind == "h":
            x = x + args[0] if relative else args[0]
        elif kind == "v":
            y = y + args[0] if relative else args[0]
        else:
            ex, ey = args[-2], args[-1]
            x, y = (x + ex, y + ey) if relative else (ex, ey)
        if kind == "m":
            if ring:
                rings.append(ring)
            ring = [(x, y)]
            start = (x, y)
            # Pairs after a moveto are line-tos of the same kind (relative or absolute).
            command = "l" if relative else "L"
        else:
            ring.append((x, y))
    if ring:
        rings.append(ring)
    return rings


def _simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas–Peucker, iterative (rings of a few thousand points)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        ax, ay = points[first]
        bx, by = points[last]
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        worst, index = 0.0, -1
        for k in range(first + 1, last):
            px, py = points[k]
            if length == 0:
                dist = math.hypot(px - ax, py - ay)
            else:
                dist = abs(dy * (px - ax) - dx * (py - ay)) / length
            if dist > worst:
                worst, index = dist, k
        if worst > tolerance and index > 0:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def _area_centroid(ring: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Signed-area-free (absolute) area and centroid of a polygon (shoelace formula)."""
    area2 = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area2 += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if area2 == 0:
        xs, ys = zip(*ring, strict=True)
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return abs(area2) / 2, cx / (3 * area2), cy / (3 * area2)


def _path_data(rings: list[list[tuple[float, float]]]) -> str:
    """Whole-unit coordinates: the first point absolute, then relative steps computed from
    the rounded points (no drift), zero steps dropped."""
    parts = []
    for ring in rings:
        points = [(round(x), round(y)) for x, y in ring]
        x0, y0 = points[0]
        steps = []
        px, py = x0, y0
        for x, y in points[1:]:
            if (x, y) != (px, py):
                steps.append(f"{x - px} {y - py}")
                px, py = x, y
        if not steps:
            steps.append("1 0")  # a speck of land still shows as a dot
        parts.append(f"M{x0} {y0}l" + " ".join(steps).replace(" -", "-") + "z")
    return "".join(parts)


def _shape(iso2: str, body: str) -> Shape:
    rings = [ring for d in _PATH_D.findall(body) for ring in _rings(d)]
    measured = [(_area_centroid(ring), ring) for ring in rings]
    measured.sort(key=lambda item: item[0][0], reverse=True)
    (_, cx, cy), _largest = measured[0]
    kept = [
        _simplify(ring + ring[:1], TOLERANCE)[:-1] or ring[:1]
        for index, ((area, _, _), ring) in enumerate(measured)
        if index == 0 or area >= MIN_RING_AREA
    ]
    xs = [x for ring in rings for x, _ in ring]
    ys = [y for ring in rings for _, y in ring]
    return Shape(
        iso2=iso2,
        path=_path_data(kept),
        centroid=(cx, cy),
        box=(min(xs), min(ys), max(xs), max(ys)),
    )


@lru_cache(maxsize=1)
def shapes() -> dict[str, Shape]:
    """Country shapes by ISO alpha-2 code (lower case, as in the source file)."""
    text = SOURCE.read_text(encoding="utf-8")
    return {iso2: _shape(iso2, body) for iso2, body in _GROUP.findall(text) if iso2 not in SKIPPED}


# --- Codes and names ----------------------------------------------------------------------


@lru_cache(maxsize=1)
def _iso_codes() -> dict[str, str]:
    """ISO alpha-2 (upper case) → alpha-3, from the ISO 3166-1 list the reference tables are
    built from (usable without the database)."""
    import pycountry

    return {c.alpha_2: c.alpha_3 for c in pycountry.countries}


def _names() -> dict[str, str]:
    """French names by ISO alpha-3, from reference.Country (one query); ISO codes stand in
    when the reference tables are not loaded."""
    from guichet.reference.models import Country

    return dict(Country.objects.values_list("iso3", "name_fr"))


def map_iso3() -> dict[str, str]:
    """ISO alpha-3 → alpha-2 (lower case) of every country drawn on the map."""
    codes = _iso_codes()
    return {codes[iso2.upper()]: iso2 for iso2 in shapes() if iso2.upper() in codes}


def country_centroids() -> dict[str, tuple[float, float]]:
    """Centre of each country's main landmass in the map's coordinates, by ISO alpha-3
    (area-weighted centre of its largest polygon: mainland France, the contiguous United
    States)."""
    drawn = shapes()
    return {iso3: drawn[iso2].centroid for iso3, iso2 in map_iso3().items()}


# --- Numbers ------------------------------------------------------------------------------

# Money units are shown with their symbol and scaled (k, M, Md); the legend says them in words.
MONEY_SYMBOLS = {"$": "$", "USD": "$", "€": "€", "EUR": "€"}
UNIT_WORDS = {"$": "dollars US", "€": "euros"}


def _fr(value: float, decimals: int) -> str:
    text = f"{value:,.{decimals}f}".replace(",", NBSP).replace(".", ",")
    return text.replace("-", "−")


def format_value(value: float, unit: str) -> str:
    """A value the French way: money in k/M/Md ("12,3\u00a0M$" for $ or USD), other units
    as plain numbers ("4,2\u00a0%", "1\u202f234\u00a0km")."""
    symbol = MONEY_SYMBOLS.get(unit)
    if symbol:
        for factor, prefix in ((1e9, "Md"), (1e6, "M"), (1e3, "k")):
            if abs(value) >= factor:
                scaled = value / factor
                return f"{_fr(scaled, 0 if abs(scaled) >= 100 else 1)}\u00a0{prefix}{symbol}"
        return f"{_fr(value, 0)}\u00a0{symbol}"
    decimals = 0 if abs(value) >= 100 or float(value).is_integer() else 1
    text = _fr(value, decimals)
    return f"{text}\u00a0{unit}" if unit else text


def class_breaks(values: list[float], classes: int = len(SCALE)) -> list[float]:
    """Upper bounds of the quantile classes (the last one is the maximum), duplicates
    removed: fewer classes when few distinct values."""
    ordered = sorted(values)
    if not ordered:
        return []
    breaks = []
    for k in range(1, classes + 1):
        position = k * (len(ordered) - 1) / classes
        low = math.floor(position)
        high = min(low + 1, len(ordered) - 1)
        bound = ordered[low] + (ordered[high] - ordered[low]) * (position - low)
        if not breaks or bound > breaks[-1]:
            breaks.append(bound)
    breaks[-1] = ordered[-1]
    return breaks


def class_of(value: float, breaks: list[float]) -> int:
    for index, bound in enumerate(breaks):
        if value <= bound:
            return index
    return len(breaks) - 1


# --- Drawing ------------------------------------------------------------------------------

VIEW_WIDTH = 2480
VIEW_HEIGHT = 1170
FONT = 34
LEGEND_X = 30


def _colours(count: int) -> tuple[str, ...]:
    """`count` colours of the scale, spread from light to dark."""
    if count >= len(SCALE):
        return SCALE
    if count == 1:
        return (SCALE[-1],)
    step = (len(SCALE) - 1) / (count - 1)
    return tuple(SCALE[round(i * step)] for i in range(count))


def _legend(title: str, breaks: list[float], colours, unit: str, lowest, has_highlight):
    rows = []
    if breaks:
        lower = lowest
        for bound, colour in zip(breaks, colours, strict=True):
            label = (
                format_value(bound, unit)
                if lower == bound
                else f"{format_value(lower, unit)} – {format_value(bound, unit)}"
            )
            rows.append((f'fill="{colour}"', label))
            lower = bound
    rows.append((f'fill="{NO_VALUE}"', "Pas de donnée"))
    if has_highlight:
        rows.append(
            (f'fill="{NO_VALUE}" stroke="{HIGHLIGHT}" stroke-width="5"', "Pays mis en avant")
        )
    height = FONT * 1.5
    top = VIEW_HEIGHT - 20 - height * (len(rows) + 1)
    parts = [
        f'<g class="world-map-legend" font-size="{FONT}" fill="{TEXT}" '
        f'font-family="Marianne, arial, sans-serif">'
        f'<text x="{LEGEND_X}" y="{top + FONT:.0f}" font-weight="bold">{escape(title)}</text>'
    ]
    for index, (paint, label) in enumerate(rows, start=1):
        y = top + index * height
        parts.append(
            f'<rect x="{LEGEND_X}" y="{y + 6:.0f}" width="{FONT * 1.4:.0f}" '
            f'height="{FONT - 4}" {paint}/>'
            f'<text x="{LEGEND_X + FONT * 1.8:.0f}" y="{y + FONT:.0f}">{escape(label)}</text>'
        )
    parts.append("</g>")
    return "".join(parts)


def _country(shape: Shape, *, fill: str, label: str, href: str | None, outline: bool) -> str:
    stroke = f' stroke="{HIGHLIGHT}" stroke-width="4"' if outline else ""
    css = "world-map-country" + (" world-map-highlight" if outline else "")
    title = f"<title>{escape(label)}</title>"
    if href:
        return (
            f'<a href="{escape(href)}" class="{css}">{title}'
            f'<path d="{shape.path}" fill="{fill}"{stroke}/></a>'
        )
    return f'<path class="{css}" d="{shape.path}" fill="{fill}"{stroke}>{title}</path>'


def _description(title: str, values: dict[str, float], names: dict[str, str], unit: str) -> str:
    if not values:
        return f"{title} : aucune valeur à afficher."
    top = sorted(values.items(), key=lambda item: item[1], reverse=True)[:5]
    listed = ", ".join(f"{names.get(iso3, iso3)} ({format_value(v, unit)})" for iso3, v in top)
    count = len(values)
    plural = "pays renseignés" if count > 1 else "pays renseigné"
    return (
        f"Carte du monde, {count} {plural} ; valeurs les plus fortes : {listed}. "
        "Les pays sans valeur sont en gris."
    )


def world_map_svg(
    values: dict[str, float],
    *,
    links: dict[str, str] | None = None,
    title: str,
    unit: str,
    highlight: set[str] | None = None,
    legend_title: str = "",
) -> SafeString:
    """The world coloured by `values` (ISO alpha-3 → number) in five quantile classes.

    `links` (ISO alpha-3 → URL) makes countries links (their fact sheet); `highlight`
    outlines countries. Countries without a value are grey; every country's <title> gives
    its French name and value. `unit` is "$"/"USD" or "€"/"EUR" (values scaled: "12,3\u00a0M$")
    or any other unit written after the number ("%", "km"); `legend_title` defaults to
    "En <unit>" ("En dollars US")."""
    links = links or {}
    highlight = highlight or set()
    names = _names()
    drawn = shapes()
    by_iso3 = map_iso3()
    shown = {
        iso3: float(v)
        for iso3, v in values.items()
        if v is not None and math.isfinite(float(v)) and iso3 in by_iso3
    }
    breaks = class_breaks(list(shown.values()))
    colours = _colours(len(breaks))
    countries, on_top = [], []
    for iso3, iso2 in sorted(by_iso3.items(), key=lambda item: item[1]):
        name = names.get(iso3, iso3)
        if iso3 in shown:
            fill = colours[class_of(shown[iso3], breaks)]
            label = f"{name} : {format_value(shown[iso3], unit)}"
        else:
            fill, label = NO_VALUE, f"{name} : pas de donnée"
        outlined = iso3 in highlight
        markup = _country(
            drawn[iso2], fill=fill, label=label, href=links.get(iso3), outline=outlined
        )
        (on_top if outlined else countries).append(markup)
    ident = "carte-" + hashlib.sha256(f"{title}|{unit}|{sorted(shown)}".encode()).hexdigest()[:8]
    legend = _legend(
        legend_title or f"En {UNIT_WORDS.get(MONEY_SYMBOLS.get(unit, unit), unit)}",
        breaks,
        colours,
        unit,
        min(shown.values()) if shown else None,
        bool(highlight),
    )
    # An image's children are hidden from assistive technologies: with links, the map is a
    # group so each country link stays reachable and named by its <title>.
    role = "group" if any(iso3 in by_iso3 for iso3 in links) else "img"
    return mark_safe(  # noqa: S308 - names, labels and links are escaped above
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {VIEW_WIDTH} {VIEW_HEIGHT}" '
        f'width="100%" role="{role}" focusable="false" class="world-map" '
        f'aria-labelledby="{ident}-title {ident}-desc">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(_description(title, shown, names, unit))}</desc>'
        f'<g stroke="{OUTLINE}" stroke-width="1" stroke-linejoin="round">'
        f"{''.join(countries)}{''.join(on_top)}</g>{legend}</svg>"
    )
