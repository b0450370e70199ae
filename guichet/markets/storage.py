"""Where market data lives on disk and how it is read.

Everything sits under GUICHET_MARKETS_DIR (default var/markets/), in Parquet files with fixed
column schemas (below); every computation reads them through DuckDB. Codes are text (leading
zeros kept); values are floats in the unit the schema names.

Schemas
- trade/<source>/<year>.parquet: year INTEGER, exporter VARCHAR (ISO alpha-3), importer
  VARCHAR (ISO alpha-3), product VARCHAR (HS code, 6 digits for BACI/Comtrade HS6, 4 for the
  demonstration year), value DOUBLE (current USD, not thousands), quantity DOUBLE (tonnes,
  NULL when unknown).
- customs/<year>.parquet: year INTEGER, region VARCHAR (INSEE région code, "" when only the
  département is given), departement VARCHAR ("" when not given), partner VARCHAR (ISO
  alpha-3), product VARCHAR (HS code), flow VARCHAR ('X' exports, 'M' imports), value DOUBLE
  (EUR).
- geodist.parquet: origin VARCHAR, destination VARCHAR (ISO alpha-3), dist DOUBLE (km,
  between main cities), distw DOUBLE (km, population-weighted; NULL when absent), contig
  INTEGER, comlang_off INTEGER, colony INTEGER.
- macro.parquet: country VARCHAR (ISO alpha-3), year INTEGER, gdp DOUBLE (current USD),
  population DOUBLE.
- cache/<name>-<key>.parquet: computed results; <key> hashes every input (see cache.py).
- reports/<job or load>.csv: rejected rows of a load, with the line number and the reason.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
from django.conf import settings


def markets_dir() -> Path:
    path = Path(settings.GUICHET_MARKETS_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _sub(*parts: str) -> Path:
    path = markets_dir().joinpath(*parts)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def trade_path(source: str, year: int) -> Path:
    return _sub("trade", source, f"{int(year)}.parquet")


def customs_path(year: int) -> Path:
    return _sub("customs", f"{int(year)}.parquet")


def geodist_path() -> Path:
    return _sub("geodist.parquet")


def macro_path() -> Path:
    return _sub("macro.parquet")


def cache_path(name: str, key: str) -> Path:
    return _sub("cache", f"{name}-{key}.parquet")


def report_path(name: str) -> Path:
    return _sub("reports", f"{name}.csv")


def uploads_dir() -> Path:
    path = markets_dir() / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def relative(path: Path) -> str:
    """The path as stored in TradeDataset.path: relative to the markets folder."""
    return str(Path(path).resolve().relative_to(markets_dir().resolve()))


def absolute(stored: str) -> Path:
    return markets_dir() / stored


def connect() -> duckdb.DuckDBPyConnection:
    """A fresh in-memory DuckDB connection bounded to this machine's share (threads and
    memory from settings), spilling to var/markets/tmp when a query needs more."""
    con = duckdb.connect(database=":memory:")
    con.execute(f"SET threads = {int(settings.GUICHET_MARKETS_THREADS)}")
    con.execute(f"SET memory_limit = '{int(settings.GUICHET_MARKETS_MEMORY_MB)}MB'")
    tmp = markets_dir() / "tmp"
    tmp.mkdir(exist_ok=True)
    con.execute("SET temp_directory = ?", [str(tmp)])
    con.execute("SET preserve_insertion_order = false")
    return con


def sql_path(path: Path) -> str:
    """A path quoted as a SQL string literal (DuckDB table functions take literals)."""
    return "'" + str(path).replace("'", "''") + "'"
