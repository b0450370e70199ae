"""Complexity measures (MARKETS.md §1): a hand-checkable case, then the reference package
`ecomplexity` on the same inputs (generated shapes and the real files of ../shared/data)."""

import contextlib
import io
import warnings

import duckdb
import numpy as np
import pandas as pd
import pytest
from scipy.stats import spearmanr

from guichet.markets.complexity import compute, proximity_matrix
from tests.markets.conftest import shared_data


def reference(long: pd.DataFrame) -> pd.DataFrame:
    """The reference package on a long table (time, loc, prod, val), its warnings and prints
    silenced; the log-supermodularity diagnostic (not a measure) is skipped."""
    from ecomplexity import ecomplexity

    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        return ecomplexity(
            long,
            {"time": "time", "loc": "loc", "prod": "prod", "val": "val"},
            check_logsupermodularity=False,
        )


def long_table(values, locations, products, time=2020) -> pd.DataFrame:
    rows, cols = np.nonzero(values > 0)
    return pd.DataFrame(
        {
            "time": time,
            "loc": np.asarray(locations)[rows],
            "prod": np.asarray(products)[cols],
            "val": values[rows, cols],
        }
    )


def assert_same_as_reference(result, out: pd.DataFrame) -> None:
    out = out.dropna(subset=["rca"])
    locations = sorted(out["loc"].unique())
    products = sorted(out["prod"].unique())
    assert sorted(result.locations) == locations
    assert sorted(result.products) == products
    li = [result.locations.index(code) for code in locations]
    pi = [result.products.index(code) for code in products]
    ours = {name: getattr(result, name)[np.ix_(li, pi)] for name in ("rca", "mcp", "density")}
    grid = out.set_index(["loc", "prod"]).reindex(pd.MultiIndex.from_product([locations, products]))
    shape = (len(locations), len(products))
    ref_rca = grid["rca"].fillna(0).to_numpy().reshape(shape)
    np.testing.assert_allclose(ours["rca"], ref_rca, rtol=1e-12, atol=0)
    np.testing.assert_array_equal(ours["mcp"], grid["mcp"].fillna(0).to_numpy().reshape(shape))
    np.testing.assert_allclose(
        ours["density"], grid["density"].to_numpy().reshape(shape), rtol=1e-5, atol=1e-6
    )
    ref_div = out.groupby("loc")["diversity"].first().reindex(locations).to_numpy()
    ref_ubi = out.groupby("prod")["ubiquity"].first().reindex(products).to_numpy()
    np.testing.assert_array_equal(result.diversity[li], ref_div)
    np.testing.assert_array_equal(result.ubiquity[pi], ref_ubi)
    ref_eci = out.groupby("loc")["eci"].first().reindex(locations).to_numpy()
    ref_pci = out.groupby("prod")["pci"].first().reindex(products).to_numpy()
    assert spearmanr(result.eci[li], ref_eci).statistic >= 0.999
    assert spearmanr(result.pci[pi], ref_pci).statistic >= 0.999
    # Same eigenvector, same sign and same rescaling: equal values, not only ranks.
    np.testing.assert_allclose(result.eci[li], ref_eci, atol=1e-6)
    np.testing.assert_allclose(result.pci[pi], ref_pci, atol=1e-6)


def generated(n_loc, n_prod, *, density=0.5, seed=3):
    rng = np.random.default_rng(seed)
    size = rng.lognormal(0, 2, n_loc)[:, None] * rng.lognormal(0, 1.5, n_prod)[None, :]
    values = size * rng.lognormal(0, 1.5, (n_loc, n_prod)) * (rng.random((n_loc, n_prod)) < density)
    locations = [f"L{i:03d}" for i in range(n_loc)]
    products = [f"{k:06d}" for k in range(n_prod)]
    return values, locations, products


def test_hand_checkable_three_countries():
    # World totals: product 1: 10, product 2: 10, product 3: 20; world 40, so the world
    # shares are 0.25, 0.25, 0.5. A's shares 0.6, 0.2, 0.2 → RCA 2.4, 0.8, 0.4;
    # B's 0.2, 0.6, 0.2 → 0.8, 2.4, 0.4; C (total 20) 0.1, 0.1, 0.8 → 0.4, 0.4, 1.6.
    values = np.array([[6.0, 2, 2], [2, 6, 2], [2, 2, 16]])
    result = compute(values, ["AAA", "BBB", "CCC"], ["01", "02", "03"])
    np.testing.assert_allclose(
        result.rca, [[2.4, 0.8, 0.4], [0.8, 2.4, 0.4], [0.4, 0.4, 1.6]], rtol=1e-12
    )
    np.testing.assert_array_equal(result.mcp, np.eye(3))
    np.testing.assert_array_equal(result.diversity, [1, 1, 1])
    np.testing.assert_array_equal(result.ubiquity, [1, 1, 1])
    # No two products share an exporter: φ is the identity, so density is M itself and the
    # only term of COG_ik is the product itself: (1 − M_ik) PCI_k.
    np.testing.assert_allclose(result.density, np.eye(3))
    np.testing.assert_allclose(result.cog, (1 - np.eye(3)) * result.pci[None, :], rtol=1e-6)
    assert result.proximity is None


def test_proximity_by_hand():
    # u = (3, 2, 2); products 1 and 2 share 2 exporters: 2 / max(3, 2) = 2/3; 1 and 3
    # share 2: 2/3; 2 and 3 share 1 (the third): 1 / 2.
    m = np.array([[1, 1, 0], [1, 0, 1], [1, 1, 1]], dtype=bool)
    phi = proximity_matrix(m, m.sum(axis=0))
    np.testing.assert_allclose(
        phi, [[1, 2 / 3, 2 / 3], [2 / 3, 1, 1 / 2], [2 / 3, 1 / 2, 1]], rtol=1e-6
    )


def test_density_and_cog_follow_the_definitions():
    values, locations, products = generated(12, 30, seed=5)
    result = compute(values, locations, products, keep_proximity=True)
    phi = result.proximity.astype(np.float64)
    m = result.mcp.astype(np.float64)
    density = (m @ phi) / phi.sum(axis=0)
    np.testing.assert_allclose(result.density, density, rtol=1e-5)
    cog = (1 - m) * ((1 - m) @ (phi * (result.pci / phi.sum(axis=1))[:, None]))
    np.testing.assert_allclose(result.cog, cog, rtol=1e-4, atol=1e-6)
    # ECI standardised (population standard deviation), positively related to diversity.
    assert abs(result.eci.mean()) < 1e-9
    assert abs(result.eci.std() - 1) < 1e-9
    assert np.corrcoef(result.eci, result.diversity)[0, 1] > 0


def test_zero_rows_and_columns_are_dropped_and_said():
    values, locations, products = generated(8, 10, seed=2)
    values[3] = 0
    values[:, 7] = 0
    result = compute(values, locations, products)
    assert "L003" not in result.locations
    assert "000007" not in result.products
    assert result.rca.shape == (7, 9)
    assert any("L003" in note for note in result.notes)
    assert any("1 produit(s)" in note for note in result.notes)


def test_bad_values_are_refused():
    with pytest.raises(ValueError, match="non-negative"):
        compute(np.array([[1.0, -1]]), ["A"], ["1", "2"])
    with pytest.raises(ValueError, match="matrix"):
        compute(np.ones((2, 2)), ["A"], ["1", "2"])


@pytest.mark.parametrize(
    ("n_loc", "n_prod", "density", "seed"),
    [(15, 40, 0.6, 1), (60, 400, 0.4, 2), (120, 90, 0.8, 3), (9, 300, 0.25, 4)],
)
def test_same_as_reference_on_generated_data(n_loc, n_prod, density, seed):
    values, locations, products = generated(n_loc, n_prod, density=density, seed=seed)
    values[2] = 0  # a location with nothing: dropped by both
    result = compute(values, locations, products)
    assert_same_as_reference(result, reference(long_table(values, locations, products)))


def test_same_as_reference_on_oec_sections():
    path = shared_data("trade/oec_baci92_exports_country_section_2019_2021.csv")
    con = duckdb.connect()
    long = con.execute(
        'SELECT 2021 AS time, "Country ID" AS loc, CAST("Section ID" AS VARCHAR) AS prod, '
        'sum(CAST("Trade Value" AS DOUBLE)) AS val FROM read_csv(?, header = true) '
        "GROUP BY 2, 3",
        [str(path)],
    ).df()
    locations = sorted(long["loc"].unique())
    products = sorted(long["prod"].unique())
    matrix = long.pivot_table(index="loc", columns="prod", values="val", fill_value=0)
    matrix = matrix.reindex(index=locations, columns=products, fill_value=0).to_numpy()
    result = compute(matrix, locations, products)
    assert_same_as_reference(result, reference(long))


def test_same_as_reference_on_comtrade_hs4_two_years():
    path = shared_data("trade/zerotradeflow_comtrade_bilateral_hs4_23ctry_1989_1990.csv")
    con = duckdb.connect()
    long = con.execute(
        "SELECT ano AS time, ido AS loc, HS4 AS prod, sum(comercio) AS val "
        "FROM read_csv(?, header = true, quote = '\"', types = {'HS4': 'VARCHAR'}) "
        # Chapters 01–29 (≈ 300 headings) keep the reference's P × P eigenproblem short.
        "WHERE comercio > 0 AND HS4 < '30' GROUP BY 1, 2, 3",
        [str(path)],
    ).df()
    assert long["prod"].str.len().eq(4).all()  # leading zeros kept ("0101")
    out = reference(long)
    for year in (1989, 1990):
        part = long[long.time == year]
        locations = sorted(part["loc"].unique())
        products = sorted(part["prod"].unique())
        matrix = part.pivot_table(index="loc", columns="prod", values="val", fill_value=0)
        matrix = matrix.reindex(index=locations, columns=products, fill_value=0).to_numpy()
        result = compute(matrix, locations, products)
        assert_same_as_reference(result, out[out.time == year])


def test_proximity_blocks_agree_with_the_direct_formula(monkeypatch):
    from guichet.markets import complexity

    monkeypatch.setattr(complexity, "BLOCK", 7)  # many blocks, the last one short
    rng = np.random.default_rng(8)
    m = rng.random((30, 50)) < 0.4
    m[:, 3] = False  # a product nobody has: φ row of zeros
    u = m.sum(axis=0)
    co = m.T.astype(float) @ m.astype(float)
    expected = np.divide(
        co, np.maximum(u[:, None], u[None, :]), out=np.zeros_like(co), where=co > 0
    )
    np.testing.assert_allclose(proximity_matrix(m, u), expected, rtol=1e-6)
