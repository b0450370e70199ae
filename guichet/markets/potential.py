"""Export potential (ITC Export Potential Indicator, MARKETS.md §2), in SQL over the trade Parquet.

For every exporter i, market j and product k at once (the scaling Σ_i EPI_ijk = ProjM_jk needs
them all):
- flows v_ijk are weighted averages of the last five loaded years (weights 5,4,3,2,1, most
  recent heaviest, normalised over the years present; a missing flow counts 0), after the
  2023 method's data hygiene (options, all on by default, see `Hygiene`);
- Supply_ik = ProjMS_ik = v_ik ΔGDP_i / Σ_i v_ik ΔGDP_i (tariff factor 1: no tariff data);
- Demand_ijk = ProjM_jk × DistF_ijk, ProjM_jk = v_jk × (GDP per capita growth)^elasticity ×
  population growth of j; DistF_ijk = exp(−|avLogDist_jk − logDist_ij|), avLogDist_jk the
  import-weighted mean log distance of j's suppliers of k that have a distance; a pair
  without a distance has factor 1;
- Ease_ij = v_ij / Σ_k (MS_ik × v_jk × DistF_ijk), static (no projection);
- EPI_ijk = Supply × Ease × Demand, scaled so that Σ_i EPI_ijk = ProjM_jk;
  realised share = min(v, EPI) / EPI, unrealised = EPI − min(v, EPI).

The i × j × k table is never stored: it is a join of pair tables (supply i×k, demand j×k with
the scaling denominator, ease i×j with the pair's distance, flows), cached as Parquet and
recomputed when an input changes (cache.inputs_key). `potential_frame` returns a view over
them; a filter on the exporter is pushed down, so one exporter's rows come back quickly.
The SQL is standard (CTEs, window functions, ln/exp): it would run on Spark SQL as well.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from pathlib import Path

from guichet.markets import complexity_data, storage
from guichet.markets.assumptions import Assumptions, current_assumptions
from guichet.markets.models import DatasetKind, TradeDataset
from guichet.markets.results import DataBasis, PotentialRow, PotentialTable

WINDOW_YEARS = 5
EXPORT_YEARS = 3  # a product counts for an exporter exported in each of its last 3 years
IMPORT_YEARS = 5  # … and for a market imported in each of its last 5 years
LEVELS = {"hs2": 2, "hs4": 4, "hs6": 6}
# Trade sources in order of preference for a year (the demonstration last).
SOURCES = ("baci", "comtrade", "demo")
PARTS = ("flows", "supply", "demand", "ease")
VIEW = "potential"

NO_DATA_MESSAGE = (
    "Aucune donnée de commerce mondial n'est chargée{year} : un administrateur charge une année "
    "BACI sur la page « Données » des marchés (/marches/donnees/) ou avec "
    "« python manage.py load_trade », ou lancez « make demo » pour des données de démonstration."
)


class NoTradeData(complexity_data.NoTradeData):
    """No trade year to compute from; the message (French) says what to do. A subclass of
    the complexity's NoTradeData, so a page catches both with one clause."""

    def __init__(self, year: int | None = None):
        super().__init__(NO_DATA_MESSAGE.format(year=f" pour {year}" if year else ""))


@dataclass(frozen=True)
class Hygiene:
    """Data hygiene of the ITC 2023 method.

    - re-exports: an exporter's flows of a product are dropped when its imports of that
      product exceed `reexport_ratio` times its exports (imports "dwarf" exports: the goods
      are mostly passing through);
    - returned goods: a flow below 1/`returned_ratio` of the reverse flow (same product) is
      dropped;
    - persistence: an exporter keeps a product only if it exported it in each of its last 3
      loaded years, a market only if it imported it in each of the last 5 (fewer years
      loaded: each of those loaded — the basis notes say so)."""

    reexports: bool = True
    returned_goods: bool = True
    persistence: bool = True
    reexport_ratio: float = 10.0
    returned_ratio: float = 15.0


def _trade_datasets() -> list[TradeDataset]:
    return list(
        TradeDataset.objects.filter(kind=DatasetKind.TRADE, source__in=SOURCES).order_by("-year")
    )


def latest_year() -> int | None:
    years = [d.year for d in _trade_datasets() if storage.absolute(d.path).exists()]
    return max(years) if years else None


def window(year: int | None) -> list[TradeDataset]:
    """The datasets of the reference year's source, for the five years ending at `year`
    (oldest first). Raises NoTradeData when the year has no loaded trade."""
    datasets = [d for d in _trade_datasets() if storage.absolute(d.path).exists()]
    if year is None:
        year = max((d.year for d in datasets), default=None)
    of_year = [d for d in datasets if d.year == year]
    if not of_year:
        raise NoTradeData(year)
    source = min(of_year, key=lambda d: SOURCES.index(d.source)).source
    kept = [d for d in datasets if d.source == source and year - WINDOW_YEARS < d.year <= year]
    return sorted(kept, key=lambda d: d.year)


def weights(years: list[int]) -> dict[int, float]:
    """5 for the most recent of the five-year window, 4 for the year before… normalised over
    the years present."""
    last = max(years)
    raw = {y: float(WINDOW_YEARS - (last - y)) for y in years if last - y < WINDOW_YEARS}
    total = sum(raw.values())
    return {y: w / total for y, w in raw.items()}


def _digits(datasets: list[TradeDataset], level: str | None) -> int:
    """Product code length to compute at: the requested level, never finer than the data."""
    data = max((LEVELS.get(d.product_level, 6) for d in datasets), default=6)
    return min(LEVELS[level], data) if level else data


def _geodist() -> Path | None:
    dataset = TradeDataset.objects.filter(kind=DatasetKind.GEODIST).order_by("-loaded_at").first()
    path = storage.absolute(dataset.path) if dataset else storage.geodist_path()
    return path if path.exists() else None


def basis_notes(years: list[int], hygiene: Hygiene, assumptions: Assumptions) -> list[str]:
    notes = [
        "Valeurs : moyennes pondérées des années "
        + ", ".join(str(y) for y in years)
        + " (poids 5, 4, 3, 2, 1, l'année la plus récente pesant le plus).",
        "Pas de données tarifaires : facteurs d'avantage tarifaire égaux à 1.",
    ]
    if hygiene.reexports:
        notes.append(
            "Réexportations écartées : flux d'un exportateur pour un produit dont il importe "
            f"plus de {hygiene.reexport_ratio:g} fois ce qu'il exporte."
        )
    if hygiene.returned_goods:
        notes.append(
            "Marchandises en retour écartées : flux inférieurs à 1/"
            f"{hygiene.returned_ratio:g} du flux inverse."
        )
    if hygiene.persistence:
        exp_years = min(EXPORT_YEARS, len(years))
        imp_years = min(IMPORT_YEARS, len(years))
        text = (
            f"Produit retenu pour un exportateur s'il l'a exporté chacune des {exp_years} "
            f"dernières années chargées, pour un marché s'il l'a importé chacune des "
            f"{imp_years} dernières"
        )
        if len(years) < IMPORT_YEARS:
            text += (
                f" (méthode : 3 et 5 ans ; {len(years)} année(s) chargée(s) seulement"
                + (", règle sans effet" if len(years) == 1 else "")
                + ")"
            )
        notes.append(text + ".")
    if _geodist() is None:
        notes.append("Aucune distance chargée (GeoDist) : facteur de distance égal à 1.")
    notes.append("Projections : " + assumptions.default_source)
    return notes


def basis(datasets: list[TradeDataset], hygiene: Hygiene, assumptions: Assumptions) -> DataBasis:
    """The complexity's basis of the reference year (same source label), with the years used
    and the method's notes."""
    years = [d.year for d in datasets]
    return replace(
        complexity_data.basis_for(datasets[-1].year),
        years_used=years,
        is_demo=any(d.is_demo or d.source == "demo" for d in datasets),
        notes=basis_notes(years, hygiene, assumptions),
    )


# --- Building the pair tables -------------------------------------------------------------

_YEARLY = """
CREATE TABLE yr AS
SELECT year, exporter, importer, product, sum(value) AS value
FROM (
    SELECT year, exporter, importer, substr(product, 1, ?) AS product, value
    FROM trade_src
    WHERE value > 0 AND exporter <> importer
) t
GROUP BY year, exporter, importer, product
"""

_AVERAGED = """
CREATE TABLE flows0 AS
SELECT y.exporter, y.importer, y.product, sum(y.value * w.weight) AS value
FROM yr y JOIN year_weights w ON w.year = y.year
GROUP BY y.exporter, y.importer, y.product
"""

# Returned goods: keep a flow unless it is below 1/ratio of the reverse flow.
_RETURNED = """
CREATE TABLE flows1 AS
SELECT f.exporter, f.importer, f.product, f.value
FROM flows0 f
LEFT JOIN flows0 r
  ON r.exporter = f.importer AND r.importer = f.exporter AND r.product = f.product
WHERE ? = 0 OR r.value IS NULL OR f.value * ? >= r.value
"""

_REEXPORTERS = """
CREATE TABLE reexporters AS
WITH x AS (SELECT exporter AS country, product, sum(value) AS exports
           FROM flows1 GROUP BY exporter, product),
     m AS (SELECT importer AS country, product, sum(value) AS imports
           FROM flows1 GROUP BY importer, product)
SELECT x.country AS exporter, x.product
FROM x JOIN m ON m.country = x.country AND m.product = x.product
WHERE ? = 1 AND m.imports > ? * x.exports
"""

# Persistence: (exporter, product) present each of the last n years (n = 0: rule off).
_KEEP_EXPORTS = """
CREATE TABLE keep_exports AS
SELECT exporter, product FROM yr WHERE year >= ?
GROUP BY exporter, product HAVING count(DISTINCT year) >= ?
"""

_KEEP_IMPORTS = """
CREATE TABLE keep_imports AS
SELECT importer, product FROM yr WHERE year >= ?
GROUP BY importer, product HAVING count(DISTINCT year) >= ?
"""

# Row-value IN (semi joins) runs several times faster here than joins or NOT EXISTS, and is
# standard SQL (PostgreSQL and Spark SQL take it too).
_FLOWS = """
CREATE TABLE flows AS
WITH exporters_kept AS (
    SELECT ke.exporter, ke.product
    FROM keep_exports ke
    LEFT JOIN reexporters r ON r.exporter = ke.exporter AND r.product = ke.product
    WHERE r.exporter IS NULL
)
SELECT f.exporter, f.importer, f.product, f.value
FROM flows1 f
WHERE (f.exporter, f.product) IN (SELECT exporter, product FROM exporters_kept)
  AND (f.importer, f.product) IN (SELECT importer, product FROM keep_imports)
"""

# Distances, both directions (GeoDist lists each ordered pair; a one-way file works too).
_DIST = """
CREATE TABLE dist AS
SELECT a, b, min(km) AS km FROM (
    SELECT origin AS a, destination AS b, dist AS km FROM geo WHERE dist > 0
    UNION ALL
    SELECT destination AS a, origin AS b, dist AS km FROM geo WHERE dist > 0
) d
WHERE a <> b
GROUP BY a, b
"""

_SUPPLY = """
CREATE TABLE supply AS
WITH x AS (
    SELECT f.exporter, f.product, sum(f.value) AS exports
    FROM flows f GROUP BY f.exporter, f.product
)
SELECT x.exporter, x.product, x.exports,
       x.exports / sum(x.exports) OVER (PARTITION BY x.product) AS share,
       x.exports * coalesce(g.gdp_factor, 1.0)
         / sum(x.exports * coalesce(g.gdp_factor, 1.0)) OVER (PARTITION BY x.product)
         AS proj_share
FROM x LEFT JOIN growth g ON g.country = x.exporter
"""

_AVLOGDIST = """
CREATE TABLE avlogdist AS
SELECT f.importer, f.product, sum(f.value * ln(d.km)) / sum(f.value) AS avlog
FROM flows f JOIN dist d ON d.a = f.exporter AND d.b = f.importer
GROUP BY f.importer, f.product
"""

_DEMAND0 = """
CREATE TABLE demand0 AS
WITH m AS (
    SELECT importer, product, sum(value) AS imports FROM flows GROUP BY importer, product
)
SELECT m.importer, m.product, m.imports,
       coalesce(g.demand_factor, 1.0) AS growth_factor,
       m.imports * coalesce(g.demand_factor, 1.0) AS proj_imports,
       a.avlog
FROM m
LEFT JOIN growth g ON g.country = m.importer
LEFT JOIN avlogdist a ON a.importer = m.importer AND a.product = m.product
"""

# v_ij with the pair's distance (km and its log: NULL when GeoDist has no such pair).
_BILATERAL = """
CREATE TABLE bilateral AS
SELECT b.exporter, b.importer, b.value, k.km, ln(k.km) AS logkm
FROM (
    SELECT exporter, importer, sum(value) AS value FROM flows GROUP BY exporter, importer
) b
LEFT JOIN dist k ON k.a = b.exporter AND k.b = b.importer
"""

# Every (i, j, k) with i selling something to j, i supplying k and j importing k: the stream
# both sums below run over (never stored).
_PAIRS = """
CREATE VIEW pairs AS
SELECT b.exporter, b.importer, s.product, s.share, s.proj_share, d.imports,
       CASE WHEN d.avlog IS NULL OR b.logkm IS NULL THEN 1.0
            ELSE exp(-abs(d.avlog - b.logkm)) END AS distf
FROM bilateral b
JOIN supply s ON s.exporter = b.exporter
JOIN demand0 d ON d.importer = b.importer AND d.product = s.product
"""

_EASE = """
CREATE TABLE ease AS
WITH predicted AS (
    SELECT exporter, importer, sum(share * imports * distf) AS predicted
    FROM pairs GROUP BY exporter, importer
)
SELECT b.exporter, b.importer, b.value, b.km, b.logkm, p.predicted,
       b.value / p.predicted AS ease
FROM bilateral b JOIN predicted p ON p.exporter = b.exporter AND p.importer = b.importer
WHERE p.predicted > 0
"""

_DEMAND = """
CREATE TABLE demand AS
WITH denominators AS (
    SELECT p.importer, p.product, sum(p.proj_share * e.ease * p.distf) AS denom
    FROM pairs p JOIN ease e ON e.exporter = p.exporter AND e.importer = p.importer
    GROUP BY p.importer, p.product
)
SELECT d.importer, d.product, d.imports, d.growth_factor, d.proj_imports, d.avlog, n.denom
FROM demand0 d
JOIN denominators n ON n.importer = d.importer AND n.product = d.product
WHERE n.denom > 0
"""

# The i × j × k potential over the cached pair tables.
_VIEW = """
CREATE OR REPLACE VIEW potential AS
WITH cells AS (
    SELECT e.exporter, d.importer AS market, s.product,
           s.proj_share AS supply, e.ease, d.proj_imports, d.denom,
           d.growth_factor - 1.0 AS demand_growth,
           e.km AS distance_km,
           CASE WHEN d.avlog IS NULL OR e.logkm IS NULL THEN 1.0
                ELSE exp(-abs(d.avlog - e.logkm)) END AS distf
    FROM epi_ease e
    JOIN epi_supply s ON s.exporter = e.exporter
    JOIN epi_demand d ON d.importer = e.importer AND d.product = s.product
), scored AS (
    SELECT c.*, c.proj_imports * c.distf AS demand,
           c.supply * c.ease * c.proj_imports * c.distf / c.denom AS potential,
           coalesce(f.value, 0.0) AS actual
    FROM cells c
    LEFT JOIN epi_flows f
      ON f.exporter = c.exporter AND f.importer = c.market AND f.product = c.product
)
SELECT exporter, market, product, potential, actual,
       CASE WHEN actual < potential THEN actual ELSE potential END / potential
         AS realised_share,
       potential - CASE WHEN actual < potential THEN actual ELSE potential END AS unrealised,
       supply, demand, ease, distf, distance_km, demand_growth, proj_imports
FROM scored
WHERE potential > 0
"""


def _growth_rows(assumptions: Assumptions) -> list[tuple[str, float, float]]:
    countries = (
        assumptions.gdp_growth.keys()
        | assumptions.population_growth.keys()
        | assumptions.elasticity.keys()
    )
    return [(c, assumptions.gdp_factor(c), assumptions.demand_factor(c)) for c in sorted(countries)]


def _build(con, datasets: list[TradeDataset], digits: int, hygiene: Hygiene, assumptions):
    """Computes the pair tables in `con` (flows, supply, demand, ease)."""
    years = [d.year for d in datasets]
    con.read_parquet([str(storage.absolute(d.path)) for d in datasets]).create_view("trade_src")
    con.execute(_YEARLY, [digits])
    con.execute("CREATE TABLE year_weights (year INTEGER, weight DOUBLE)")
    con.executemany("INSERT INTO year_weights VALUES (?, ?)", list(weights(years).items()))
    con.execute(_AVERAGED)
    con.execute(_RETURNED, [int(hygiene.returned_goods), hygiene.returned_ratio])
    con.execute(_REEXPORTERS, [int(hygiene.reexports), hygiene.reexport_ratio])
    ordered = sorted(years)
    exp_n = min(EXPORT_YEARS, len(ordered)) if hygiene.persistence else 0
    imp_n = min(IMPORT_YEARS, len(ordered)) if hygiene.persistence else 0
    con.execute(_KEEP_EXPORTS, [ordered[-exp_n] if exp_n else 0, exp_n])
    con.execute(_KEEP_IMPORTS, [ordered[-imp_n] if imp_n else 0, imp_n])
    con.execute(_FLOWS)
    geodist = _geodist()
    if geodist is not None:
        con.read_parquet(str(geodist)).create_view("geo")
    else:
        con.execute("CREATE VIEW geo AS SELECT '' AS origin, '' AS destination, 0.0 AS dist")
    con.execute(_DIST)
    con.execute("CREATE TABLE growth (country VARCHAR, gdp_factor DOUBLE, demand_factor DOUBLE)")
    rows = _growth_rows(assumptions)
    if rows:
        con.executemany("INSERT INTO growth VALUES (?, ?, ?)", rows)
    con.execute(_SUPPLY)
    con.execute(_AVLOGDIST)
    con.execute(_DEMAND0)
    con.execute(_BILATERAL)
    con.execute(_PAIRS)
    con.execute(_EASE)
    con.execute(_DEMAND)


class _Builder:
    """Computes every part once, the first time the cache asks for one."""

    def __init__(self, datasets, digits, hygiene, assumptions):
        self.args = (datasets, digits, hygiene, assumptions)
        self.con = None

    def part(self, name: str):
        def build(path: Path) -> None:
            if self.con is None:
                self.con = storage.connect()
                _build(self.con, *self.args)
            # COPY takes a literal path; the table name comes from PARTS.
            self.con.execute(f"COPY {name} TO {storage.sql_path(path)} (FORMAT PARQUET)")

        return build

    def close(self) -> None:
        if self.con is not None:
            self.con.close()


def potential_frame(con, *, year, assumptions: Assumptions, level=None, hygiene=None) -> str:
    """Creates (or replaces) in `con` the view of EPI for every exporter × market × product
    of `year`'s five-year window and returns its name. Columns: exporter, market, product,
    potential, actual, realised_share, unrealised, supply, demand, ease, distf, distance_km,
    demand_growth, proj_imports."""
    from guichet.markets import cache

    hygiene = hygiene or Hygiene()
    datasets = window(year)
    digits = _digits(datasets, level)
    key = cache.inputs_key(
        "potential",
        year=datasets[-1].year,
        years=[d.year for d in datasets],
        source=datasets[-1].source,
        digits=digits,
        hygiene=asdict(hygiene),
        assumptions=assumptions.fingerprint(),
    )
    builder = _Builder(datasets, digits, hygiene, assumptions)
    try:
        for part in PARTS:
            # One file set per product level: pages at HS4 and the API at HS6 do not evict
            # each other's tables (the cache keeps one key per name).
            name = f"potential-hs{digits}-{part}"
            path = cache.cached_table(name, key, builder.part(part))
            con.read_parquet(str(path)).create_view(f"epi_{part}", replace=True)
    finally:
        builder.close()
    con.execute(_VIEW)
    return VIEW


_SELECT = """
SELECT exporter, market, product, potential, actual, realised_share, unrealised,
       supply, demand, ease, distance_km, demand_growth
FROM potential p
WHERE exporter = ?
  AND (? = 0 OR EXISTS (SELECT 1 FROM wanted_products w WHERE p.product LIKE w.code || '%'))
  AND (? = 0 OR market IN (SELECT code FROM wanted_markets))
ORDER BY unrealised DESC, potential DESC, market, product
LIMIT ?
"""


_CODE_TABLES = {
    "wanted_products": (
        "CREATE OR REPLACE TEMP TABLE wanted_products (code VARCHAR)",
        "INSERT INTO wanted_products VALUES (?)",
    ),
    "wanted_markets": (
        "CREATE OR REPLACE TEMP TABLE wanted_markets (code VARCHAR)",
        "INSERT INTO wanted_markets VALUES (?)",
    ),
}


def _codes_table(con, name: str, codes: list[str] | None) -> int:
    """Fills the filter table `name`; returns 1 when the filter applies (codes given)."""
    create, insert = _CODE_TABLES[name]
    con.execute(create)
    if codes:
        con.executemany(insert, [(str(c),) for c in codes])
    return 1 if codes is not None else 0


def _row(r) -> PotentialRow:
    return PotentialRow(
        exporter=r[0],
        market=r[1],
        product=r[2],
        potential=r[3],
        actual=r[4],
        realised_share=r[5],
        unrealised=r[6],
        supply=r[7],
        demand=r[8],
        ease=r[9],
        distance_km=r[10],
        demand_growth=r[11],
    )


def export_potential(
    *,
    exporter: str = "FRA",
    year: int | None = None,
    products: list[str] | None = None,
    markets: list[str] | None = None,
    assumptions: Assumptions | None = None,
    level: str | None = None,
    limit: int | None = None,
    hygiene: Hygiene | None = None,
) -> PotentialTable:
    """One exporter's potential per market × product, largest unrealised potential first.
    `products` are HS codes or prefixes (a chapter takes its headings); `markets` ISO alpha-3.
    Raises NoTradeData when no trade year is loaded."""
    assumptions = assumptions or current_assumptions()
    hygiene = hygiene or Hygiene()
    datasets = window(year)
    con = storage.connect()
    try:
        potential_frame(
            con, year=datasets[-1].year, assumptions=assumptions, level=level, hygiene=hygiene
        )
        with_products = _codes_table(con, "wanted_products", products)
        with_markets = _codes_table(con, "wanted_markets", markets)
        found = con.execute(
            _SELECT, [exporter, with_products, with_markets, limit if limit else 2**62]
        ).fetchall()
    finally:
        con.close()
    rows = [_row(r) for r in found]
    return PotentialTable(
        rows=rows,
        basis=basis(datasets, hygiene, assumptions),
        assumptions_source=assumptions.default_source,
    )
