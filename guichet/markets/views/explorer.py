"""Market explorer: a filière or an HS product → the markets ranked by unrealised export
potential for the région (targets.py, ITC method of MARKETS.md §2–3), as a table, a bar chart
of the first fifteen, a world map, and CSV/XLSX exports of the whole ranking."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from guichet.core import charts
from guichet.core.exports import FORMATS, export_response
from guichet.core.permissions import require
from guichet.markets import permissions, selectors
from guichet.markets.forms import ExplorerForm

CHART_BARS = 15
EXPORT_HEADERS = [
    "Rang",
    "Pays",
    "Code pays (ISO alpha-3)",
    "Potentiel non réalisé (USD)",
    "Potentiel (USD)",
    "Exportations actuelles (USD)",
    "Part réalisée (%)",
    "Distance (km)",
    "Croissance de la demande (%)",
    "Principaux produits (SH)",
]


def usd(value: float | None) -> str:
    """A dollar amount the way a French reader scans it: 12,3 M$, 1,2 Md$, 450 k$."""
    if value is None:
        return "–"
    for size, unit in ((1e9, "Md$"), (1e6, "M$"), (1e3, "k$")):
        if abs(value) >= size:
            return charts.fr_number(value / size, 1, unit)
    return charts.fr_number(value, 0, "$")


def percent(share: float | None, *, signed: bool = False) -> str:
    if share is None:
        return "–"
    text = charts.fr_number(share * 100, 1, "%")
    return f"+{text}" if signed and share > 0 else text


def subject_query(*, filiere=None, product: str = "", year: int | None = None) -> str:
    """The query string that keeps the explorer's subject on a country sheet."""
    params = {}
    if filiere is not None:
        params["filiere"] = filiere.pk
    elif product:
        params["produit"] = product
    if year:
        params["annee"] = year
    return "?" + urlencode(params) if params else ""


def _short(code: str, label: str, size: int = 40) -> str:
    """A product as the table cell shows it: its code and the start of its label."""
    label = label if len(label) <= size else label[: size - 1].rstrip() + "…"
    return f"{code} {label}".strip()


def _rows(targets, query: str) -> list[dict]:
    return [
        {
            "rank": rank,
            "target": row,
            "url": reverse("markets:country", args=[row.market]) + query,
            "unrealised": usd(row.unrealised),
            "potential": usd(row.potential),
            "actual": usd(row.actual),
            "realised": percent(row.realised_share),
            "distance": charts.fr_number(row.distance_km, 0, "km")
            if row.distance_km is not None
            else "–",
            "growth": percent(row.demand_growth, signed=True),
            "products": [_short(code, label) for code, label, _ in row.top_products[:3]],
        }
        for rank, row in enumerate(targets.rows, start=1)
    ]


def bar_chart(targets) -> charts.Chart:
    """Horizontal bars of unrealised potential (million USD), largest first: country names
    read along the bars. Its data table is the accessible alternative."""
    rows = targets.rows[:CHART_BARS]
    values = [row.unrealised / 1e6 for row in rows]
    names = [row.name for row in rows]
    title = f"Potentiel non réalisé, {len(rows)} premiers marchés (millions de dollars)"
    width, label_width, bar_height, gap, top = 720, 190, 18, 8, 8
    peak = max(values, default=0) or 1
    ticks = charts.nice_ticks(peak)
    scale = (width - label_width - 70) / (ticks[-1] or 1)
    height = top + len(rows) * (bar_height + gap) + 24
    parts = []
    for tick in ticks:
        x = label_width + tick * scale
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{height - 20}" '
            f'stroke="{charts.GRID_COLOUR}"/><text x="{x:.1f}" y="{height - 6}" '
            f'text-anchor="middle" font-size="12" fill="{charts.AXIS_COLOUR}">'
            f"{escape(charts.fr_number(tick, 0))}</text>"
        )
    for index, (name, value) in enumerate(zip(names, values, strict=True)):
        y = top + index * (bar_height + gap)
        label = f"{name} : {charts.fr_number(value, 1, 'M$')}"
        length = max(value * scale, 1)
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar_height - 4}" text-anchor="end" '
            f'font-size="12" fill="{charts.AXIS_COLOUR}">{escape(name[:28])}</text>'
            f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}" '
            f'fill="{charts.PALETTE[0]}"><title>{escape(label)}</title></rect>'
            f'<text x="{label_width + length + 4:.1f}" y="{y + bar_height - 4}" font-size="12" '
            f'fill="{charts.AXIS_COLOUR}">{escape(charts.fr_number(value, 1))}</text>'
        )
    svg = mark_safe(  # noqa: S308 - every text part is escaped above
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" focusable="false" aria-labelledby="marches-barres-title '
        f'marches-barres-desc"><title id="marches-barres-title">{escape(title)}</title>'
        f'<desc id="marches-barres-desc">{escape(_description(names, values))}</desc>'
        f"{''.join(parts)}</svg>"
    )
    table = charts.data_table(
        title=title,
        categories=names,
        series=[charts.Series("Potentiel non réalisé (M$)", values)],
        decimals=1,
        category_header="Pays",
    )
    return charts.Chart(chart_id="marches-barres", title=title, svg=svg, table=table)


def _description(names: list[str], values: list[float]) -> str:
    if not names:
        return "Aucun marché."
    return (
        f"{names[0]} arrive en tête avec {charts.fr_number(values[0], 1)} millions de dollars "
        f"de potentiel non réalisé ; le {len(names)}e marché, {names[-1]}, "
        f"{charts.fr_number(values[-1], 1)} millions."
    )


def world_map(targets, query: str):
    """The choropleth of unrealised potential (worldmap.py), each country linking to its
    sheet; None when the map module is not available."""
    try:
        from guichet.markets.worldmap import world_map_svg
    except ImportError:
        return None
    values = {row.market: row.unrealised for row in targets.rows}
    links = {code: reverse("markets:country", args=[code]) + query for code in values}
    return world_map_svg(
        values,
        links=links,
        title=f"Potentiel non réalisé par marché — {targets.subject}",
        unit="USD",
        highlight={row.market for row in targets.rows[:CHART_BARS]},
    )


def _export(targets, fmt: str):
    rows = (
        (
            rank,
            row.name,
            row.market,
            round(row.unrealised, 2),
            round(row.potential, 2),
            round(row.actual, 2),
            round(row.realised_share * 100, 2),
            round(row.distance_km) if row.distance_km is not None else None,
            round(row.demand_growth * 100, 2),
            ", ".join(code for code, _, _ in row.top_products),
        )
        for rank, row in enumerate(targets.rows, start=1)
    )
    return export_response(
        rows=rows,
        headers=EXPORT_HEADERS,
        filename=f"marches-{targets.basis.year}",
        fmt=fmt,
        sheet="Marchés cibles",
    )


def _answer(form) -> dict:
    """Run the question of a valid form: the targets, or why there are none."""
    data = form.cleaned_data
    filiere, product, year = data.get("filiere"), data.get("product"), data.get("annee")
    if data.get("matches"):
        return {"matches": data["matches"]}
    if filiere is not None and not selectors.filiere_products(filiere):
        return {"no_products": filiere}
    try:
        targets = selectors.targets_for(filiere=filiere, product=product, year=year)
    except selectors.DATA_ERRORS as error:
        return {"failure": str(error) or "Aucune donnée ne répond à cette question."}
    if not targets.rows and filiere is not None and not targets.products:
        return {"no_products": filiere}
    return {"targets": targets, "query": subject_query(filiere=filiere, product=product, year=year)}


def explorer(request):
    require(permissions.can_view_markets(request.user))
    years = selectors.trade_years()
    asked = any(request.GET.get(name) for name in ("filiere", "produit"))
    form = ExplorerForm(request.GET if asked else None, years=years)
    context = {
        "title": "Marchés cibles",
        "form": form,
        "years": years,
        "has_data": bool(years),
        "can_load": permissions.can_load_market_data(request.user),
        "markets_tab": "explorer",
    }
    if years and form.is_bound and form.is_valid():
        answer = _answer(form)
        targets = answer.get("targets")
        fmt = request.GET.get("format", "")
        if targets is not None and fmt in FORMATS:
            return _export(targets, fmt)
        if targets is not None:
            shown = form.limit
            answer["rows"] = _rows(targets, answer["query"])[:shown]
            answer["count"] = len(targets.rows)
            answer["chart"] = bar_chart(targets) if targets.rows else None
            answer["map"] = world_map(targets, answer["query"]) if targets.rows else None
            # the weighting sentence is said above the table; the basis lists the other notes
            answer["basis"] = replace(
                targets.basis,
                notes=[n for n in targets.basis.notes if n != targets.weighting_label],
            )
        context.update(answer)
    return render(request, "markets/explorer.html", context)
