"""World complexity from a loaded trade year: aggregation levels, the small-exporter filter,
the cache and an exporter's RCA rows."""

import numpy as np
import pytest

from guichet.markets import cache, complexity_data, storage
from guichet.markets.complexity import compute
from guichet.markets.complexity_data import NoTradeData, basis_for, rca_rows, world_complexity

EXPORTERS = ["FRA", "DEU", "ITA", "ESP", "USA", "CHN", "JPN", "MLT"]
PRODUCTS = ["010121", "010129", "220421", "220429", "870323", "870324", "300490", "850440"]


def trade_rows(scale=1e6):
    rng = np.random.default_rng(4)
    rows = []
    for i, exporter in enumerate(EXPORTERS):
        for k, product in enumerate(PRODUCTS):
            if (i + k) % 3 == 0 and exporter != "FRA":
                continue
            for importer in ("GBR", "BEL"):
                value = scale * (1 + (i * 7 + k * 3) % 11) * rng.uniform(0.5, 1.5)
                if exporter == "MLT":
                    value /= 1e4  # a tiny exporter
                rows.append((exporter, importer, product, value))
    return rows


def matrix_of(rows, digits):
    exporters = sorted({r[0] for r in rows})
    products = sorted({r[2][:digits] for r in rows})
    values = np.zeros((len(exporters), len(products)))
    for exporter, _importer, product, value in rows:
        values[exporters.index(exporter), products.index(product[:digits])] += value
    return exporters, products, values


def test_no_data_is_a_french_message(db):
    assert complexity_data.latest_trade_year() is None
    with pytest.raises(NoTradeData, match="Aucune année de commerce mondial"):
        world_complexity()


def test_hs4_matches_the_core_on_the_aggregated_matrix(make_trade):
    rows = trade_rows()
    make_trade(rows, year=2022)
    result, basis = world_complexity(level="hs4", small_exporter_filter=False)
    exporters, products, values = matrix_of(rows, 4)
    expected = compute(values, exporters, products)
    assert result.products == ["0101", "2204", "3004", "8504", "8703"]
    assert result.locations == exporters
    np.testing.assert_allclose(result.rca, expected.rca, rtol=1e-12)
    np.testing.assert_allclose(result.eci, expected.eci, atol=1e-9)
    assert basis.source_label == "CEPII BACI 2022"
    assert basis.year == 2022
    assert not basis.is_demo


def test_small_exporter_filter_without_macro_data(make_trade):
    make_trade(trade_rows(scale=1e8), year=2021)
    result, basis = world_complexity(level="hs2")
    assert "MLT" not in result.locations  # exports below USD 1 billion
    assert "FRA" in result.locations
    assert any("pas de données de population" in note for note in basis.notes)
    # Below two passing exporters the filter is not applied, and the notes say so.
    make_trade(trade_rows(scale=1), year=2021)
    result, basis = world_complexity(year=2021, level="hs2")
    assert "MLT" in result.locations
    assert any("non appliqué" in note for note in basis.notes)


def test_sections_and_exporter_subset(make_trade):
    make_trade(trade_rows(), year=2022)
    result, _ = world_complexity(level="section", small_exporter_filter=False)
    # 01 → I, 22 → IV, 30 → VI, 85 → XVI, 87 → XVII
    assert sorted(result.products) == sorted(["I", "IV", "VI", "XVI", "XVII"])
    result, _ = world_complexity(
        level="hs6", exporters={"fra", "DEU", "ITA", "USA"}, small_exporter_filter=False
    )
    assert result.locations == ["DEU", "FRA", "ITA", "USA"]
    assert len(result.products) == 8


def test_results_are_cached_and_recomputed_when_data_change(make_trade):
    make_trade(trade_rows(), year=2022)
    first, _ = world_complexity(level="hs4", small_exporter_filter=False)
    files = list((storage.markets_dir() / "cache").glob("complexity-hs4-*.parquet"))
    assert len(files) == 1
    again, _ = world_complexity(level="hs4", small_exporter_filter=False)  # read back
    np.testing.assert_array_equal(again.rca, first.rca)
    np.testing.assert_array_equal(again.pci, first.pci)
    np.testing.assert_array_equal(again.density, first.density)
    assert again.products == first.products
    make_trade(trade_rows(scale=2e6)[:-20], year=2022)  # reloaded: new checksum
    changed, _ = world_complexity(level="hs4", small_exporter_filter=False)
    assert not np.array_equal(changed.values, first.values)
    files = list((storage.markets_dir() / "cache").glob("complexity-hs4-*.parquet"))
    assert len(files) == 1  # the stale file is gone


def test_cached_table_builds_once(db):
    calls = []

    def build(path):
        calls.append(path)
        path.write_bytes(b"x")

    key = cache.inputs_key("demo", a=1)
    assert key == cache.inputs_key("demo", a=1)
    assert key != cache.inputs_key("demo", a=2)
    first = cache.cached_table("demo", key, build)
    second = cache.cached_table("demo", key, build)
    assert first == second
    assert first.read_bytes() == b"x"
    assert len(calls) == 1


def test_rca_rows_of_france(make_trade):
    make_trade(trade_rows(), year=2022, source="demo", demo=True)
    rows, basis = rca_rows(exporter="fra", level="hs4")
    assert basis.is_demo
    assert "démonstration" in basis.source_label
    assert [row["product"] for row in rows] == sorted(
        (row["product"] for row in rows),
        key=lambda code: -next(r["rca"] for r in rows if r["product"] == code),
    )
    wines = next(row for row in rows if row["product"] == "2204")
    assert set(wines) == {"product", "label", "value", "rca", "mcp", "density", "cog", "pci"}
    assert wines["mcp"] == int(wines["rca"] >= 1)
    assert "wine" in wines["label"].lower()
    assert basis_for(2022).year == 2022
    assert rca_rows(exporter="XXX", level="hs4")[0] == []


def test_small_exporter_filter_with_population(make_trade):
    from guichet.markets.models import DatasetKind, TradeDataset

    make_trade(trade_rows(scale=1e8), year=2021)
    path = storage.macro_path()
    con = storage.connect()
    con.execute("CREATE TABLE m (country VARCHAR, year INTEGER, gdp DOUBLE, population DOUBLE)")
    populations = {"FRA": 68e6, "DEU": 84e6, "ITA": 59e6, "ESP": 48e6, "USA": 335e6}
    # CHN's 2021 figure is missing: its 2019 one counts; JPN is below 1 million in 2020
    # (made up for the test) but not in 2022, after the trade year.
    rows = [(code, 2021, 1e12, value) for code, value in populations.items()]
    rows += [("CHN", 2019, 1e13, 1.4e9), ("JPN", 2020, 1e12, 0.9e6), ("JPN", 2022, 1e12, 125e6)]
    con.executemany("INSERT INTO m VALUES (?, ?, ?, ?)", rows)
    con.execute(f"COPY m TO {storage.sql_path(path)} (FORMAT PARQUET)")
    con.close()
    TradeDataset.objects.create(
        kind=DatasetKind.MACRO, source="macro", year=0, path=storage.relative(path), checksum="m"
    )
    result, basis = world_complexity(level="hs2")
    assert result.locations == ["CHN", "DEU", "ESP", "FRA", "ITA", "USA"]
    assert any("population d'au moins 1 million" in note for note in basis.notes)
