"""Export potential (MARKETS.md §2) on cases small enough to check by hand, then the rules
(weights, hygiene, scaling, projections, cache, no data) each on its own small case."""

from __future__ import annotations

import hashlib
import math
import random
from decimal import Decimal

import pytest

from guichet.markets import storage
from guichet.markets.assumptions import Assumptions, no_growth
from guichet.markets.models import DatasetKind, MarketAssumption, TradeDataset
from guichet.markets.potential import (
    Hygiene,
    NoTradeData,
    export_potential,
    potential_frame,
    weights,
)

WINE, CARS = "220421", "870323"
OFF = Hygiene(reexports=False, returned_goods=False, persistence=False)


def write_geodist(pairs: dict[tuple[str, str], float], *, both_ways=True):
    """geodist.parquet as load_geodist writes it, with its TradeDataset."""
    path = storage.geodist_path()
    rows = []
    for (a, b), km in pairs.items():
        rows.append((a, b, km))
        if both_ways:
            rows.append((b, a, km))
    con = storage.connect()
    con.execute(
        "CREATE TABLE g (origin VARCHAR, destination VARCHAR, dist DOUBLE, distw DOUBLE, "
        "contig INTEGER, comlang_off INTEGER, colony INTEGER)"
    )
    con.executemany("INSERT INTO g VALUES (?, ?, ?, NULL, 0, 0, 0)", rows)
    con.execute(f"COPY g TO {storage.sql_path(path)} (FORMAT PARQUET)")
    con.close()
    TradeDataset.objects.update_or_create(
        kind=DatasetKind.GEODIST,
        source="geodist",
        year=0,
        defaults={
            "path": storage.relative(path),
            "checksum": hashlib.sha256(path.read_bytes()).hexdigest(),
            "rows": len(rows),
        },
    )


def write_macro(rows):
    """macro.parquet: (country, year, gdp, population) rows, with its TradeDataset."""
    path = storage.macro_path()
    con = storage.connect()
    con.execute("CREATE TABLE m (country VARCHAR, year INTEGER, gdp DOUBLE, population DOUBLE)")
    con.executemany("INSERT INTO m VALUES (?, ?, ?, ?)", rows)
    con.execute(f"COPY m TO {storage.sql_path(path)} (FORMAT PARQUET)")
    con.close()
    TradeDataset.objects.update_or_create(
        kind=DatasetKind.MACRO,
        source="macro",
        year=0,
        defaults={
            "path": storage.relative(path),
            "original_name": "macro.csv",
            "checksum": hashlib.sha256(path.read_bytes()).hexdigest(),
            "rows": len(rows),
        },
    )


def cells(table):
    return {(r.exporter, r.market, r.product): r for r in table.rows}


def all_rows(year=2022, *, assumptions=None, hygiene=OFF, level=None):
    """Every exporter's rows (the view itself, through potential_frame)."""
    con = storage.connect()
    name = potential_frame(
        con, year=year, assumptions=assumptions or no_growth(), level=level, hygiene=hygiene
    )
    assert name == "potential"
    rows = con.execute(
        "SELECT exporter, market, product, potential, actual, proj_imports FROM potential"
    ).fetchall()
    con.close()
    return rows


# --- The hand-checkable case: 3 exporters, 3 markets, 2 products, one year ------------------

# Flows (USD). Wine 220421: FRA→USA 100, DEU→USA 100, FRA→CHN 60, ITA→CHN 60, DEU→JPN 80.
# Cars 870323: DEU→USA 150, ITA→USA 50, FRA→CHN 100, DEU→CHN 100, FRA→JPN 50, ITA→JPN 50.
HAND_FLOWS = [
    ("FRA", "USA", WINE, 100),
    ("DEU", "USA", WINE, 100),
    ("FRA", "CHN", WINE, 60),
    ("ITA", "CHN", WINE, 60),
    ("DEU", "JPN", WINE, 80),
    ("DEU", "USA", CARS, 150),
    ("ITA", "USA", CARS, 50),
    ("FRA", "CHN", CARS, 100),
    ("DEU", "CHN", CARS, 100),
    ("FRA", "JPN", CARS, 50),
    ("ITA", "JPN", CARS, 50),
]
# Distances (km), both directions; ITA–USA has none (factor 1, distance NULL).
HAND_DIST = {
    ("FRA", "USA"): 1000,
    ("DEU", "USA"): 4000,
    ("FRA", "CHN"): 4000,
    ("DEU", "CHN"): 1000,
    ("ITA", "CHN"): 1000,
    ("FRA", "JPN"): 1000,
    ("DEU", "JPN"): 1000,
    ("ITA", "JPN"): 4000,
}

# Supply (no growth: ProjMS = MS = v_ik / v_k).
#   wine: FRA 160, DEU 180, ITA 60 of 400 → 0.40, 0.45, 0.15
#   cars: FRA 150, DEU 250, ITA 100 of 500 → 0.30, 0.50, 0.20
SUPPLY = {
    ("FRA", WINE): 0.40,
    ("DEU", WINE): 0.45,
    ("ITA", WINE): 0.15,
    ("FRA", CARS): 0.30,
    ("DEU", CARS): 0.50,
    ("ITA", CARS): 0.20,
}
# Imports v_jk (= ProjM_jk without growth): USA wine 200, cars 200; CHN wine 120, cars 200;
# JPN wine 80, cars 100.
IMPORTS = {
    ("USA", WINE): 200,
    ("USA", CARS): 200,
    ("CHN", WINE): 120,
    ("CHN", CARS): 200,
    ("JPN", WINE): 80,
    ("JPN", CARS): 100,
}
# avLogDist_jk, import-weighted over suppliers with a distance:
#   USA wine: FRA 100 at 1000, DEU 100 at 4000 → (ln 1000 + ln 4000)/2 = ln 2000
#   USA cars: DEU 150 at 4000 (ITA 50 has no distance) → ln 4000
#   CHN wine: FRA 60 at 4000, ITA 60 at 1000 → ln 2000
#   CHN cars: FRA 100 at 4000, DEU 100 at 1000 → ln 2000
#   JPN wine: DEU 80 at 1000 → ln 1000
#   JPN cars: FRA 50 at 1000, ITA 50 at 4000 → ln 2000
# DistF = exp(−|avLogDist − ln d|): |ln 2000 − ln 1000| = |ln 2000 − ln 4000| = ln 2 → 1/2;
# |ln 4000 − ln 1000| = ln 4 → 1/4; equal → 1; no distance (ITA–USA) → 1.
DISTF = {
    ("FRA", "USA", WINE): 0.5,
    ("DEU", "USA", WINE): 0.5,
    ("ITA", "USA", WINE): 1.0,
    ("FRA", "USA", CARS): 0.25,
    ("DEU", "USA", CARS): 1.0,
    ("ITA", "USA", CARS): 1.0,
    ("FRA", "CHN", WINE): 0.5,
    ("DEU", "CHN", WINE): 0.5,
    ("ITA", "CHN", WINE): 0.5,
    ("FRA", "CHN", CARS): 0.5,
    ("DEU", "CHN", CARS): 0.5,
    ("ITA", "CHN", CARS): 0.5,
    ("FRA", "JPN", WINE): 1.0,  # 1000 km = JPN's average
    ("DEU", "JPN", WINE): 1.0,
    ("ITA", "JPN", WINE): 0.25,  # 4000 km vs 1000
    ("FRA", "JPN", CARS): 0.5,
    ("DEU", "JPN", CARS): 0.5,
    ("ITA", "JPN", CARS): 0.5,
}
# Ease_ij = v_ij / Σ_k MS_ik × v_jk × DistF_ijk:
#   FRA–USA: 100 / (0.40×200×0.5 + 0.30×200×0.25 = 40 + 15 = 55)  = 20/11
#   FRA–CHN: 160 / (0.40×120×0.5 + 0.30×200×0.5  = 24 + 30 = 54)  = 80/27
#   FRA–JPN:  50 / (0.40×80×1    + 0.30×100×0.5  = 32 + 15 = 47)  = 50/47
#   DEU–USA: 250 / (0.45×200×0.5 + 0.50×200×1    = 45 + 100 = 145) = 50/29
#   DEU–CHN: 100 / (0.45×120×0.5 + 0.50×200×0.5  = 27 + 50 = 77)  = 100/77
#   DEU–JPN:  80 / (0.45×80×1    + 0.50×100×0.5  = 36 + 25 = 61)  = 80/61
#   ITA–USA:  50 / (0.15×200×1   + 0.20×200×1    = 30 + 40 = 70)  = 5/7
#   ITA–CHN:  60 / (0.15×120×0.5 + 0.20×200×0.5  = 9 + 20 = 29)   = 60/29
#   ITA–JPN:  50 / (0.15×80×0.25 + 0.20×100×0.5  = 3 + 10 = 13)   = 50/13
EASE = {
    ("FRA", "USA"): 20 / 11,
    ("FRA", "CHN"): 80 / 27,
    ("FRA", "JPN"): 50 / 47,
    ("DEU", "USA"): 50 / 29,
    ("DEU", "CHN"): 100 / 77,
    ("DEU", "JPN"): 80 / 61,
    ("ITA", "USA"): 5 / 7,
    ("ITA", "CHN"): 60 / 29,
    ("ITA", "JPN"): 50 / 13,
}
# EPI_ijk = v_jk × w_ijk / Σ_i w_ijk with w_ijk = Supply_ik × Ease_ij × DistF_ijk (the scaling
# to Σ_i EPI_ijk = ProjM_jk cancels v_jk and the common factors). For USA, wine:
#   w_FRA = 0.40 × 20/11 × 0.5 = 4/11      = 0.363636
#   w_DEU = 0.45 × 50/29 × 0.5 = 11.25/29  = 0.387931
#   w_ITA = 0.15 × 5/7 × 1     = 0.75/7    = 0.107143;  Σ = 0.858710
#   EPI_FRA = 200 × 0.363636 / 0.858710 = 84.6936; EPI_DEU = 90.3520; EPI_ITA = 24.9544
#   FRA sells 100 ≥ 84.69: realised 1, unrealised 0; ITA sells 0: realised 0, unrealised 24.95.
# USA, cars: w = 0.30×20/11×0.25 = 0.136364, 0.50×50/29×1 = 0.862069, 0.20×5/7×1 = 0.142857;
#   Σ = 1.141290 → EPI 23.8964, 151.0693 (DEU sells 150: realised 150/151.0693 = 0.992922,
#   unrealised 1.0693), 25.0343.
# CHN, wine: w = 0.40×80/27×0.5 = 0.592593, 0.45×100/77×0.5 = 0.292208, 0.15×60/29×0.5
#   = 0.155172; Σ = 1.039973 → EPI 68.3779 (FRA sells 60: realised 60/68.3779 = 0.877477,
#   unrealised 8.3779), 33.7172, 17.9050.
# CHN, cars: w = 0.30×80/27×0.5 = 0.444444, 0.50×100/77×0.5 = 0.324675, 0.20×60/29×0.5
#   = 0.206897; Σ = 0.976016 → EPI 91.0732, 66.5307, 42.3961.
# JPN, wine: w = 0.40×50/47×1 = 0.425532, 0.45×80/61×1 = 0.590164, 0.15×50/13×0.25 = 0.144231;
#   Σ = 1.159927 → EPI 29.3489, 40.7035, 9.9476.
# JPN, cars: w = 0.30×50/47×0.5 = 0.159574, 0.50×80/61×0.5 = 0.327869, 0.20×50/13×0.5
#   = 0.384615; Σ = 0.872059 → EPI 18.2986, 37.5971, 44.1043.
EPI = {
    ("FRA", "USA", WINE): 84.69361147,
    ("DEU", "USA", WINE): 90.35202086,
    ("ITA", "USA", WINE): 24.95436767,
    ("FRA", "USA", CARS): 23.89640965,
    ("DEU", "USA", CARS): 151.06925643,
    ("ITA", "USA", CARS): 25.03433392,
    ("FRA", "CHN", WINE): 68.37785681,
    ("DEU", "CHN", WINE): 33.71716560,
    ("ITA", "CHN", WINE): 17.90497759,
    ("FRA", "CHN", CARS): 91.07315830,
    ("DEU", "CHN", CARS): 66.53071629,
    ("ITA", "CHN", CARS): 42.39612541,
    ("FRA", "JPN", WINE): 29.34888522,
    ("DEU", "JPN", WINE): 40.70353590,
    ("ITA", "JPN", WINE): 9.94757888,
    ("FRA", "JPN", CARS): 18.29859242,
    ("DEU", "JPN", CARS): 37.59710791,
    ("ITA", "JPN", CARS): 44.10429967,
}


@pytest.fixture
def hand_case(make_trade):
    make_trade(HAND_FLOWS, year=2022)
    write_geodist(HAND_DIST)


def test_hand_case_every_figure(hand_case):
    actual = {(e, m, p): v for e, m, p, v in HAND_FLOWS}
    found = {}
    for exporter in ("FRA", "DEU", "ITA"):
        table = export_potential(exporter=exporter, year=2022, assumptions=no_growth(), hygiene=OFF)
        found.update(cells(table))
    assert set(found) == set(EPI)
    for (i, j, k), epi in EPI.items():
        row = found[i, j, k]
        v = actual.get((i, j, k), 0)
        assert row.supply == pytest.approx(SUPPLY[i, k])
        assert row.demand == pytest.approx(IMPORTS[j, k] * DISTF[i, j, k])
        assert row.ease == pytest.approx(EASE[i, j])
        assert row.potential == pytest.approx(epi)
        assert row.actual == pytest.approx(v)
        assert row.realised_share == pytest.approx(min(v, epi) / epi)
        assert row.unrealised == pytest.approx(epi - min(v, epi))
        assert row.demand_growth == 0
        expected_km = HAND_DIST.get((i, j))
        assert row.distance_km == (pytest.approx(expected_km) if expected_km else None)
    # The spelled-out cells, once more with their rounded figures.
    assert found["FRA", "CHN", WINE].realised_share == pytest.approx(0.877477, abs=1e-6)
    assert found["FRA", "CHN", WINE].unrealised == pytest.approx(8.3779, abs=1e-4)
    assert found["DEU", "USA", CARS].realised_share == pytest.approx(0.992922, abs=1e-6)
    assert found["ITA", "USA", WINE].unrealised == pytest.approx(24.9544, abs=1e-4)


def test_hand_case_ranked_and_filtered(hand_case):
    table = export_potential(exporter="FRA", year=2022, assumptions=no_growth(), hygiene=OFF)
    # Largest unrealised first: JPN wine 29.35, USA cars 23.90, CHN wine 8.38, then zeros.
    assert [(r.market, r.product) for r in table.rows[:3]] == [
        ("JPN", WINE),
        ("USA", CARS),
        ("CHN", WINE),
    ]
    only = export_potential(
        exporter="FRA",
        year=2022,
        products=["2204"],
        markets=["USA", "JPN"],
        assumptions=no_growth(),
        hygiene=OFF,
    )
    assert [(r.market, r.product) for r in only.rows] == [("JPN", WINE), ("USA", WINE)]
    assert only.basis.year == 2022
    assert only.basis.years_used == [2022]
    assert any("tarifaire" in note for note in only.basis.notes)
    top = export_potential(exporter="FRA", year=2022, assumptions=no_growth(), limit=1)
    assert len(top.rows) == 1


def test_level_aggregates_products_before_computing(make_trade):
    # Two HS6 lines of one HS4 heading add up at hs4 (the potential is that of the heading).
    make_trade(
        [
            ("FRA", "USA", "220421", 30),
            ("FRA", "USA", "220429", 70),
            ("DEU", "USA", "220421", 100),
        ]
    )
    table = export_potential(
        exporter="FRA", year=2022, assumptions=no_growth(), hygiene=OFF, level="hs4"
    )
    assert [(r.product, r.actual) for r in table.rows] == [("2204", pytest.approx(100))]
    # Without distances every factor is 1; one market: EPI = v_jk × share = 200 × 100/200.
    assert table.rows[0].potential == pytest.approx(100)
    assert any("GeoDist" in note for note in table.basis.notes)


# --- Five-year weights --------------------------------------------------------------------


def test_weights_five_to_one_normalised_over_years_present():
    assert weights([2018, 2019, 2020, 2021, 2022]) == pytest.approx(
        {2022: 5 / 15, 2021: 4 / 15, 2020: 3 / 15, 2019: 2 / 15, 2018: 1 / 15}
    )
    # 2020 missing: 5 + 4 + 2 + 1 = 12.
    assert weights([2018, 2019, 2021, 2022]) == pytest.approx(
        {2022: 5 / 12, 2021: 4 / 12, 2019: 2 / 12, 2018: 1 / 12}
    )


def test_actual_is_the_weighted_average_of_the_loaded_years(make_trade):
    # FRA→USA 100, 200, 300, 400, 500 over 2018–2022; missing in 2019 for DEU (counts 0).
    for n, year in enumerate(range(2018, 2023), start=1):
        rows = [("FRA", "USA", WINE, 100 * n)]
        if year != 2019:
            rows.append(("DEU", "USA", WINE, 60))
        make_trade(rows, year=year)
    make_trade([("FRA", "USA", WINE, 999)], year=2017)  # outside the window
    table = export_potential(exporter="FRA", year=2022, assumptions=no_growth(), hygiene=OFF)
    # (5×500 + 4×400 + 3×300 + 2×200 + 1×100) / 15 = 5500/15
    assert table.rows[0].actual == pytest.approx(5500 / 15)
    assert table.basis.years_used == [2018, 2019, 2020, 2021, 2022]
    deu = export_potential(exporter="DEU", year=2022, assumptions=no_growth(), hygiene=OFF)
    # (5+4+3+1) × 60 / 15, the 2019 gap counting 0.
    assert deu.rows[0].actual == pytest.approx(13 * 60 / 15)


# --- Data hygiene -------------------------------------------------------------------------


def test_returned_goods_below_one_fifteenth_of_the_reverse_flow_dropped(make_trade):
    make_trade(
        [
            ("FRA", "DEU", WINE, 1500),
            ("DEU", "FRA", WINE, 99),  # < 1500/15 = 100: returned goods
            ("FRA", "DEU", CARS, 1500),
            ("DEU", "FRA", CARS, 100),  # = 1/15: kept
            ("ITA", "FRA", WINE, 50),
        ]
    )
    hygiene = Hygiene(reexports=False, persistence=False)
    deu = cells(
        export_potential(exporter="DEU", year=2022, assumptions=no_growth(), hygiene=hygiene)
    )
    assert ("DEU", "FRA", WINE) not in deu
    assert ("DEU", "FRA", CARS) in deu
    kept = cells(export_potential(exporter="DEU", year=2022, assumptions=no_growth(), hygiene=OFF))
    assert ("DEU", "FRA", WINE) in kept
    assert any("1/15" in n for n in export_potential(exporter="FRA", year=2022).basis.notes)


def test_reexports_dropped_when_imports_dwarf_exports(make_trade):
    make_trade(
        [
            ("NLD", "BEL", WINE, 10),  # NLD imports 200 of wine: 20× its exports
            ("FRA", "NLD", WINE, 200),
            ("FRA", "BEL", WINE, 50),
            ("NLD", "BEL", CARS, 100),  # NLD imports 500 cars: 5×, under the ratio of 10
            ("DEU", "NLD", CARS, 500),
        ]
    )
    hygiene = Hygiene(returned_goods=False, persistence=False)
    nld = cells(
        export_potential(exporter="NLD", year=2022, assumptions=no_growth(), hygiene=hygiene)
    )
    assert set(nld) == {("NLD", "BEL", CARS)}
    fra = cells(
        export_potential(exporter="FRA", year=2022, assumptions=no_growth(), hygiene=hygiene)
    )
    # BEL's wine imports are then FRA's 50 only: FRA's potential there is all of them.
    assert fra["FRA", "BEL", WINE].potential == pytest.approx(50)
    off = cells(export_potential(exporter="NLD", year=2022, assumptions=no_growth(), hygiene=OFF))
    assert ("NLD", "BEL", WINE) in off


def test_persistence_exported_each_of_last_three_years_imported_each_of_last_five(make_trade):
    for year in range(2018, 2023):
        rows = [("FRA", "USA", WINE, 100), ("DEU", "USA", CARS, 100)]
        if year >= 2020:
            rows.append(("ITA", "USA", WINE, 100))  # the last three years: kept
        if year >= 2021:
            rows.append(("ESP", "USA", WINE, 100))  # two years only: dropped
        if year != 2019:
            rows.append(("FRA", "CHN", CARS, 100))  # CHN's car imports miss 2019: dropped
        make_trade(rows, year=year)
    hygiene = Hygiene(reexports=False, returned_goods=False)
    got = set()
    for exporter in ("FRA", "DEU", "ITA", "ESP"):
        got |= set(cells(export_potential(exporter=exporter, year=2022, hygiene=hygiene)))
    assert got == {("FRA", "USA", WINE), ("ITA", "USA", WINE), ("DEU", "USA", CARS)}


def test_persistence_with_fewer_years_says_what_applied(make_trade):
    make_trade([("FRA", "USA", WINE, 100), ("ESP", "USA", WINE, 10)], year=2021)
    make_trade([("FRA", "USA", WINE, 100)], year=2022)
    table = export_potential(exporter="FRA", year=2022, hygiene=Hygiene(reexports=False))
    note = next(n for n in table.basis.notes if "Produit retenu" in n)
    assert "chacune des 2 dernières années" in note
    assert "2 année(s) chargée(s) seulement" in note
    esp = export_potential(exporter="ESP", year=2022, hygiene=Hygiene(reexports=False))
    assert esp.rows == []


# --- Scaling identity on generated data ---------------------------------------------------


def test_scaling_sum_over_exporters_is_projected_imports(make_trade):
    rng = random.Random(5)
    countries = [f"C{n:02d}" for n in range(12)]
    products = [f"{n:04d}" for n in range(1, 9)]
    flows = [
        (i, j, k, rng.uniform(1, 1000))
        for i in countries
        for j in countries
        for k in products
        if i != j and rng.random() < 0.35
    ]
    make_trade(flows, level="hs4")
    write_geodist({(a, b): rng.uniform(300, 15000) for a in countries for b in countries if a < b})
    growth = Assumptions(
        horizon_years=5,
        gdp_growth={c: rng.uniform(-0.05, 0.4) for c in countries},
        population_growth={c: rng.uniform(0, 0.1) for c in countries},
        sources={},
        default_source="test",
    )
    rows = all_rows(assumptions=growth, hygiene=Hygiene())
    sums: dict[tuple[str, str], float] = {}
    projected: dict[tuple[str, str], float] = {}
    for _, market, product, potential, _, proj_imports in rows:
        sums[market, product] = sums.get((market, product), 0.0) + potential
        projected[market, product] = proj_imports
    assert len(sums) > 50
    for cell, total in sums.items():
        assert total == pytest.approx(projected[cell], rel=1e-9)


# --- Projections --------------------------------------------------------------------------


def test_projections_change_supply_and_demand(hand_case):
    base = cells(export_potential(exporter="FRA", year=2022, assumptions=no_growth(), hygiene=OFF))
    growth = Assumptions(
        horizon_years=5,
        gdp_growth={"FRA": 0.5, "JPN": 0.21},
        population_growth={"JPN": 0.1},
        sources={},
        default_source="test",
        elasticity={"JPN": 0.93},
    )
    grown = cells(export_potential(exporter="FRA", year=2022, assumptions=growth, hygiene=OFF))
    # FRA's wine supply: 160×1.5 / (160×1.5 + 180 + 60) = 240/480 = 0.5 (was 0.4).
    assert grown["FRA", "USA", WINE].supply == pytest.approx(0.5)
    # JPN's imports: (1.21/1.1)^0.93 × 1.1 = 1.1^1.93.
    factor = 1.1**0.93 * 1.1
    assert grown["FRA", "JPN", WINE].demand_growth == pytest.approx(factor - 1)
    assert grown["FRA", "JPN", WINE].demand == pytest.approx(80 * factor)
    # Ease is static: unchanged.
    assert grown["FRA", "JPN", WINE].ease == pytest.approx(base["FRA", "JPN", WINE].ease)
    assert grown["FRA", "JPN", WINE].potential > base["FRA", "JPN", WINE].potential


def test_an_analyst_assumption_changes_the_result(hand_case, reference):
    from guichet.markets.assumptions import current_assumptions
    from guichet.reference.models import Country

    before = cells(export_potential(exporter="FRA", year=2022, hygiene=OFF))
    MarketAssumption.objects.create(
        country=Country.objects.get(iso3="FRA"),
        gdp_growth_pct=Decimal("50"),
        population_growth_pct=Decimal("0"),
        source="Hypothèse de l'analyste",
    )
    assert current_assumptions().sources["FRA"] == "Hypothèse de l'analyste"
    after = cells(export_potential(exporter="FRA", year=2022, hygiene=OFF))
    assert before["FRA", "USA", WINE].supply == pytest.approx(0.4)
    assert after["FRA", "USA", WINE].supply == pytest.approx(0.5)


# --- Cache --------------------------------------------------------------------------------


def _cache_files():
    return sorted(p.name for p in (storage.markets_dir() / "cache").glob("potential-*.parquet"))


def test_cache_reused_then_recomputed_when_inputs_change(hand_case, make_trade, monkeypatch):
    from guichet.markets import potential

    builds = []
    real = potential._build
    monkeypatch.setattr(potential, "_build", lambda *a: builds.append(1) or real(*a))
    first = export_potential(exporter="FRA", year=2022, assumptions=no_growth(), hygiene=OFF)
    files = _cache_files()
    assert len(files) == 4
    assert len(builds) == 1
    export_potential(exporter="DEU", year=2022, assumptions=no_growth(), hygiene=OFF)
    assert len(builds) == 1
    assert _cache_files() == files
    # A new assumption: recomputed.
    growth = no_growth()
    growth.gdp_growth["FRA"] = 0.5
    export_potential(exporter="FRA", year=2022, assumptions=growth, hygiene=OFF)
    assert len(builds) == 2
    # A reloaded dataset: recomputed, with the new figures.
    make_trade([*HAND_FLOWS[1:], ("FRA", "USA", WINE, 300)], year=2022)
    again = export_potential(exporter="FRA", year=2022, assumptions=no_growth(), hygiene=OFF)
    assert len(builds) == 3
    assert cells(again)["FRA", "USA", WINE].actual == 300
    assert cells(first)["FRA", "USA", WINE].actual == 100
    assert len(_cache_files()) == 4  # the older files are gone


# --- No data ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_no_trade_data_is_a_clear_french_exception():
    with pytest.raises(NoTradeData) as caught:
        export_potential(exporter="FRA")
    assert "Aucune donnée de commerce mondial" in str(caught.value)
    assert "load_trade" in str(caught.value)


def test_unknown_year_names_the_year(make_trade):
    make_trade(HAND_FLOWS, year=2022)
    with pytest.raises(NoTradeData, match="pour 2015"):
        export_potential(exporter="FRA", year=2015)


def test_distance_only_one_way_in_the_file_is_used_both_ways(make_trade):
    make_trade([("FRA", "USA", WINE, 100), ("DEU", "USA", WINE, 100)])
    write_geodist({("USA", "FRA"): 1000, ("USA", "DEU"): 4000}, both_ways=False)
    row = export_potential(exporter="FRA", year=2022, assumptions=no_growth(), hygiene=OFF).rows[0]
    assert row.distance_km == 1000
    assert row.demand == pytest.approx(200 * 0.5)
    assert math.isfinite(row.potential)


# --- On the demonstration world -----------------------------------------------------------


def test_demonstration_world_gives_sensible_figures_for_france(db):
    from guichet.markets import demo
    from guichet.markets.assumptions import current_assumptions

    demo.build(scale=0.05)
    assumptions = current_assumptions()
    assert "données de démonstration" in assumptions.default_source
    table = export_potential(exporter="FRA", limit=200)
    assert table.basis.is_demo
    assert table.basis.years_used == [2020, 2021, 2022, 2023, 2024]
    assert len(table.rows) == 200
    for row in table.rows:
        assert row.potential > 0
        assert 0 <= row.realised_share <= 1
        assert row.unrealised == pytest.approx(row.potential - min(row.actual, row.potential))
        assert row.distance_km is None or row.distance_km > 0
        assert math.isfinite(row.demand_growth)
    # Ranked by unrealised potential, and growth projected from the demo's macro figures.
    assert [r.unrealised for r in table.rows] == sorted(
        (r.unrealised for r in table.rows), reverse=True
    )
    assert any(r.demand_growth != 0 for r in table.rows)
