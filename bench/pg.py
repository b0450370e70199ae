"""A throwaway PostgreSQL server for the benchmarks, started the way `make test` starts one.

`postgres_bin_dir` and `throwaway_postgres` are those of scripts/run_tests.py, loaded by path
(scripts/ is not a package): initdb + pg_ctl in a temporary directory, unix socket only, as the
`postgres` system user when running as root. That cluster runs with fsync off (`-F`), as the
test runner wants; a bulk import commits once per batch, so the figures differ little from a
production server's, but they are not a durability benchmark.

BENCH_DATABASE_URL points the benchmarks at an existing server instead (its database must be
empty or disposable: the registry benchmark wipes the registry tables).
"""

import importlib.util
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlparse

ROOT = Path(__file__).resolve().parent.parent


def _run_tests_module():
    spec = importlib.util.spec_from_file_location(
        "guichet_run_tests", ROOT / "scripts" / "run_tests.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_run_tests = _run_tests_module()
postgres_bin_dir = _run_tests.postgres_bin_dir
throwaway_postgres = _run_tests.throwaway_postgres


def create_database(url: str) -> None:
    """Create the database named in `url` (a fresh cluster only has `postgres`)."""
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    host = parse_qs(parsed.query).get("host", [parsed.hostname or ""])[0]
    with psycopg.connect(
        dbname="postgres", user=parsed.username or "postgres", host=host, autocommit=True
    ) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')


@contextmanager
def benchmark_postgres() -> Iterator[str | None]:
    """Yields the DATABASE_URL of an empty PostgreSQL database, or None when there is no
    PostgreSQL to run (no BENCH_DATABASE_URL and no initdb/pg_ctl on the machine)."""
    if url := os.environ.get("BENCH_DATABASE_URL"):
        yield url
        return
    bin_dir = postgres_bin_dir()
    if bin_dir is None:
        yield None
        return
    with throwaway_postgres(bin_dir) as url:
        create_database(url)
        yield url
