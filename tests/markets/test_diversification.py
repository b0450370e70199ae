"""Diversification potential: the supply term replaced by the product-space density for the
products an exporter does not export competitively yet."""

import random

import pytest

from guichet.markets import complexity_data, storage
from guichet.markets.assumptions import no_growth
from guichet.markets.diversification import diversification_frame, diversification_potential
from guichet.markets.potential import Hygiene

OFF = Hygiene(reexports=False, returned_goods=False, persistence=False)


def test_diversification_density_replaces_supply_for_products_not_yet_competitive(make_trade):
    rng = random.Random(9)
    countries = ["FRA"] + [f"C{n:02d}" for n in range(9)]
    products = [f"{n:02d}{n:02d}" for n in range(1, 13)]
    flows = [
        (i, j, k, rng.uniform(1, 1000) * (5 if (i, k) in {("FRA", "0101")} else 1))
        for i in countries
        for j in countries
        for k in products
        if i != j and rng.random() < 0.5
    ]
    make_trade(flows, level="hs4")
    table = diversification_potential(
        exporter="FRA", year=2022, limit=None, assumptions=no_growth(), hygiene=OFF
    )
    result, _ = complexity_data.world_complexity(
        year=2022, level="hs4", small_exporter_filter=False
    )
    fra = result.locations.index("FRA")
    competitive = {p for p, m in zip(result.products, result.mcp[fra], strict=True) if m}
    assert competitive  # the case has some, and they are left out
    assert table.rows
    assert {r.product for r in table.rows}.isdisjoint(competitive)
    # Supply = FRA's share of the product's summed densities.
    k = table.rows[0].product
    col = result.products.index(k)
    share = result.density[fra, col] / result.density[:, col].sum()
    assert table.rows[0].supply == pytest.approx(share)
    assert any("densité" in n for n in table.basis.notes)
    # Scaled like the export potential: Σ_i over exporters = projected imports.
    con = storage.connect()
    diversification_frame(con, year=2022, assumptions=no_growth(), level="hs4", hygiene=OFF)
    sums = con.execute(
        "SELECT market, product, sum(potential), max(proj_imports) FROM diversification "
        "GROUP BY market, product"
    ).fetchall()
    con.close()
    assert len(sums) > 20
    for _, _, total, projected in sums:
        assert total == pytest.approx(projected, rel=1e-9)
