"""Diversification potential (MARKETS.md §2, last paragraph): the export potential of the
products an exporter does not export competitively yet (RCA < 1), with the supply term
replaced by a density-based one taken from the product space. Built on the potential's cached
tables (potential.py) and the world complexity (complexity_data.py)."""

from __future__ import annotations

from dataclasses import replace

from guichet.markets import complexity_data, storage
from guichet.markets.assumptions import Assumptions, current_assumptions
from guichet.markets.potential import (
    Hygiene,
    _growth_rows,
    _row,
    basis,
    potential_frame,
    window,
)
from guichet.markets.results import PotentialTable

_DIV_SUPPLY = """
CREATE OR REPLACE TABLE div_supply AS
WITH d AS (
    SELECT s.exporter, s.product, s.mcp, s.density * coalesce(g.gdp_factor, 1.0) AS weight
    FROM density_src s LEFT JOIN div_growth g ON g.country = s.exporter
    WHERE s.density > 0
)
SELECT exporter, product, mcp, weight / sum(weight) OVER (PARTITION BY product) AS supply
FROM d
"""

_DIV_VIEW = """
CREATE OR REPLACE VIEW diversification AS
WITH cells AS (
    SELECT e.exporter, d.importer AS market, s.product, s.mcp, s.supply, e.ease,
           d.proj_imports, d.growth_factor - 1.0 AS demand_growth, e.km AS distance_km,
           CASE WHEN d.avlog IS NULL OR e.logkm IS NULL THEN 1.0
                ELSE exp(-abs(d.avlog - e.logkm)) END AS distf
    FROM epi_ease e
    JOIN div_supply s ON s.exporter = e.exporter
    JOIN epi_demand d ON d.importer = e.importer AND d.product = s.product
), weighted AS (
    SELECT c.*, c.supply * c.ease * c.distf AS w,
           sum(c.supply * c.ease * c.distf) OVER (PARTITION BY c.market, c.product) AS denom
    FROM cells c
), scored AS (
    SELECT w.*, w.proj_imports * w.distf AS demand, w.proj_imports * w.w / w.denom AS potential,
           coalesce(f.value, 0.0) AS actual
    FROM weighted w
    LEFT JOIN epi_flows f
      ON f.exporter = w.exporter AND f.importer = w.market AND f.product = w.product
    WHERE w.denom > 0
)
SELECT exporter, market, product, mcp, potential, actual,
       CASE WHEN actual < potential THEN actual ELSE potential END / potential
         AS realised_share,
       potential - CASE WHEN actual < potential THEN actual ELSE potential END AS unrealised,
       supply, demand, ease, distance_km, demand_growth, proj_imports
FROM scored
WHERE potential > 0
"""

_DIV_SELECT = """
SELECT exporter, market, product, potential, actual, realised_share, unrealised,
       supply, demand, ease, distance_km, demand_growth
FROM diversification
WHERE exporter = ? AND mcp = 0
ORDER BY unrealised DESC, potential DESC, market, product
LIMIT ?
"""


def diversification_frame(con, *, year, assumptions: Assumptions, level="hs4", hygiene=None):
    """Creates in `con` the view `diversification`: for every exporter × market × product,
    the potential with the supply term replaced by a density-based one (MARKETS.md §2):
    DivSupply_ik = density_ik ΔGDP_i / Σ_i density_ik ΔGDP_i, then × Ease_ij × Demand_ijk,
    scaled so that Σ_i over the exporters with a density equals ProjM_jk. Columns as
    `potential` plus `mcp` (1 when i already exports k competitively). Returns the
    complexity's basis notes."""
    import pyarrow as pa

    potential_frame(con, year=year, assumptions=assumptions, level=level, hygiene=hygiene)
    result, cbasis = complexity_data.world_complexity(
        year=year, level=level, small_exporter_filter=False
    )
    locations = len(result.locations)
    exporters = [code for code in result.locations for _ in result.products]
    products = list(result.products) * locations
    table = pa.table(
        {
            "exporter": exporters,
            "product": products,
            "density": result.density.reshape(-1),
            "mcp": result.mcp.reshape(-1).astype("int8"),
        }
    )
    con.register("density_src", table)
    con.execute(
        "CREATE OR REPLACE TABLE div_growth (country VARCHAR, gdp_factor DOUBLE, "
        "demand_factor DOUBLE)"
    )
    rows = _growth_rows(assumptions)
    if rows:
        con.executemany("INSERT INTO div_growth VALUES (?, ?, ?)", rows)
    con.execute(_DIV_SUPPLY)
    con.execute(_DIV_VIEW)
    return cbasis.notes


def diversification_potential(
    *,
    exporter: str = "FRA",
    year: int | None = None,
    limit: int | None = 50,
    level: str = "hs4",
    assumptions: Assumptions | None = None,
    hygiene: Hygiene | None = None,
) -> PotentialTable:
    """Market × product potential in products `exporter` does not export competitively
    (RCA < 1), largest unrealised first; `supply` is the density-based term."""
    assumptions = assumptions or current_assumptions()
    hygiene = hygiene or Hygiene()
    datasets = window(year)
    con = storage.connect()
    try:
        notes = diversification_frame(
            con, year=datasets[-1].year, assumptions=assumptions, level=level, hygiene=hygiene
        )
        found = con.execute(_DIV_SELECT, [exporter, limit if limit else 2**62]).fetchall()
    finally:
        con.close()
    base = basis(datasets, hygiene, assumptions)
    extra = [
        "Diversification : produits que l'exportateur n'exporte pas encore avec un avantage "
        "comparatif (ACR < 1) ; l'offre est remplacée par sa densité dans l'espace produit "
        f"(part de densité, {datasets[-1].year})."
    ]
    return PotentialTable(
        rows=[_row(r) for r in found],
        basis=replace(base, notes=base.notes + extra + list(notes)),
        assumptions_source=assumptions.default_source,
    )
