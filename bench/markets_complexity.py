"""Economic complexity on an HS6-sized world year: guichet.markets.complexity against the
reference package `ecomplexity`, same run, same generated input (≈ 230 exporters × 5,000
HS6 products, about 60 % of the cells traded, written once as a long Parquet table).

Each side runs in its own subprocess (read the long table, build its inputs, compute RCA, M,
diversity, ubiquity, proximity, density, ECI, PCI, COG); the parent measures the child's wall
time and its peak resident memory (ru_maxrss from wait4), prints both and the ratios, and the
rank correlation of the two ECI and PCI vectors. The reference runs with its
log-supermodularity diagnostic off (it is a check, not a measure, and only slows it down).
Both children get the same number of BLAS threads (OPENBLAS_NUM_THREADS, 1 unless set).

GUICHET_BENCH_SCALE scales the number of products (0 skips); run alone with
`python bench/markets_complexity.py`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXPORTERS = 230
PRODUCTS = 5000
TARGET_SPEED = 20
TARGET_MEMORY = 0.5


def say(text: str) -> None:
    print(text, flush=True)


def generate(path: Path, n_loc: int, n_prod: int, seed: int = 17) -> int:
    """A long table (time, loc, prod, val) of a world year: exporter sizes and product sizes
    log-normal, about 60 % of the cells traded, HS6-like codes with leading zeros."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(seed)
    exporter_size = rng.lognormal(0, 2.0, n_loc)
    product_size = rng.lognormal(0, 1.5, n_prod)
    capability = rng.random(n_loc)
    difficulty = rng.random(n_prod)
    traded_probability = 0.25 + 0.7 * (capability[:, None] >= difficulty[None, :] * 0.8)
    traded = rng.random((n_loc, n_prod)) < traded_probability
    values = exporter_size[:, None] * product_size[None, :] * rng.lognormal(0, 1.5, (n_loc, n_prod))
    rows, cols = np.nonzero(traded)
    locations = np.array([f"C{i:03d}" for i in range(n_loc)])
    products = np.array([f"{(k * 37) % 970000 + 10100:06d}" for k in range(n_prod)])
    table = pa.table(
        {
            "time": pa.array(np.full(len(rows), 2022, dtype=np.int32)),
            "loc": pa.array(locations[rows]),
            "prod": pa.array(products[cols]),
            "val": pa.array(values[rows, cols] * 1e6),
        }
    )
    pq.write_table(table, path)
    return len(rows)


def child_ours(data: Path, out: Path) -> None:
    import duckdb
    import numpy as np

    from guichet.markets.complexity import compute

    start = time.perf_counter()
    con = duckdb.connect()
    source = con.read_parquet(str(data))
    source.create_view("world")
    locations = [r[0] for r in con.execute("SELECT DISTINCT loc FROM world ORDER BY 1").fetchall()]
    products = [r[0] for r in con.execute("SELECT DISTINCT prod FROM world ORDER BY 1").fetchall()]
    cells = con.execute(
        "SELECT dense_rank() OVER (ORDER BY loc) - 1 AS li, "
        "dense_rank() OVER (ORDER BY prod) - 1 AS pi, val FROM world"
    ).fetchnumpy()
    con.close()
    values = np.zeros((len(locations), len(products)))
    values[cells["li"], cells["pi"]] = cells["val"]
    del cells
    result = compute(values, list(locations), list(products))
    elapsed = time.perf_counter() - start
    np.savez(
        out,
        eci=result.eci,
        pci=result.pci,
        locations=np.asarray(locations, dtype=str),
        products=np.asarray(products, dtype=str),
    )
    print(json.dumps({"seconds": elapsed}))


def child_reference(data: Path, out: Path) -> None:
    import contextlib
    import io
    import warnings

    import numpy as np
    import pandas as pd
    from ecomplexity import ecomplexity

    start = time.perf_counter()
    long = pd.read_parquet(data)
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        output = ecomplexity(
            long,
            {"time": "time", "loc": "loc", "prod": "prod", "val": "val"},
            check_logsupermodularity=False,
        )
    elapsed = time.perf_counter() - start
    eci = output.groupby("loc")["eci"].first().sort_index()
    pci = output.groupby("prod")["pci"].first().sort_index()
    np.savez(
        out,
        eci=eci.to_numpy(),
        pci=pci.to_numpy(),
        locations=eci.index.to_numpy(dtype=str),
        products=pci.index.to_numpy(dtype=str),
    )
    print(json.dumps({"seconds": elapsed}))


def measure(side: str, data: Path, out: Path) -> tuple[float, float, float]:
    """(wall seconds, computation seconds as the child says, peak memory in MB) of a child."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", side, str(data), str(out)]
    # The same BLAS threads for both sides; one by default (a shared, loaded machine makes
    # multithreaded OpenBLAS spin: set OPENBLAS_NUM_THREADS to change it).
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "1")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": threads}
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE)  # noqa: S603 - this script
    stdout = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{side} child failed ({process.returncode})")
    seconds = json.loads(stdout.decode().strip().splitlines()[-1])["seconds"]
    return wall, seconds, usage.ru_maxrss / 1024  # kB on Linux


def bench_scale() -> float:
    try:
        return float(os.environ.get("GUICHET_BENCH_SCALE", "1"))
    except ValueError:
        raise SystemExit("GUICHET_BENCH_SCALE must be a number, e.g. 0.1") from None


def run() -> None:
    import numpy as np
    from scipy.stats import spearmanr

    scale = bench_scale()
    if scale <= 0:
        say("markets complexity benchmark: skipped (GUICHET_BENCH_SCALE=0)")
        return
    n_prod = max(50, round(PRODUCTS * scale))
    with tempfile.TemporaryDirectory(prefix="bench-complexity-") as folder:
        folder = Path(folder)
        data = folder / "world.parquet"
        cells = generate(data, EXPORTERS, n_prod)
        say(f"complexity input: {EXPORTERS} exporters × {n_prod} HS6 products, {cells:,} rows")
        figures = {}
        for side in ("ours", "reference"):
            figures[side] = measure(side, data, folder / f"{side}.npz")
            wall, seconds, memory = figures[side]
            name = "guichet complexity" if side == "ours" else "ecomplexity (reference)"
            say(
                f"{name}: {wall:.2f} s wall (computation {seconds:.2f} s), "
                f"peak memory {memory:.0f} MB"
            )
        ours, reference = figures["ours"], figures["reference"]
        speed = reference[0] / ours[0]
        compute_speed = reference[1] / ours[1]
        memory = ours[2] / reference[2]
        say(
            f"complexity ratio: {speed:.1f}× faster wall ({compute_speed:.1f}× computation; "
            f"target ≥ {TARGET_SPEED}×), peak memory {memory:.2f} of the reference "
            f"(target ≤ {TARGET_MEMORY})"
        )
        a = np.load(folder / "ours.npz")
        b = np.load(folder / "reference.npz")
        assert list(a["locations"]) == list(b["locations"])
        assert list(a["products"]) == list(b["products"])
        say(
            "complexity agreement: ECI Spearman "
            f"{spearmanr(a['eci'], b['eci']).statistic:.6f}, PCI Spearman "
            f"{spearmanr(a['pci'], b['pci']).statistic:.6f}, max |ΔECI| "
            f"{np.max(np.abs(a['eci'] - b['eci'])):.2e}"
        )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        sys.path.insert(0, str(ROOT))
        side, data, out = sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4])
        (child_ours if side == "ours" else child_reference)(data, out)
    else:
        sys.path.insert(0, str(ROOT))
        run()
