"""Computed results cached as Parquet under cache/, recomputed when their inputs change.

A cache key hashes the parameters of a computation together with the identity of every loaded
dataset (kind, source, year, checksum, load time) and every projection assumption (country,
values, update time): loading, reloading or removing a dataset, or changing an assumption,
gives new keys, so stale results are never read. `cached_table()` writes a result once (to a
temporary file renamed into place, so a reader never sees half a file) and removes the older
files of the same name.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Callable
from pathlib import Path

from guichet.markets import storage

KEY_LENGTH = 24  # hex characters of the sha256 kept in file names


def _inputs_state() -> list:
    from guichet.markets.models import MarketAssumption, TradeDataset

    datasets = [
        [d.kind, d.source, d.year, d.checksum, d.loaded_at.isoformat() if d.loaded_at else ""]
        for d in TradeDataset.objects.order_by("kind", "source", "year")
    ]
    assumptions = [
        [
            a.country_id,
            str(a.gdp_growth_pct),
            str(a.population_growth_pct),
            a.source,
            a.updated_at.isoformat() if a.updated_at else "",
        ]
        for a in MarketAssumption.objects.order_by("country_id")
    ]
    return [datasets, assumptions]


def inputs_key(name: str, **params) -> str:
    """A key for `name` computed with `params` on the data loaded now."""
    payload = json.dumps(
        {"name": name, "params": params, "inputs": _inputs_state()},
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:KEY_LENGTH]


def cached_table(name: str, key: str, build: Callable[[Path], None]) -> Path:
    """cache/<name>-<key>.parquet, written by build(path) when absent."""
    path = storage.cache_path(name, key)
    if path.exists():
        return path
    partial = path.with_name(f".{path.stem}.{os.getpid()}.{uuid.uuid4().hex[:8]}.parquet")
    try:
        build(partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    for old in path.parent.glob(f"{name}-{'?' * len(key)}.parquet"):
        if old != path:
            old.unlink(missing_ok=True)
    return path
