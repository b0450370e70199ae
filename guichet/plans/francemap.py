"""A map of France's départements drawn on the server as an inline SVG choropleth: no tile
server, no CDN, no JavaScript, allowed by the content security policy (presentation
attributes only). The plan's dashboard colours it with the companies accompanied per
head-office département.

The shapes come from the `pygal_maps_fr` package (its fr.departments.svg holds one
<g class="zXX departement"> per INSEE département code: mainland and Corsica in a translated
group, an enlarged Paris and inner suburbs inset, and the overseas départements in insets).
Only the package's data file is read (its Python module needs an older pygal). The shapes are
flattened, simplified and rounded with the geometry helpers shared with the world map
(guichet/core/svgmap.py), which takes the markup from ~600 KB to a small fraction.

A region's platform sees its own région: the view box is cut to the région's départements
(and any other département with a value). Without a focus the whole of France is drawn with
its insets.

Accessibility: the SVG is named by its <title> and described by its <desc>; every département
carries a <title> "Nom (code) : valeur"; départements with a link are keyboard-reachable links.
Pages give the same figures as a table next to it.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pygal_maps_fr
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from guichet.core import svgmap
from guichet.core.svgmap import NO_VALUE, OUTLINE, TEXT, class_breaks, class_of

SOURCE = Path(pygal_maps_fr.__file__).parent / "fr.departments.svg"
# The source is 2000 units wide; shown 500–800 px wide, a unit is about a third of a pixel.
TOLERANCE = 0.8
MIN_RING_AREA = 6.0
MARGIN = 20.0
FONT_RATIO = 0.035  # label size as a share of the view box's width

OUTSIDE = "#f3f3f3"  # départements drawn for context, outside the focus

MAINLAND, PARIS_INSET, OVERSEAS = "mainland", "paris", "overseas"
_LAYER_START = {"paris-petite-couronne": PARIS_INSET, "dom-com": OVERSEAS}
_OFFSET = re.compile(r'<g id="departements" transform="translate\(([-\d.]+),([-\d.]+)\)"')
_GROUP = re.compile(r'<g class="z(\w{2,3}) departement[^"]*">\s*(.*?)</g>', re.S)
_LAYER = re.compile(r'<g id="(paris-petite-couronne|dom-com)">')


@dataclass(frozen=True)
class Shape:
    code: str  # INSEE département code ("21", "2A", "974")
    layer: str  # MAINLAND, PARIS_INSET or OVERSEAS
    path: str
    centroid: tuple[float, float]
    box: tuple[float, float, float, float]


def _shape(code: str, layer: str, body: str, offset: tuple[float, float]) -> Shape:
    dx, dy = offset
    drawn = svgmap.outline(
        [
            [(x + dx, y + dy) for x, y in ring]
            for d in svgmap.PATH_D.findall(body)
            for ring in svgmap.rings(d)
        ],
        tolerance=TOLERANCE,
        min_ring_area=MIN_RING_AREA,
    )
    return Shape(code=code, layer=layer, path=drawn.path, centroid=drawn.centroid, box=drawn.box)


@lru_cache(maxsize=1)
def shapes() -> tuple[Shape, ...]:
    """Every département shape of the source, the Paris inset's duplicates included."""
    text = SOURCE.read_text(encoding="utf-8")
    found = _OFFSET.search(text)
    mainland_offset = (float(found.group(1)), float(found.group(2))) if found else (0.0, 0.0)
    starts = sorted((m.start(), _LAYER_START[m.group(1)]) for m in _LAYER.finditer(text))
    out = []
    for match in _GROUP.finditer(text):
        layer = MAINLAND
        for start, name in starts:
            if match.start() > start:
                layer = name
        offset = mainland_offset if layer == MAINLAND else (0.0, 0.0)
        out.append(_shape(match.group(1), layer, match.group(2), offset))
    return tuple(out)


def codes() -> set[str]:
    """The département codes drawn on the map."""
    return {shape.code for shape in shapes()}


# --- Drawing ------------------------------------------------------------------------------


def _names() -> dict[str, str]:
    """French names by code, from reference.Departement (one query)."""
    from guichet.reference.models import Departement

    return dict(Departement.objects.values_list("code", "name"))


def _fr(value: float) -> str:
    decimals = 0 if float(value).is_integer() else 1
    return f"{value:,.{decimals}f}".replace(",", "\u202f").replace(".", ",")


def format_count(value: float, unit: str) -> str:
    return f"{_fr(value)}\u00a0{unit}" if unit else _fr(value)


def _drawn(focus: set[str] | None) -> list[Shape]:
    """The shapes to draw: all of them without a focus; else the layers holding the focused
    départements (the Paris inset is left out: it would sit over other départements)."""
    every = shapes()
    if not focus:
        return list(every)
    layers = {s.layer for s in every if s.code in focus and s.layer != PARIS_INSET}
    return [s for s in every if s.layer in layers]


def _view_box(drawn: list[Shape], focus: set[str] | None) -> tuple[float, float, float, float]:
    boxes = [s.box for s in drawn if not focus or s.code in focus] or [s.box for s in drawn]
    left = min(b[0] for b in boxes) - MARGIN
    top = min(b[1] for b in boxes) - MARGIN
    right = max(b[2] for b in boxes) + MARGIN
    bottom = max(b[3] for b in boxes) + MARGIN
    return left, top, right - left, bottom - top


def integer_breaks(values: list[float]) -> list[float]:
    """Quantile class bounds; whole numbers when every value is one (a count of companies
    has no "1,4" class)."""
    breaks = class_breaks(values)
    if not all(float(v).is_integer() for v in values):
        return breaks
    out: list[float] = []
    for bound in breaks:
        whole = float(math.ceil(bound))
        if not out or whole > out[-1]:
            out.append(whole)
    return out


def _legend_rows(breaks, colours, lowest: float | None) -> list[tuple[str, str]]:
    rows = []
    lower = lowest
    for bound, colour in zip(breaks, colours, strict=True):
        rows.append((colour, _fr(bound) if lower == bound else f"{_fr(lower)} à {_fr(bound)}"))
        lower = bound + 1 if float(bound).is_integer() and float(lower).is_integer() else bound
    rows.append((NO_VALUE, "Aucune"))
    return rows


def _legend(map_box, rows, legend_title: str) -> tuple[str, float]:
    """The legend under the map, in one row; returns its markup and height."""
    left, top, width, height = map_box
    font = width * FONT_RATIO * 0.8
    y = top + height + font * 1.4
    parts = [
        f'<g class="france-map-legend" font-size="{font:.1f}" fill="{TEXT}" '
        f'font-family="Marianne, arial, sans-serif">'
        f'<text x="{left + MARGIN / 2:.1f}" y="{y:.1f}" font-weight="bold">'
        f"{escape(legend_title)}</text>"
    ]
    x = left + MARGIN / 2
    y += font * 1.6
    for colour, label in rows:
        step = font * (2.4 + 0.6 * len(label))
        if x + step > left + width:
            x = left + MARGIN / 2
            y += font * 1.5
        parts.append(
            f'<rect x="{x:.1f}" y="{y - font * 0.85:.1f}" width="{font * 1.4:.1f}" '
            f'height="{font:.1f}" fill="{colour}"/>'
            f'<text x="{x + font * 1.8:.1f}" y="{y:.1f}">{escape(label)}</text>'
        )
        x += step
    parts.append("</g>")
    return "".join(parts), y - (top + height) + font * 0.8


def _description(title: str, values: dict[str, float], names: dict[str, str], unit: str) -> str:
    if not values:
        return f"{title} : aucune valeur à afficher."
    top = sorted(values.items(), key=lambda item: (-item[1], item[0]))[:5]
    listed = ", ".join(
        f"{names.get(code, code)} ({format_count(value, unit)})" for code, value in top
    )
    count = len(values)
    plural = "départements renseignés" if count > 1 else "département renseigné"
    return f"Carte des départements, {count} {plural} ; valeurs les plus fortes : {listed}."


def _departement(shape: Shape, *, fill: str, label: str, href: str | None) -> str:
    title = f"<title>{escape(label)}</title>"
    if href:
        return (
            f'<a href="{escape(href)}" class="france-map-departement">{title}'
            f'<path d="{shape.path}" fill="{fill}"/></a>'
        )
    return f'<path class="france-map-departement" d="{shape.path}" fill="{fill}">{title}</path>'


def _labels(drawn: Iterable[Shape], shown: dict[str, float], breaks, box) -> str:
    """The value written on each département that has one (dark classes in white)."""
    font = box[2] * FONT_RATIO
    parts = []
    for shape in drawn:
        if shape.code not in shown or shape.layer == PARIS_INSET:
            continue
        dark = class_of(shown[shape.code], breaks) >= max(len(breaks) - 2, 1)
        colour = "#ffffff" if dark else TEXT
        x, y = shape.centroid
        parts.append(
            f'<text x="{x:.1f}" y="{y + font / 3:.1f}" fill="{colour}" text-anchor="middle" '
            f'font-weight="bold">{escape(_fr(shown[shape.code]))}</text>'
        )
    if not parts:
        return ""
    return (
        f'<g class="france-map-labels" font-size="{font:.1f}" aria-hidden="true" '
        f'font-family="Marianne, arial, sans-serif">{"".join(parts)}</g>'
    )


def france_map_svg(
    values: dict[str, float],
    *,
    title: str,
    unit: str = "",
    focus: Iterable[str] | None = None,
    links: dict[str, str] | None = None,
    legend_title: str = "",
) -> SafeString:
    """The départements coloured by `values` (INSEE code → number) in up to five quantile
    classes; zero counts as no value. `focus` (codes) cuts the view box to those départements
    and the ones with a value, the others drawn lighter for context; `links` (code → URL)
    makes départements links."""
    links = links or {}
    drawable = codes()
    shown = {
        code: float(v)
        for code, v in values.items()
        if v is not None and math.isfinite(float(v)) and float(v) != 0 and code in drawable
    }
    focus_set = (set(focus) | set(shown)) & drawable if focus else None
    drawn = _drawn(focus_set)
    box = _view_box(drawn, focus_set)
    names = _names()
    breaks = integer_breaks(list(shown.values()))
    colours = svgmap.colours(len(breaks))
    markup = []
    for shape in drawn:
        name = f"{names.get(shape.code, shape.code)} ({shape.code})"
        if shape.code in shown:
            fill = colours[class_of(shown[shape.code], breaks)]
            label = f"{name} : {format_count(shown[shape.code], unit)}"
        else:
            fill = NO_VALUE if not focus_set or shape.code in focus_set else OUTSIDE
            label = f"{name} : aucune"
        markup.append(_departement(shape, fill=fill, label=label, href=links.get(shape.code)))
    ident = (
        "carte-fr-" + hashlib.sha256(f"{title}|{sorted(shown.items())}".encode()).hexdigest()[:8]
    )
    rows = _legend_rows(breaks, colours, min(shown.values()) if shown else None)
    legend, legend_height = _legend(box, rows, legend_title or (unit.capitalize() or "Valeur"))
    role = "group" if any(code in links for code in drawable) else "img"
    left, top, width, height = box
    return mark_safe(  # noqa: S308 - names, labels and links are escaped above
        f'<svg xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="{left:.0f} {top:.0f} {width:.0f} {height + legend_height:.0f}" '
        f'width="100%" role="{role}" focusable="false" class="france-map" '
        f'aria-labelledby="{ident}-title {ident}-desc">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(_description(title, shown, names, unit))}</desc>'
        f'<g stroke="{OUTLINE}" stroke-width="1.5" stroke-linejoin="round">{"".join(markup)}</g>'
        f"{_labels(drawn, shown, breaks, box)}{legend}</svg>"
    )
