"""Registry benchmark (issue 3): the SIRENE import on SQLite and PostgreSQL, against the time
DuckDB takes to read and filter the same files, and the search latency on the result.

`run()` (called by bench/run.py) generates the stock files once (cached in var/bench/ by size
and seed), measures the DuckDB floor, then starts `python bench/registry.py --database-url URL
--files DIR` for each database: Django reads DATABASE_URL when its settings are imported, so
each database gets its own process. That process imports the default région alone, then every
région (the whole file), then the whole file again (nothing may change), each import in a child
process (`--step import`) whose peak RSS is the import's own; then it times 200 searches.

GUICHET_BENCH_SCALE scales the 1,000,000 establishments / 600,000 legal units (0.1 for a quick
run; 0 skips this benchmark). One printed line per figure.
"""

import argparse
import io
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.sirene_generator import (  # noqa: E402
    ETABLISSEMENTS_FILE,
    MANIFEST_FILE,
    UNITES_LEGALES_FILE,
    generate,
)
from guichet.reference.facts import DEPARTEMENTS, REGIONS  # noqa: E402

CACHE_DIR = ROOT / "var" / "bench"
ESTABLISHMENTS, UNITS, BAD_ROWS, SEED = 1_000_000, 600_000, 100, 2024
SEARCH_QUERIES, PAGE_SIZE = 200, 25
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


def default_region() -> str:
    """The région the platform imports by default (settings.GUICHET_REGION, read the same way)."""
    return os.environ.get("GUICHET_REGION", "27")


def region_departements(region: str | None) -> list[str]:
    """The départements of one région, or of all of them (None)."""
    return sorted(d for d, (_n, r) in DEPARTEMENTS.items() if region is None or r == region)


# --- files and the DuckDB floor (no Django) ------------------------------------------------------


def stock_files(establishments: int, units: int) -> Path:
    """The generated stock, reused when a previous run wrote it completely (manifest last)."""
    out = CACHE_DIR / f"sirene-{establishments}-{units}-seed{SEED}-bad{BAD_ROWS}"
    label = f"{establishments:,} establishments, {units:,} legal units"
    if (out / MANIFEST_FILE).exists():
        say(f"registry stock files ({label}): reused from {out.relative_to(ROOT)}")
        return out
    manifest = generate(
        out, etablissements=establishments, unites_legales=units, seed=SEED, bad_rows=BAD_ROWS
    )
    rate = (establishments + units) / manifest["seconds"]
    seconds = manifest["seconds"]
    say(f"registry stock files ({label}): generated in {seconds:.1f} s, {rate:,.0f} rows/s")
    return out


def duckdb_floor(files: Path, departements: list[str]) -> tuple[float, int, int]:
    """Seconds for DuckDB to read both CSV files and select what the import keeps: the
    establishments of the territory, the headquarters of their units wherever they are, and
    those units. Returns (seconds, establishments, units)."""
    import duckdb

    options = (
        "header=true, delim=',', quote='\"', escape='\"', all_varchar=true, ignore_errors=true"
    )
    estab = f"read_csv('{files / ETABLISSEMENTS_FILE}', {options})"
    units = f"read_csv('{files / UNITES_LEGALES_FILE}', {options})"
    commune = "codeCommuneEtablissement"
    # Our own file paths and column names in the SQL text: no user input.
    query = f"""
        WITH e AS MATERIALIZED (
            SELECT siren, etablissementSiege AS hq,
                   CASE WHEN {commune} LIKE '97%' THEN substr({commune}, 1, 3)
                        ELSE substr({commune}, 1, 2) END AS dep
            FROM {estab}),
        chosen AS (SELECT DISTINCT siren FROM e WHERE dep IN (SELECT dep FROM deps))
        SELECT
            (SELECT count(*) FROM e WHERE dep IN (SELECT dep FROM deps)
                OR (hq = 'true' AND siren IN (SELECT siren FROM chosen))),
            (SELECT count(*) FROM {units} WHERE siren IN (SELECT siren FROM chosen))
    """  # noqa: S608
    connection = duckdb.connect()
    connection.execute(
        "CREATE TEMP TABLE deps AS SELECT unnest(?::VARCHAR[]) AS dep", [departements]
    )
    started = time.perf_counter()
    kept_establishments, kept_units = connection.execute(query).fetchone()
    seconds = time.perf_counter() - started
    connection.close()
    return seconds, kept_establishments, kept_units


# --- one database (a process of its own) ---------------------------------------------------------


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    for key, value in ENV_DEFAULTS.items():
        os.environ.setdefault(key, value)
    import django

    django.setup()


def child(args: list[str], database_url: str) -> dict:
    """Run a step of this script in a child process; its last output line is its JSON result."""
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, str(Path(__file__).resolve()), "--database-url", database_url]
    done = subprocess.run(  # noqa: S603 - this script, with arguments built here
        [*command, *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise RuntimeError(f"registry benchmark step failed: {' '.join(args)}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def step_import(files: Path, regions: list[str], profile: Path | None) -> None:
    """Child process: one wet-run import; prints the report, the time and this process's peak
    resident memory (which includes Django itself, as a real import does)."""
    from guichet.companies.sirene import run_import
    from guichet.companies.sirene.runner import PHASES

    phases: dict[str, float] = {}  # phase → when it started

    def on_progress(progress) -> None:
        phases.setdefault(progress.phase, time.perf_counter())

    def work() -> dict:
        return run_import(
            unites_legales=files / UNITES_LEGALES_FILE,
            etablissements=files / ETABLISSEMENTS_FILE,
            regions=regions,
            wet_run=True,
            progress=on_progress,
        )

    started = time.perf_counter()
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        report = profiler.runcall(work)
        profiler.dump_stats(profile)
    else:
        report = work()
    report["rejected"] = len(report.get("rejected", []))
    marks = sorted(phases.items(), key=lambda item: item[1])
    ends = [when for _phase, when in marks[1:]] + [time.perf_counter()]
    names = {label: key for key, label in PHASES.items()}
    report["phases"] = {
        names.get(phase, "finish"): end - when
        for (phase, when), end in zip(marks, ends, strict=True)
    }
    report["wall_seconds"] = time.perf_counter() - started
    report["peak_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps(report, default=str))


def wipe_registry() -> None:
    """Empty the registry (portable SQL: a Django delete() would load every row to cascade)."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM companies_establishment")
        cursor.execute("DELETE FROM companies_company")


def prepare_database() -> str:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0, stdout=io.StringIO())
    wipe_registry()
    return engine_label()


def engine_label() -> str:
    from django.db import connection

    names = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
    return names.get(connection.vendor, connection.vendor)


def import_line(engine: str, scope: str, result: dict, floor: float | None) -> str:
    read = result["read"]
    rows = read["unites_legales"] + read["etablissements"]
    seconds = result["seconds"]
    kept = {k: result["created"][k] + result["updated"][k] + result["unchanged"][k] for k in read}
    ratio = f", {seconds / floor:.1f}× DuckDB floor" if floor else ""
    return (
        f"registry import ({engine}, {scope}, {rows:,} rows read, "
        f"{kept['unites_legales']:,} companies and {kept['etablissements']:,} establishments "
        f"kept, {result['rejected']} rejected): {seconds:.1f} s, {rows / seconds:,.0f} rows/s, "
        f"peak {result['peak_kib'] / 1024:,.0f} MiB{ratio}"
    )


def database_bench(url: str, files: Path, floors: dict[str, float], profile_dir: Path | None):
    """Every figure of one database, printed as it comes."""
    from django.db import connections

    engine = prepare_database()
    connections.close_all()
    region = default_region()
    runs = [
        ("region", f"région {region}", [region]),
        ("all", "all régions", sorted(REGIONS)),
        ("again", "all régions again", sorted(REGIONS)),
    ]
    for key, scope, regions in runs:
        if key == "all":
            wipe_registry()
            connections.close_all()
        args = ["--step", "import", "--files", str(files), "--regions", ",".join(regions)]
        if profile_dir:
            args += ["--profile", str(profile_dir / f"import-{engine}-{key}.prof")]
        result = child(args, url)
        if key == "again":
            changed = sum(result["created"].values()) + sum(result["updated"].values())
            unchanged = sum(result["unchanged"].values())
            say(
                f"registry re-import of the same files ({engine}, all régions): "
                f"{result['seconds']:.1f} s, {changed:,} rows changed, {unchanged:,} unchanged, "
                f"{result['seconds'] / floors['all']:.1f}× DuckDB floor"
            )
        else:
            say(import_line(engine, scope, result, floors.get(key)))
        timing = ", ".join(f"{p} {s:.1f} s" for p, s in result["phases"].items() if s >= 0.05)
        say(f"registry import phases ({engine}, {scope}): {timing}")
    search_bench(engine)


# --- search latency ------------------------------------------------------------------------------


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def with_typo(rnd: random.Random, name: str) -> str:
    """One letter dropped or two swapped in the longest word: what people type in a hurry."""
    words = name.split()
    i = max(range(len(words)), key=lambda k: len(words[k]))
    word = words[i]
    if len(word) < 5:
        return name
    at = rnd.randrange(1, len(word) - 2)
    if rnd.random() < 0.5:
        words[i] = word[:at] + word[at + 1 :]
    else:
        words[i] = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    return " ".join(words)


def without_a_word(rnd: random.Random, name: str) -> str:
    words = name.split()
    if len(words) < 3:
        return name
    del words[rnd.randrange(len(words))]
    return " ".join(words)


def search_cases() -> list[tuple[str, object]]:
    """200 searches built from the imported registry (fixed seed): names with a typo, with a
    missing word, typed without accents or in lower case, SIREN with spaces, SIRET, common
    words, filters alone and names with a filter."""
    from django.db.models import Max, Min

    from guichet.companies.models import Company, Establishment, Filiere
    from guichet.companies.search import SearchFilters

    rnd = random.Random(SEED)
    bounds = Company.objects.aggregate(low=Min("pk"), high=Max("pk"))
    ids = range(bounds["low"] or 0, (bounds["high"] or -1) + 1)
    picked = list(
        Company.objects.filter(pk__in=rnd.sample(ids, min(len(ids), 600)))
        .exclude(name="")
        .order_by("pk")
        .values("name", "siren", "headquarters_siret", "size_category")
    )
    hq_departement = dict(
        Establishment.objects.filter(
            siret__in=[c["headquarters_siret"] for c in picked]
        ).values_list("siret", "departement_id")
    )
    sirets = list(
        Establishment.objects.filter(company__siren__in=[c["siren"] for c in picked[:60]])
        .order_by("siret")
        .values_list("siret", flat=True)[:25]
    )
    filieres = list(Filiere.objects.order_by("slug").values_list("slug", flat=True))
    deps = region_departements(None)
    words = ("boulangerie", "transports", "menuiserie", "conseil", "sci", "garage", "hôtel")
    cases: list[tuple[str, SearchFilters]] = []
    for n in range(25):
        company = picked[n]
        name = company["name"]
        siren = company["siren"]
        dep = hq_departement.get(company["headquarters_siret"]) or rnd.choice(deps)
        multi = next(
            (c["name"] for c in picked[100 + n * 3 :] if len(c["name"].split()) >= 3), name
        )
        accented = next(
            (c["name"] for c in picked[200 + n * 4 :] if c["name"] != strip_accents(c["name"])),
            name,
        )
        cases += [
            ("typo", SearchFilters(q=with_typo(rnd, name))),
            ("missing word", SearchFilters(q=without_a_word(rnd, multi))),
            ("accents", SearchFilters(q=strip_accents(accented).lower())),
            ("siren", SearchFilters(q=f"{siren[:3]} {siren[3:6]} {siren[6:]}")),
            ("siret", SearchFilters(q=sirets[n % len(sirets)] if sirets else siren)),
            ("common word", SearchFilters(q=words[n % len(words)])),
            ("filter only", filter_only(rnd, n, deps, filieres)),
            ("name + filter", SearchFilters(q=name.split()[0], departement=dep)),
        ]
    return cases


def filter_only(rnd: random.Random, n: int, deps: list[str], filieres: list[str]):
    from guichet.companies.search import SearchFilters

    choices = [
        SearchFilters(departement=rnd.choice(deps)),
        SearchFilters(naf=rnd.choice(["10", "43", "56", "62", "68", "C", "47.11B"])),
        SearchFilters(size=rnd.choice(["TPE", "PME", "ETI", "GE"])),
        SearchFilters(region=rnd.choice(sorted(REGIONS)), active_only=True),
        SearchFilters(departement=rnd.choice(deps), naf="43", size="PME"),
    ]
    if filieres:
        choices.append(SearchFilters(filiere=rnd.choice(filieres)))
    return choices[n % len(choices)]


def search_bench(engine: str) -> None:
    """Each search as the list page does it: the count, then the first page of 25."""
    from guichet.companies.search import search_companies
    from guichet.companies.search.listing import CappedPaginator, with_headquarters

    cases = search_cases()
    for _kind, filters in cases[:8]:  # warm the connection and the caches of the planner
        list(search_companies(filters)[:PAGE_SIZE])
    timings: dict[str, list[float]] = {}
    measured: list[tuple[float, str]] = []
    for kind, filters in cases:
        started = time.perf_counter()
        page = CappedPaginator(with_headquarters(search_companies(filters)), PAGE_SIZE)
        list(page.get_page(1))  # the count (capped as on the page), then the first 25 rows
        elapsed = (time.perf_counter() - started) * 1000
        timings.setdefault(kind, []).append(elapsed)
        measured.append((elapsed, describe(filters)))
    every = sorted(t for values in timings.values() for t in values)
    say(
        f"registry search ({engine}, {len(every)} queries, count + first page of {PAGE_SIZE}): "
        f"p50 {percentile(every, 50):.1f} ms, p95 {percentile(every, 95):.1f} ms, "
        f"max {every[-1]:.1f} ms"
    )
    slowest = sorted(timings.items(), key=lambda item: -percentile(sorted(item[1]), 95))
    detail = ", ".join(f"{k} {percentile(sorted(v), 95):.0f}" for k, v in slowest)
    say(f"registry search p95 by kind ({engine}, ms): {detail}")
    worst = "; ".join(f"{what} {ms:.0f}" for ms, what in sorted(measured, reverse=True)[:3])
    say(f"registry search slowest ({engine}, ms): {worst}")


def describe(filters) -> str:
    """The non-empty fields of a search, e.g. `q='garage' departement=21`."""
    from dataclasses import fields

    parts = [(f.name, getattr(filters, f.name)) for f in fields(filters)]
    return " ".join(f"{name}={value!r}" for name, value in parts if value)


def percentile(ordered: list[float], pct: int) -> float:
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[pct - 1]


# --- orchestration -------------------------------------------------------------------------------


def bench_scale() -> float:
    try:
        return float(os.environ.get("GUICHET_BENCH_SCALE", "1"))
    except ValueError:
        raise SystemExit("GUICHET_BENCH_SCALE must be a number, e.g. 0.1") from None


def run_database(url: str, files: Path, floors: dict[str, float]) -> None:
    command = [sys.executable, str(Path(__file__).resolve()), "--database-url", url]
    command += ["--files", str(files), "--floors", json.dumps(floors)]
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    if subprocess.call(command, env=env) != 0:  # noqa: S603 - this script again
        say(f"registry benchmark failed on {url.split(':')[0]}")


def run() -> None:
    """Every figure of the registry benchmark, on SQLite then PostgreSQL."""
    from bench.pg import benchmark_postgres

    scale = bench_scale()
    if scale <= 0:
        say("registry benchmark: skipped (GUICHET_BENCH_SCALE=0)")
        return
    files = stock_files(round(ESTABLISHMENTS * scale), round(UNITS * scale))
    floors = {}
    for key, region in (("region", default_region()), ("all", None)):
        seconds, estabs, units = duckdb_floor(files, region_departements(region))
        floors[key] = seconds
        scope = f"région {region}" if region else "all régions"
        say(
            f"registry DuckDB floor (read_csv + filter, {scope}: {estabs:,} establishments, "
            f"{units:,} legal units): {seconds:.2f} s"
        )
    sqlite = CACHE_DIR / "registry.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{sqlite}{suffix}").unlink(missing_ok=True)
    run_database(f"sqlite:///{sqlite}", files, floors)
    with benchmark_postgres() as url:
        if url is None:
            say("registry on PostgreSQL: skipped (no initdb/pg_ctl nor BENCH_DATABASE_URL)")
        else:
            run_database(url, files, floors)


def main() -> None:
    parser = argparse.ArgumentParser(description="Registry benchmark (one database).")
    parser.add_argument("--database-url")
    parser.add_argument("--files", type=Path)
    parser.add_argument("--floors", default="{}", help="DuckDB floors in seconds, JSON")
    parser.add_argument("--step", choices=["import", "search"])
    parser.add_argument("--regions", default="")
    parser.add_argument("--profile", type=Path, help="write a cProfile dump of the import")
    parser.add_argument("--profile-dir", type=Path, help="profile every import into this folder")
    args = parser.parse_args()
    if not args.database_url:
        run()
        return
    setup_django(args.database_url)
    if args.step == "import":
        step_import(args.files, [r for r in args.regions.split(",") if r], args.profile)
        return
    if args.step == "search":  # on a registry imported before
        search_bench(engine_label())
        return
    floors = json.loads(args.floors)
    for key, region in (("region", default_region()), ("all", None)):
        if key not in floors:
            floors[key] = duckdb_floor(args.files, region_departements(region))[0]
    database_bench(args.database_url, args.files, floors, args.profile_dir)


if __name__ == "__main__":
    main()
