"""After a load, the worker computes the results the pages read first: the next visitor reads
them from the cache instead of waiting."""

import pytest

from guichet.markets import storage
from guichet.markets.tasks import warm_market_caches
from guichet.markets.warmup import warm_caches

FLOWS = [
    (exporter, importer, product, value)
    for exporter, base in (("FRA", 50.0), ("DEU", 80.0), ("USA", 120.0), ("CHN", 150.0))
    for importer in ("FRA", "DEU", "USA", "CHN", "JPN")
    if importer != exporter
    for product, factor in (("2204", 3.0), ("8802", 1.0), ("8703", 2.0), ("3304", 1.5))
    for value in [base * factor * (2.0 if (exporter, product) == ("FRA", "2204") else 1.0)]
]


def _cached_names():
    folder = storage.markets_dir() / "cache"
    return sorted({p.name.rsplit("-", 1)[0] for p in folder.glob("*.parquet")})


@pytest.mark.django_db
def test_nothing_to_warm_without_trade_data():
    assert warm_caches() == []
    assert warm_market_caches.enqueue().return_value == "aucune donnée commerciale chargée"


@pytest.mark.django_db
def test_warming_fills_the_cache_the_pages_read(make_trade, reference):
    for year in (2022, 2023):
        make_trade(FLOWS, year=year, level="hs4")
    assert _cached_names() == []
    assert warm_caches() == ["potentiel d'exportation", "espace produits"]
    assert _cached_names() == [
        "potential-hs4-demand",
        "potential-hs4-ease",
        "potential-hs4-flows",
        "potential-hs4-supply",
        "product-space-FRA-hs4",
    ]
