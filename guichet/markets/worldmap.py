"""A world map drawn on the server as an inline SVG choropleth: no tile server, no CDN, no
JavaScript, allowed by the content security policy (presentation attributes only).

The country shapes come from the `pygal_maps_world` package (its worldmap.svg holds one
<g class="xx country"> per ISO alpha-2 code). They are read once, flattened to polygons
(Bézier control points dropped: at the size the map is shown, a country's outline keeps its
shape), simplified and rounded to whole units of the map's coordinates, which takes the
markup from ~780 KB to well under a third of that (geometry and colour scale shared with the
map of the départements: guichet/core/svgmap.py).

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

from guichet.core import svgmap
from guichet.core.svgmap import NO_VALUE, OUTLINE, TEXT, class_breaks, class_of

SOURCE = Path(pygal_maps_world.__file__).parent / "worldmap.svg"
# Drawn neither as a country nor as a market: no trade partner, and it takes a fifth of the
# map's height.
SKIPPED = {"aq"}
# Douglas–Peucker tolerance and the smallest ring kept, in map units (the source is 2475
# units wide; shown ~800–1200 px wide, a unit is about half a pixel).
TOLERANCE = 0.6
MIN_RING_AREA = 4.0

HIGHLIGHT = "#ce614a"
NBSP = "\u202f"

_GROUP = re.compile(r'<g class="([a-z]{2}) country[^"]*">(.*?)</g>', re.S)


@dataclass(frozen=True)
class Shape:
    iso2: str
    path: str  # simplified SVG path data
    centroid: tuple[float, float]  # area-weighted centre of the largest ring
    box: tuple[float, float, float, float]  # min x, min y, max x, max y


def _shape(iso2: str, body: str) -> Shape:
    drawn = svgmap.outline(
        [ring for d in svgmap.PATH_D.findall(body) for ring in svgmap.rings(d)],
        tolerance=TOLERANCE,
        min_ring_area=MIN_RING_AREA,
    )
    return Shape(iso2=iso2, path=drawn.path, centroid=drawn.centroid, box=drawn.box)


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


# --- Drawing ------------------------------------------------------------------------------

VIEW_WIDTH = 2480
VIEW_HEIGHT = 1170
FONT = 34
LEGEND_X = 30


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
    colours = svgmap.colours(len(breaks))
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
