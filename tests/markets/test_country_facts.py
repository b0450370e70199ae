"""A country's fact sheet figures from the trade Parquet and GeoDist."""

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from guichet.markets import storage
from guichet.markets.country_facts import country_facts
from guichet.markets.models import DatasetKind, TradeDataset
from guichet.markets.potential import NoTradeData

Y2021 = [
    ("FRA", "USA", "220421", 300.0),
    ("ITA", "USA", "220421", 500.0),
    ("ITA", "USA", "220429", 200.0),
    ("FRA", "USA", "220830", 1000.0),
    ("DEU", "USA", "870323", 9000.0),
    ("FRA", "JPN", "220421", 50.0),
]
Y2022 = [
    ("FRA", "USA", "220421", 400.0),
    ("FRA", "USA", "220429", 200.0),
    ("ITA", "USA", "220421", 700.0),
    ("ESP", "USA", "220421", 100.0),
    ("AUS", "USA", "220429", 600.0),
    ("FRA", "USA", "220830", 1500.0),
    ("GBR", "USA", "220830", 2500.0),
    ("DEU", "USA", "870323", 10000.0),
    ("USA", "USA", "220421", 999.0),  # a country's flow to itself is not an import
    ("FRA", "JPN", "220421", 80.0),
]


@pytest.fixture
def years(make_trade, reference):
    make_trade(Y2021, year=2021)
    make_trade(Y2022, year=2022)


def write_geodist(rows):
    path = storage.geodist_path()
    origins, destinations, dists = zip(*rows, strict=True)
    pq.write_table(
        pa.table(
            {
                "origin": pa.array(origins, pa.string()),
                "destination": pa.array(destinations, pa.string()),
                "dist": pa.array(dists, pa.float64()),
                "distw": pa.array([None] * len(rows), pa.float64()),
                "contig": pa.array([0] * len(rows), pa.int32()),
                "comlang_off": pa.array([0] * len(rows), pa.int32()),
                "colony": pa.array([0] * len(rows), pa.int32()),
            }
        ),
        path,
    )
    TradeDataset.objects.create(
        kind=DatasetKind.GEODIST, source="geodist", path=storage.relative(path), checksum="x"
    )


def test_imports_of_a_heading_suppliers_and_france_share(years):
    write_geodist([("FRA", "USA", 6181.0), ("USA", "FRA", 6200.0), ("FRA", "JPN", 9714.0)])
    facts = country_facts("usa", products=["2204"])
    assert facts["iso3"] == "USA"
    assert facts["name"] == "États-Unis"
    assert facts["year"] == 2022
    assert facts["products"] == ["2204"]
    assert facts["distance_km"] == 6181.0
    # 2022 wine: FRA 400 + 200, ITA 700, ESP 100, AUS 600 = 2000 (USA → USA left out).
    assert facts["imports"] == 2000.0
    assert facts["imports_trend"] == [(2021, 1000.0), (2022, 2000.0)]
    assert facts["suppliers"] == [
        ("ITA", "Italie", 700.0, 0.35),
        ("AUS", "Australie", 600.0, 0.3),
        ("FRA", "France", 600.0, 0.3),
        ("ESP", "Espagne", 100.0, 0.05),
    ]
    assert facts["france_value"] == 600.0
    assert facts["france_rank"] == 3
    assert facts["france_share"] == pytest.approx(0.3)
    assert facts["france_share_trend"] == [(2021, pytest.approx(0.3)), (2022, pytest.approx(0.3))]
    basis = facts["basis"]
    assert basis.source_label == "CEPII BACI 2022"
    assert basis.years_used == [2021, 2022]
    assert basis.is_demo is False
    assert "Produits retenus : SH 2204." in basis.notes


def test_chapter_prefix_all_goods_and_an_earlier_year(years):
    chapter = country_facts("USA", products=["22"])
    assert chapter["imports"] == 2000.0 + 1500.0 + 2500.0
    assert chapter["suppliers"][0][:3] == ("GBR", "Royaume-Uni", 2500.0)
    assert chapter["france_share"] == pytest.approx(2100.0 / 6000.0)
    everything = country_facts("USA")
    assert everything["imports"] == 16000.0
    assert everything["suppliers"][0][0] == "DEU"
    assert everything["products"] == []
    assert everything["distance_km"] is None  # no GeoDist loaded
    earlier = country_facts("USA", products=["220421", "220429"], year=2021)
    assert earlier["year"] == 2021
    assert earlier["imports"] == 1000.0
    assert earlier["imports_trend"] == [(2021, 1000.0)]
    assert earlier["basis"].source_label == "CEPII BACI 2021"


def test_a_country_without_imports(years):
    facts = country_facts("BRA", products=["2204"])
    assert facts["name"] == "Brésil"
    assert facts["imports"] == 0.0
    assert facts["imports_trend"] == [(2021, 0.0), (2022, 0.0)]
    assert facts["suppliers"] == []
    assert facts["france_share"] is None
    assert facts["france_rank"] is None
    assert facts["france_share_trend"] == []


def test_baci_preferred_to_the_demonstration(make_trade, reference):
    make_trade([("FRA", "USA", "2204", 5.0), ("ITA", "USA", "2204", 15.0)], year=2022,
               source="demo", level="hs4", demo=True)  # fmt: skip
    demo = country_facts("USA")
    assert demo["imports"] == 20.0
    assert demo["basis"].is_demo is True
    assert demo["basis"].source_label == "Données de démonstration 2022"
    make_trade(Y2022, year=2022)
    real = country_facts("USA")
    assert real["imports"] == 16000.0
    assert real["basis"].is_demo is False


def test_no_trade_data(db):
    with pytest.raises(NoTradeData):
        country_facts("USA")
