"""The demonstration world: shape, realism where the pages rely on it, idempotent loading."""

import io

import duckdb
import numpy as np
import pytest

from guichet.markets import demo, storage, worldmap
from guichet.markets.models import CooperationAgreement, DatasetKind, TradeDataset
from guichet.partners.services import organisation_create

pytestmark = pytest.mark.usefixtures("reference")

SCALE = 0.05
FRANCE_CHAPTERS = {"22", "88", "33", "30", "84", "87", "10", "04", "71", "42"}


@pytest.fixture
def world():
    out = io.StringIO()
    datasets = demo.build(scale=SCALE, stdout=out)
    return datasets, out.getvalue()


def _trade(year: int) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.read_parquet(str(storage.trade_path("demo", year))).create_view("t")
    return con


def test_build_records_demo_datasets_for_five_years_distances_and_macro(world):
    datasets, out = world
    trade = sorted(d.year for d in datasets if d.kind == DatasetKind.TRADE)
    assert trade == [2020, 2021, 2022, 2023, 2024]
    assert {d.kind for d in datasets} == {"trade", "geodist", "macro"}
    for dataset in TradeDataset.objects.all():
        assert dataset.source == "demo"
        assert dataset.is_demo
        assert storage.absolute(dataset.path).exists()
    last = TradeDataset.objects.get(kind="trade", year=2024)
    assert last.product_level == "hs4"
    assert last.currency == "USD"
    count, total = _trade(2024).execute("SELECT count(*), sum(value) FROM t").fetchone()
    assert last.rows == count
    assert last.value_total == pytest.approx(total)
    assert "177 pays" in out
    assert "5 années" in out


def test_world_of_about_two_hundred_countries_sparse_hs4_flows(world):
    con = _trade(2024)
    exporters, importers, products, rows = con.execute(
        "SELECT count(DISTINCT exporter), count(DISTINCT importer), count(DISTINCT product), "
        "count(*) FROM t"
    ).fetchone()
    assert exporters >= 170
    assert importers >= 170
    assert len(demo.countries()) == 177
    assert "FRA" in demo.countries()
    assert "REU" not in demo.countries()  # counted with France in trade statistics
    codes = {p for (p,) in con.execute("SELECT DISTINCT product FROM t").fetchall()}
    assert all(len(code) == 4 and code.isdigit() for code in codes)
    assert codes <= set(demo.hs4_products())
    assert rows < 0.05 * exporters * importers * products  # most cells are zero
    assert con.execute("SELECT count(*) FROM t WHERE exporter = importer").fetchone()[0] == 0
    assert con.execute("SELECT min(value) FROM t").fetchone()[0] >= 1000


def test_full_scale_has_all_headings_and_a_small_world_every_chapter():
    every = demo.hs4_products()
    assert len(every) > 1200
    small = demo.hs4_products(SCALE, np.random.default_rng(3))
    assert len(small) < 150
    assert {code[:2] for code in small} == {code[:2] for code in every}
    assert {"2204", "2208", "8802", "3304"} <= set(small)


def test_france_top_comparative_advantages_fall_in_its_known_chapters(world):
    top = (
        _trade(2024)
        .execute(
            """
        WITH ik AS (SELECT exporter, product, sum(value) AS v FROM t GROUP BY 1, 2),
        i AS (SELECT exporter, sum(v) AS vi FROM ik GROUP BY 1),
        k AS (SELECT product, sum(v) AS vk FROM ik GROUP BY 1),
        w AS (SELECT sum(v) AS vw FROM ik)
        SELECT ik.product FROM ik JOIN i USING (exporter) JOIN k USING (product), w
        WHERE ik.exporter = 'FRA' ORDER BY ik.v / i.vi / (k.vk / w.vw) DESC LIMIT 10
        """
        )
        .fetchall()
    )
    in_chapters = [code for (code,) in top if code[:2] in FRANCE_CHAPTERS]
    assert len(in_chapters) >= 7, top


def test_gravity_neighbours_buy_more_and_trade_rebounds_after_2020(world):
    con = _trade(2024)
    markets = con.execute(
        "SELECT importer FROM t WHERE exporter = 'FRA' GROUP BY 1 ORDER BY sum(value) DESC"
    ).fetchall()
    assert markets[0][0] in {"DEU", "GBR", "ITA", "ESP", "BEL", "CHE", "NLD"}
    exporters = con.execute(
        "SELECT exporter FROM t GROUP BY 1 ORDER BY sum(value) DESC LIMIT 3"
    ).fetchall()
    assert [e for (e,) in exporters] == ["CHN", "USA", "DEU"]
    totals = {
        year: _trade(year).execute("SELECT sum(value) FROM t").fetchone()[0]
        for year in (2020, 2021)
    }
    assert totals[2021] > 1.1 * totals[2020]


def test_distances_symmetric_and_plausible(world):
    con = duckdb.connect()
    con.read_parquet(str(storage.geodist_path())).create_view("g")
    rows = con.execute("SELECT origin, destination, dist FROM g").fetchall()
    dist = {(o, d): km for o, d, km in rows}
    assert all(dist[(d, o)] == pytest.approx(km) for (o, d), km in dist.items())
    assert len(dist) == 177 * 176
    assert 500 < dist[("FRA", "DEU")] < 1200
    assert dist[("FRA", "DEU")] < dist[("FRA", "CHN")]
    assert 7000 < dist[("FRA", "CHN")] < 9500
    assert 15000 < dist[("FRA", "AUS")] < 17500
    assert max(dist.values()) < 20100  # half the Earth's circumference
    assert min(dist.values()) >= demo.MIN_DISTANCE_KM


def test_map_centres_come_back_to_real_coordinates():
    centres = worldmap.country_centroids()
    lon, lat = demo.lon_lat(*np.array([centres["FRA"], centres["AUS"], centres["BRA"]]).T)
    assert lon[0] == pytest.approx(2.5, abs=2)
    assert lat[0] == pytest.approx(46.5, abs=2)
    assert lon[1] == pytest.approx(134, abs=4)
    assert lat[1] == pytest.approx(-25, abs=4)
    assert lon[2] == pytest.approx(-53, abs=4)
    assert lat[2] == pytest.approx(-10, abs=4)


def test_macro_table_covers_every_country_and_year(world):
    con = duckdb.connect()
    con.read_parquet(str(storage.macro_path())).create_view("m")
    countries, years = con.execute(
        "SELECT count(DISTINCT country), count(DISTINCT year) FROM m"
    ).fetchone()
    assert countries == 177
    assert years == 10
    gdp, population = con.execute(
        "SELECT gdp, population FROM m WHERE country = 'FRA' AND year = 2024"
    ).fetchone()
    assert gdp == pytest.approx(3.0e12)
    assert population == pytest.approx(68e6)


def test_real_distances_and_macro_are_not_overwritten(db):
    path = storage.geodist_path()
    path.write_bytes(b"real file")
    TradeDataset.objects.create(
        kind="geodist", source="geodist", path=storage.relative(path), checksum="x"
    )
    TradeDataset.objects.create(kind="macro", source="macro", path="macro.parquet", checksum="y")
    demo.build(scale=SCALE, years=[2024])
    assert path.read_bytes() == b"real file"
    assert not TradeDataset.objects.filter(source="demo").exclude(kind="trade").exists()


def test_load_is_idempotent_and_adds_the_region_agreements(monkeypatch):
    monkeypatch.setattr(demo, "LOAD_SCALE", SCALE)
    organisation_create(name="Région Bourgogne-Franche-Comté", kind="region", slug="region-bfc")
    first = io.StringIO()
    assert demo.load(password="not-used-here", stdout=first) == []
    assert "commerce mondial de démonstration" in first.getvalue()
    loaded = dict(TradeDataset.objects.values_list("pk", "checksum"))
    assert len(loaded) == 7
    assert CooperationAgreement.objects.count() == 4
    quebec = CooperationAgreement.objects.get(country__iso2="CA")
    assert quebec.organisation.slug == "region-bfc"
    assert "démonstration" in quebec.description

    second = io.StringIO()
    demo.load(password="not-used-here", stdout=second)
    assert "déjà chargées" in second.getvalue()
    assert dict(TradeDataset.objects.values_list("pk", "checksum")) == loaded
    assert CooperationAgreement.objects.count() == 4
