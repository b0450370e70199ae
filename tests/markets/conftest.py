"""Shared fixtures of the markets tests: the real public files (skipped when absent) and small
trade years written the way the loaders write them."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from guichet.markets import storage
from guichet.markets.models import DatasetKind, TradeDataset

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def shared_data(relpath: str) -> Path:
    """A file of ../shared/data, or a clean skip when this machine does not have it."""
    path = SHARED_DATA / relpath
    if not path.exists():
        pytest.skip(f"{relpath} absent: ../shared/data is not on this machine")
    return path


def write_trade(rows, *, year: int = 2022, source: str = "baci", level: str = "hs6", demo=False):
    """Writes (exporter, importer, product, value[, quantity]) rows as a loaded trade year and
    records its TradeDataset, as load_trade would."""
    path = storage.trade_path(source, year)
    con = storage.connect()
    con.execute(
        "CREATE TABLE t (year INTEGER, exporter VARCHAR, importer VARCHAR, product VARCHAR, "
        "value DOUBLE, quantity DOUBLE)"
    )
    con.executemany(
        "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)",
        [(year, r[0], r[1], r[2], float(r[3]), r[4] if len(r) > 4 else None) for r in rows],
    )
    con.execute(f"COPY t TO {storage.sql_path(path)} (FORMAT PARQUET)")
    total = con.execute("SELECT coalesce(sum(value), 0) FROM t").fetchone()[0]
    con.close()
    dataset, _ = TradeDataset.objects.update_or_create(
        kind=DatasetKind.TRADE,
        source=source,
        year=year,
        defaults={
            "path": storage.relative(path),
            "product_level": level,
            "checksum": hashlib.sha256(path.read_bytes()).hexdigest(),
            "rows": len(rows),
            "value_total": total,
            "currency": "USD",
            "is_demo": demo,
        },
    )
    return dataset


@pytest.fixture
def make_trade(db):
    return write_trade
