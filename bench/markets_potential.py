"""Export potential benchmark (issue 8): a generated BACI-sized year (≥ 10 million rows,
`t,i,j,k,v,q` with space-padded quantities, ~200 countries, ~5,000 HS6 products, gravity-like
flows: big economies trade almost everything with almost everyone, small ones little), then

- its load through the platform's loader (load_trade, wet run: CSV → validated Parquet),
- the export potential of every exporter × market × product (cold: the cached pair tables are
  built; then warm: one exporter's rows read from the cache),
- DuckDB's bare scan of the same Parquet (SELECT count(*), sum(value)) as the floor,

each in a child process of its own, whose peak resident memory (ru_maxrss, Django included
where the step needs it) is the step's; times and memory are printed with their ratio to the
bare scan. GUICHET_BENCH_SCALE scales the 10 million rows (0.1 → 1 million; 0 skips).
Run alone: `python bench/markets_potential.py`.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROWS, COUNTRIES, PRODUCTS, YEAR = 10_000_000, 200, 5_000, 2022
ENV_DEFAULTS = {
    "GUICHET_SECRET_KEY": "bench-secret-key-not-for-production-0123456789",
    "GUICHET_SSL_REDIRECT": "0",
    "GUICHET_SECURE_COOKIES": "0",
    "GUICHET_STATIC_MANIFEST": "0",
    "GUICHET_TASKS_BACKEND": "immediate",
    "GUICHET_EMAIL_BACKEND": "locmem",
    "DJANGO_SETTINGS_MODULE": "config.settings",
}


def say(line: str) -> None:
    print(line, flush=True)


def bench_scale() -> float:
    try:
        return float(os.environ.get("GUICHET_BENCH_SCALE", "1"))
    except ValueError:
        raise SystemExit("GUICHET_BENCH_SCALE must be a number, e.g. 0.1") from None


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """CPU time of this process (all threads): steadier than wall time on a shared machine."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# --- generation ---------------------------------------------------------------------------


def country_weights() -> list[float]:
    """Economic size by rank (Zipf-like): the largest ~150 times the smallest."""
    return [((rank + 1) / COUNTRIES) ** -0.95 for rank in range(COUNTRIES)]


def selection_constant(rows: int) -> float:
    """c such that Σ_{i≠j} min(1, c·w_i·w_j) × PRODUCTS ≈ rows (bisection)."""
    w = country_weights()
    low, high = 0.0, 10.0
    for _ in range(60):
        c = (low + high) / 2
        expected = PRODUCTS * sum(
            min(1.0, c * a * b) for i, a in enumerate(w) for j, b in enumerate(w) if i != j
        )
        low, high = (c, high) if expected < rows else (low, c)
    return (low + high) / 2


_GENERATE = """
COPY (
    SELECT ? AS t, e.code AS i, m.code AS j, p.k AS k,
           round(e.w * m.w * (1 + hash(e.n, m.n, p.n, 1) % 100000) / 2000.0, 3) AS v,
           lpad(CAST(round((1 + hash(e.n, m.n, p.n, 2) % 100000) / 1000.0, 3) AS VARCHAR),
                13, ' ') AS q
    FROM countries e, countries m, products p
    WHERE e.n <> m.n
      AND (hash(e.n, m.n, p.n) % 1000000) / 1000000.0 < least(1.0, ? * e.w * m.w)
) TO {target} (FORMAT CSV, HEADER, FORCE_QUOTE (q))
"""


def step_generate(folder: Path, rows: int) -> dict:
    """The BACI-like CSV (and distances, GDP/population for the same countries)."""
    import duckdb

    from guichet.markets.countries import baci_mapping

    codes = sorted(n for n, iso3 in baci_mapping().items() if iso3)[:COUNTRIES]
    iso3 = baci_mapping()
    weights = country_weights()
    con = duckdb.connect()
    con.execute("CREATE TABLE countries (n INTEGER, code INTEGER, iso3 VARCHAR, w DOUBLE)")
    con.executemany(
        "INSERT INTO countries VALUES (?, ?, ?, ?)",
        [(n, code, iso3[code], weights[n]) for n, code in enumerate(codes)],
    )
    con.execute(
        "CREATE TABLE products AS SELECT n, printf('%06d', (n * 197) % 970000 + 10000) AS k "
        "FROM range(?) r(n)",
        [PRODUCTS],
    )
    started = time.perf_counter()
    csv = folder / f"BACI_HS17_Y{YEAR}_bench.csv"
    target = "'" + str(csv).replace("'", "''") + "'"
    con.execute(_GENERATE.format(target=target), [YEAR, selection_constant(rows)])
    written = con.execute("SELECT count(*) FROM read_csv(?)", [str(csv)]).fetchone()[0]
    geo = folder / "geodist.csv"
    con.execute(
        f"""COPY (SELECT e.iso3 AS iso_o, m.iso3 AS iso_d, 0 AS contig, 0 AS comlang_off,
                  0 AS colony, 200 + hash(least(e.n, m.n), greatest(e.n, m.n)) % 18000 AS dist,
                  NULL AS distw
           FROM countries e, countries m) TO '{geo}' (FORMAT CSV, HEADER)"""  # noqa: S608
    )
    macro = folder / "macro.csv"
    con.execute(
        f"""COPY (SELECT c.iso3, y AS year, 1e9 * c.w * pow(1.0 + (c.n % 7) / 100.0, y - 2018)
                  AS gdp, 1e6 * c.w * (1 + c.n % 50) AS population
           FROM countries c, range(2018, 2023) r(y)) TO '{macro}' (FORMAT CSV, HEADER)"""  # noqa: S608
    )
    return {
        "csv": str(csv),
        "rows": written,
        "bytes": csv.stat().st_size,
        "seconds": time.perf_counter() - started,
    }


# --- steps in child processes -------------------------------------------------------------


def setup_django(folder: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ["GUICHET_MARKETS_DIR"] = str(folder / "markets")
    for key, value in ENV_DEFAULTS.items():
        os.environ.setdefault(key, value)
    import django

    django.setup()


def step_load(folder: Path, csv: str) -> dict:
    from django.core.management import call_command

    from guichet.markets.loaders import load_geodist, load_macro, load_trade

    call_command("migrate", verbosity=0)
    started, cpu = time.perf_counter(), cpu_seconds()
    outcome = load_trade(fmt="baci", path=csv, wet_run=True)
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    load_geodist(path=folder / "geodist.csv")
    load_macro(path=folder / "macro.csv")
    from guichet.markets import storage

    return {
        "seconds": seconds,
        "cpu": cpu,
        "rows": outcome.rows,
        "rejected": outcome.rejected,
        "parquet": str(storage.absolute(outcome.dataset.path)),
        "peak_mib": peak_mib(),
    }


def step_potential() -> dict:
    from guichet.markets import storage
    from guichet.markets.potential import export_potential

    started, cpu = time.perf_counter(), cpu_seconds()
    cold = export_potential(exporter="FRA", year=YEAR, limit=1000)
    cold_seconds, cold_cpu = time.perf_counter() - started, cpu_seconds() - cpu
    started = time.perf_counter()
    top = export_potential(exporter="ITA", year=YEAR, limit=100)
    top_seconds = time.perf_counter() - started
    started = time.perf_counter()
    warm = export_potential(exporter="DEU", year=YEAR)
    warm_seconds = time.perf_counter() - started
    cache = storage.markets_dir() / "cache"
    return {
        "cold_seconds": cold_seconds,
        "cold_cpu": cold_cpu,
        "top_seconds": top_seconds,
        "top_rows": len(top.rows),
        "warm_seconds": warm_seconds,
        "warm_rows": len(warm.rows),
        "cache_mib": sum(p.stat().st_size for p in cache.glob("*.parquet")) / 2**20,
        "peak_mib": peak_mib(),
        "notes": cold.basis.notes,
    }


def step_scan(parquet: str) -> dict:
    import duckdb

    con = duckdb.connect()
    threads = int(os.environ.get("GUICHET_MARKETS_THREADS", "2"))
    con.execute(f"SET threads = {threads}")
    started, cpu = time.perf_counter(), cpu_seconds()
    con.execute("SELECT count(*), sum(value) FROM read_parquet(?)", [parquet]).fetchone()
    return {
        "seconds": time.perf_counter() - started,
        "cpu": cpu_seconds() - cpu,
        "peak_mib": peak_mib(),
    }


def child(step: str, folder: Path, **extra) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--step", step, "--dir", str(folder)]
    for key, value in extra.items():
        command += [f"--{key}", str(value)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(  # noqa: S603 - this script, with arguments built here
        command, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise RuntimeError(f"markets potential benchmark step failed: {step}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run() -> None:
    scale = bench_scale()
    if scale <= 0:
        say("markets potential benchmark: skipped (GUICHET_BENCH_SCALE=0)")
        return
    rows = round(ROWS * scale)
    with tempfile.TemporaryDirectory(prefix="guichet-potential-") as tmp:
        folder = Path(tmp)
        made = child("generate", folder, rows=rows)
        say(
            f"markets potential: generated BACI-like year, {made['rows']:,} rows "
            f"({made['bytes'] / 2**20:,.0f} MiB CSV, {COUNTRIES} countries, {PRODUCTS:,} HS6) "
            f"in {made['seconds']:.1f} s"
        )
        loaded = child("load", folder, csv=made["csv"])
        scan = child("scan", folder, parquet=loaded["parquet"])
        floor, floor_cpu = scan["seconds"], max(scan["cpu"], 1e-3)
        say(
            f"markets DuckDB bare scan of the Parquet (count, sum): {floor:.3f} s "
            f"(CPU {scan['cpu']:.3f} s), peak {scan['peak_mib']:,.0f} MiB"
        )
        say(
            f"markets BACI load (load_trade, wet run, {loaded['rows']:,} rows, "
            f"{loaded['rejected']:,} rejected): {loaded['seconds']:.1f} s "
            f"(×{loaded['seconds'] / floor:,.0f} the scan; CPU {loaded['cpu']:.1f} s, "
            f"×{loaded['cpu'] / floor_cpu:,.0f}), peak {loaded['peak_mib']:,.0f} MiB "
            f"(×{loaded['peak_mib'] / scan['peak_mib']:.1f})"
        )
        pot = child("potential", folder)
        say(
            f"markets export potential, all exporters × markets × products, cold (cache "
            f"built, {pot['cache_mib']:,.0f} MiB): {pot['cold_seconds']:.1f} s "
            f"(×{pot['cold_seconds'] / floor:,.0f} the scan; CPU {pot['cold_cpu']:.1f} s, "
            f"×{pot['cold_cpu'] / floor_cpu:,.0f}), peak {pot['peak_mib']:,.0f} MiB "
            f"(×{pot['peak_mib'] / scan['peak_mib']:.1f})"
        )
        say(
            f"markets export potential, one exporter's top {pot['top_rows']} from the cache "
            f"(a page): {pot['top_seconds']:.2f} s (×{pot['top_seconds'] / floor:,.1f} the scan)"
        )
        say(
            f"markets export potential, one exporter's every row from the cache "
            f"({pot['warm_rows']:,} rows): {pot['warm_seconds']:.2f} s "
            f"(×{pot['warm_seconds'] / floor:,.1f} the scan)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description="Export potential benchmark.")
    parser.add_argument("--step", choices=["generate", "load", "scan", "potential"])
    parser.add_argument("--dir", type=Path)
    parser.add_argument("--rows", type=int)
    parser.add_argument("--csv")
    parser.add_argument("--parquet")
    args = parser.parse_args()
    if not args.step:
        run()
        return
    if args.step == "scan":
        result = step_scan(args.parquet)
    else:
        setup_django(args.dir)
        if args.step == "generate":
            result = step_generate(args.dir, args.rows)
        elif args.step == "load":
            result = step_load(args.dir, args.csv)
        else:
            result = step_potential()
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main()
