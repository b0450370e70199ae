"""Product space of an exporter (France by default): the world's most traded products placed
by proximity, coloured by the exporter's revealed comparative advantage, sized by world trade,
and the diversification opportunities (products not exported yet, close to what the exporter
already does, with the largest complexity outlook gain).

The picture is an inline SVG drawn here on the server (no JavaScript, allowed by the content
security policy); every product carries its own <title>, and the same figures are given as
tables (opportunities, then every product in an accordion), each exportable as CSV/XLSX.
"""

from __future__ import annotations

import math

from django.shortcuts import render
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from guichet.core.charts import fr_number
from guichet.core.exports import FORMATS, export_response
from guichet.core.permissions import require
from guichet.markets import complexity_data, permissions
from guichet.markets.models import DatasetKind, TradeDataset
from guichet.reference.models import Country

LEVELS = {"hs4": "Positions SH à 4 chiffres", "hs2": "Chapitres SH à 2 chiffres"}
DEFAULT_EXPORTER = "FRA"

WIDTH = 960
HEIGHT = 640
MARGIN = 24
RADIUS_MIN = 2.5
RADIUS_MAX = 14.0

# RCA classes: (key, legend, fill, stroke). DSFR blue France shades, grey for no exports.
CLASSES = (
    ("none", "Pas d'exportation (RCA = 0)", "#eeeeee", "#929292"),
    ("low", "RCA < 1 : exporté sans avantage", "#cacafb", "#6a6af4"),
    ("rca1", "1 ≤ RCA < 2 : avantage comparatif", "#6a6af4", "#000091"),
    ("rca2", "RCA ≥ 2 : fort avantage", "#000091", "#000091"),
)
EDGE_COLOUR = "#c8c8c8"


def rca_class(rca: float) -> str:
    if not rca or rca <= 0 or math.isnan(rca):
        return "none"
    if rca < 1:
        return "low"
    return "rca1" if rca < 2 else "rca2"


def usd(value: float | None) -> str:
    """A USD amount the French way, in the largest fitting unit: 1,2 Md USD, 350 M USD."""
    if value is None or not math.isfinite(value):
        return "–"
    for threshold, unit in ((1e9, "Md USD"), (1e6, "M USD"), (1e3, "k USD")):
        if abs(value) >= threshold:
            return fr_number(value / threshold, 1, unit)
    return fr_number(value, 0, "USD")


def _decimal(value: float | None, digits: int = 2) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    return fr_number(value, digits)


def _radius(trade: float, largest: float) -> float:
    if largest <= 0 or trade <= 0:
        return RADIUS_MIN
    return RADIUS_MIN + (RADIUS_MAX - RADIUS_MIN) * math.sqrt(trade / largest)


def product_space_svg(space) -> SafeString:
    """The product space as an accessible inline SVG: edges as thin lines, products as circles
    (position from the layout, radius ∝ √ world trade, colour from the RCA class)."""
    inner_w = WIDTH - 2 * MARGIN
    inner_h = HEIGHT - 2 * MARGIN
    points = [(MARGIN + node.x * inner_w, MARGIN + (1 - node.y) * inner_h) for node in space.nodes]
    largest = max((node.world_trade for node in space.nodes), default=0.0)
    fills = {key: (fill, stroke) for key, _label, fill, stroke in CLASSES}
    edges = format_html_join(
        "",
        '<line x1="{}" y1="{}" x2="{}" y2="{}"/>',
        (
            (
                f"{points[a][0]:.1f}",
                f"{points[a][1]:.1f}",
                f"{points[b][0]:.1f}",
                f"{points[b][1]:.1f}",
            )
            for a, b, _phi in space.edges
            if a < len(points) and b < len(points)
        ),
    )
    # Largest first so that small products stay visible on top.
    order = sorted(range(len(space.nodes)), key=lambda n: -space.nodes[n].world_trade)
    circles = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="{}" fill="{}" stroke="{}" stroke-width="0.6">'
        "<title>{} — {} ; RCA {} ; commerce mondial {}</title></circle>",
        (
            (
                f"{points[n][0]:.1f}",
                f"{points[n][1]:.1f}",
                f"{_radius(node.world_trade, largest):.1f}",
                *fills[rca_class(node.rca)],
                node.code,
                node.label,
                _decimal(node.rca),
                usd(node.world_trade),
            )
            for n in order
            for node in (space.nodes[n],)
        ),
    )
    exported = sum(1 for node in space.nodes if node.exported)
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" '
        'role="img" aria-labelledby="espace-titre espace-desc" class="markets-product-space">'
        '<title id="espace-titre">Espace produits — {}</title>'
        '<desc id="espace-desc">{} produits placés selon leur proximité (produits souvent '
        "exportés ensemble), taille selon le commerce mondial, couleur selon l'avantage "
        "comparatif révélé ; {} avec un avantage comparatif (RCA ≥ 1). Les mêmes chiffres "
        "sont donnés dans le tableau de tous les produits.</desc>"
        '<rect x="0" y="0" width="{}" height="{}" fill="#ffffff"/>'
        '<g stroke="{}" stroke-width="0.5">{}</g><g>{}</g></svg>',
        WIDTH,
        HEIGHT,
        space.exporter_label,
        len(space.nodes),
        exported,
        WIDTH,
        HEIGHT,
        EDGE_COLOUR,
        edges,
        circles,
    )


def legend() -> SafeString:
    items = format_html_join(
        "",
        '<li class="fr-mr-3w"><svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" '
        'focusable="false"><circle cx="7" cy="7" r="6" fill="{}" stroke="{}"/></svg> {}</li>',
        ((fill, stroke, label) for _key, label, fill, stroke in CLASSES),
    )
    return format_html(
        '<ul class="fr-raw-list markets-legend fr-text--sm">{}'
        '<li class="fr-mr-3w">Taille du disque : commerce mondial du produit</li></ul>',
        items,
    )


def _exporters() -> list[tuple[str, str]]:
    return list(Country.objects.order_by("sort_name").values_list("iso3", "name_fr"))


def _loaded_years() -> list[int]:
    years = (
        TradeDataset.objects.filter(kind=DatasetKind.TRADE)
        .exclude(year=0)
        .values_list("year", flat=True)
        .distinct()
    )
    return sorted(set(years), reverse=True)


def _choices(request, years: list[int], exporters: list[tuple[str, str]]):
    """The exporter, level and year asked for, and a French note for each value ignored."""
    notes = []
    codes = {code for code, _name in exporters}
    exporter = request.GET.get("exporter", DEFAULT_EXPORTER).strip().upper()[:3]
    if exporter not in codes:
        notes.append("Pays exportateur inconnu : la France est affichée à la place.")
        exporter = DEFAULT_EXPORTER
    level = request.GET.get("level", "hs4")
    if level not in LEVELS:
        notes.append("Niveau de produit inconnu : positions SH à 4 chiffres affichées.")
        level = "hs4"
    year = years[0] if years else None
    raw_year = request.GET.get("year", "")
    if raw_year:
        if raw_year.isdigit() and int(raw_year) in years:
            year = int(raw_year)
        else:
            notes.append(f"Année non chargée : {raw_year[:10]} ; {year} est affichée à la place.")
    return exporter, level, year, notes


def _node_rows(nodes):
    return [
        (
            node.code,
            node.label,
            node.section,
            round(node.rca, 4),
            "oui" if node.exported else "non",
            round(node.density, 4),
            round(node.cog, 4),
            round(node.pci, 4),
            node.world_trade,
        )
        for node in nodes
    ]


NODE_HEADERS = [
    "Code SH",
    "Produit",
    "Section",
    "RCA",
    "Avantage comparatif (RCA ≥ 1)",
    "Densité",
    "Gain de complexité (COG)",
    "Complexité du produit (PCI)",
    "Commerce mondial (USD)",
]


def product_space_page(request):
    require(permissions.can_view_markets(request.user))
    exporters = _exporters()
    years = _loaded_years()
    exporter, level, year, notes = _choices(request, years, exporters)
    context = {
        "title": "Espace produits",
        "markets_tab": "product_space",
        "can_load": permissions.can_load_market_data(request.user),
        "exporters": exporters,
        "exporter": exporter,
        "levels": LEVELS.items(),
        "level": level,
        "years": years,
        "year": year,
        "notes": notes,
        "space": None,
        "no_data": year is None,
        "error": "",
    }
    if year is not None:
        from guichet.markets.product_space import product_space

        try:
            space = product_space(exporter=exporter, year=year, level=level)
        except complexity_data.NoTradeData as error:
            context["no_data"] = not years
            context["error"] = str(error)
            space = None
        if space is not None:
            fmt = request.GET.get("format", "")
            if fmt in FORMATS:
                table = request.GET.get("table", "opportunites")
                nodes = space.nodes if table == "produits" else space.opportunities
                name = "produits" if table == "produits" else "opportunites"
                return export_response(
                    rows=_node_rows(nodes),
                    headers=NODE_HEADERS,
                    filename=f"espace-produits-{name}-{exporter}-{level}-{space.basis.year}",
                    fmt=fmt,
                    sheet="Espace produits",
                )
            context.update(
                {
                    "space": space,
                    "svg": product_space_svg(space) if space.nodes else mark_safe(""),
                    "legend": legend(),
                    "basis": space.basis,
                    "opportunities": _display(space.opportunities),
                    "nodes": _display(sorted(space.nodes, key=lambda n: (-n.rca, n.code))),
                    "exported_count": sum(1 for node in space.nodes if node.exported),
                    "query": _query(exporter, level, year),
                }
            )
    return render(request, "markets/product_space.html", context)


def _query(exporter: str, level: str, year: int) -> str:
    from urllib.parse import urlencode

    return urlencode({"exporter": exporter, "level": level, "year": year})


def short_section(title: str) -> str:
    """A section title up to its first semicolon: "Machines et appareils, matériel électrique
    et leurs parties ; appareils d'enregistrement…" → "Machines et appareils, matériel
    électrique et leurs parties" (exports keep the whole title)."""
    return (title or "").split(";")[0].strip()


def _display(nodes) -> list[dict]:
    return [
        {
            "code": node.code,
            "label": node.label,
            "section": short_section(node.section),
            "rca": _decimal(node.rca),
            "rca_class": rca_class(node.rca),
            "exported": node.exported,
            "density": _decimal(node.density, 3),
            "cog": _decimal(node.cog, 3),
            "pci": _decimal(node.pci, 2),
            "world_trade": usd(node.world_trade),
        }
        for node in nodes
    ]
