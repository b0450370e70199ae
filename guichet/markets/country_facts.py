"""A country's fact sheet figures: its imports of some products (or of everything), their
trend over the loaded years, its main suppliers, France's share and its trend, the distance
from France. DuckDB over the trade Parquet of one source (the reference year's, preferred as
the export potential prefers it: BACI, then Comtrade, then the demonstration).

Imports are the partners' recorded exports to the country (BACI reconciles both sides), in
current USD; a product code of any length selects every product under it.
"""

from __future__ import annotations

from guichet.markets import storage
from guichet.markets.countries import iso3_names
from guichet.markets.models import DatasetKind, TradeDataset
from guichet.markets.potential import SOURCES, NoTradeData
from guichet.markets.results import DataBasis

FRANCE = "FRA"
TOP_SUPPLIERS = 10

_BY_EXPORTER = """
CREATE TEMP TABLE m AS
SELECT t.year, t.exporter, sum(t.value) AS value
FROM trade t
WHERE t.importer = ? AND t.exporter <> t.importer AND t.value > 0
  AND (? = 0 OR EXISTS (
        SELECT 1 FROM wanted w WHERE substr(t.product, 1, length(w.code)) = w.code))
GROUP BY t.year, t.exporter
"""


def _datasets(year: int | None) -> list[TradeDataset]:
    """The loaded years of the reference year's source, oldest first."""
    loaded = [
        d
        for d in TradeDataset.objects.filter(kind=DatasetKind.TRADE, source__in=SOURCES)
        if storage.absolute(d.path).exists()
    ]
    if year is None:
        year = max((d.year for d in loaded), default=None)
    of_year = [d for d in loaded if d.year == year]
    if not of_year:
        raise NoTradeData(year)
    source = min(of_year, key=lambda d: SOURCES.index(d.source)).source
    return sorted(
        (d for d in loaded if d.source == source and d.year <= year), key=lambda d: d.year
    )


def distance_from_france(iso3: str) -> float | None:
    """Kilometres between France's and the country's main cities (GeoDist), None when no
    distance table is loaded or the pair is missing."""
    dataset = TradeDataset.objects.filter(kind=DatasetKind.GEODIST).order_by("-loaded_at").first()
    path = storage.absolute(dataset.path) if dataset else storage.geodist_path()
    if not path.exists():
        return None
    con = storage.connect()
    try:
        row = con.execute(
            "SELECT dist FROM read_parquet(?) WHERE (origin = ? AND destination = ?) "
            "OR (origin = ? AND destination = ?) ORDER BY CASE WHEN origin = ? THEN 0 ELSE 1 END "
            "LIMIT 1",
            [str(path), FRANCE, iso3, iso3, FRANCE, FRANCE],
        ).fetchone()
    finally:
        con.close()
    return float(row[0]) if row and row[0] is not None else None


def country_facts(iso3: str, *, products: list[str] | None = None, year=None) -> dict:
    """The fact sheet figures of a country (ISO alpha-3) for `products` (HS codes or
    prefixes; None: all goods) in `year` (default: the latest loaded). Keys: iso3, name, year,
    products, distance_km, imports, imports_trend [(year, USD)], suppliers [(iso3, name, USD,
    share)], france_value, france_rank (None when France does not supply it), france_share
    (None without imports), france_share_trend [(year, share)], basis. Raises NoTradeData when
    no trade year is loaded."""
    iso3 = (iso3 or "").strip().upper()
    codes = sorted({str(p).strip() for p in products or [] if str(p).strip()})
    datasets = _datasets(year)
    reference = datasets[-1]
    con = storage.connect()
    try:
        con.read_parquet([str(storage.absolute(d.path)) for d in datasets]).create_view("trade")
        con.execute("CREATE TEMP TABLE wanted (code VARCHAR)")
        if codes:
            con.executemany("INSERT INTO wanted VALUES (?)", [(c,) for c in codes])
        con.execute(_BY_EXPORTER, [iso3, 1 if codes else 0])
        by_year = dict(con.execute("SELECT year, sum(value) FROM m GROUP BY year").fetchall())
        france_by_year = dict(
            con.execute("SELECT year, value FROM m WHERE exporter = ?", [FRANCE]).fetchall()
        )
        ranked = con.execute(
            "SELECT exporter, value FROM m WHERE year = ? ORDER BY value DESC, exporter",
            [reference.year],
        ).fetchall()
    finally:
        con.close()

    years = [d.year for d in datasets]
    imports = float(by_year.get(reference.year, 0.0))
    top = ranked[:TOP_SUPPLIERS]
    names = iso3_names({iso3, *(exporter for exporter, _v in top)})
    suppliers = [
        (exporter, names.get(exporter, exporter), float(value), float(value) / imports)
        for exporter, value in top
    ]
    order = [exporter for exporter, _v in ranked]
    france_value = float(france_by_year.get(reference.year, 0.0))
    share_trend = [
        (y, float(france_by_year.get(y, 0.0)) / float(by_year[y])) for y in years if by_year.get(y)
    ]
    notes = ["Importations : exportations déclarées par les partenaires, en USD courants."]
    if codes:
        notes.append("Produits retenus : SH " + ", ".join(codes) + ".")
    return {
        "iso3": iso3,
        "name": names.get(iso3, iso3),
        "year": reference.year,
        "products": codes,
        "distance_km": distance_from_france(iso3),
        "imports": imports,
        "imports_trend": [(y, float(by_year.get(y, 0.0))) for y in years],
        "suppliers": suppliers,
        "france_value": france_value,
        "france_rank": order.index(FRANCE) + 1 if FRANCE in order else None,
        "france_share": france_value / imports if imports > 0 and iso3 != FRANCE else None,
        "france_share_trend": share_trend if iso3 != FRANCE else [],
        "basis": DataBasis(
            source_label=f"{reference.get_source_display()} {reference.year}",
            year=reference.year,
            years_used=years,
            is_demo=any(d.is_demo or d.source == "demo" for d in datasets),
            notes=notes,
        ),
    }
