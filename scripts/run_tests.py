"""`make test`: the whole suite on SQLite, then on PostgreSQL, then the browser tests.

PostgreSQL: uses TEST_DATABASE_URL when given, otherwise starts a throwaway cluster
(initdb/pg_ctl in a temporary directory, unix socket only) with the binaries found on the
machine, as the `postgres` system user when running as root. Browser tests use the system
Chromium (GUICHET_CHROMIUM, default /usr/bin/chromium).

A missing part is skipped with a plain message, unless GUICHET_TEST_REQUIRE_POSTGRES=1 or
GUICHET_TEST_REQUIRE_BROWSER=1 (set by .ci/run), which turn it into a failure.
"""

import glob
import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TEST_ENV = {
    "GUICHET_SECRET_KEY": "test-secret-key-not-for-production-0123456789",
    "GUICHET_SSL_REDIRECT": "0",
    "GUICHET_SECURE_COOKIES": "0",
    "GUICHET_STATIC_MANIFEST": "0",
    "GUICHET_TASKS_BACKEND": "immediate",
    "GUICHET_EMAIL_BACKEND": "locmem",
    "GUICHET_DEBUG": "0",
}


def say(message: str) -> None:
    print(f"\n=== {message}", flush=True)


def required(name: str) -> bool:
    return os.environ.get(name, "") in {"1", "true", "yes"}


def pytest(args: list[str], env: dict[str, str]) -> int:
    full_env = {**os.environ, **TEST_ENV, **env}
    full_env["PYTHONPATH"] = str(ROOT)
    command = [PYTHON, "-m", "pytest", *args]
    return subprocess.call(command, cwd=ROOT, env=full_env)


def postgres_bin_dir() -> Path | None:
    explicit = os.environ.get("GUICHET_PG_BIN")
    candidates = [explicit] if explicit else []
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(str(Path(initdb).parent))
    for candidate in candidates:
        if candidate and (Path(candidate) / "initdb").exists():
            return Path(candidate)
    return None


@contextmanager
def throwaway_postgres(bin_dir: Path):
    as_root = os.geteuid() == 0
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    base = Path(tempfile.mkdtemp(prefix="guichet-pg-"))
    data, sockets = base / "data", base / "run"
    sockets.mkdir()
    if as_root:
        shutil.chown(base, "postgres")
        shutil.chown(sockets, "postgres")
    base.chmod(0o755)
    sockets.chmod(0o777)
    run = lambda *cmd: subprocess.run([*prefix, *cmd], check=True, capture_output=True)  # noqa: E731
    try:
        run(
            str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"
        )
        options = f"-k {sockets} -c listen_addresses='' -F -c max_connections=50"
        log = base / "postgres.log"
        run(str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w", "start")
        yield f"postgres://postgres@/guichet?host={sockets}"
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(
                [*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                capture_output=True,
                check=False,
            )
        shutil.rmtree(base, ignore_errors=True)


def run_sqlite(extra: list[str]) -> int:
    say("Tests on SQLite")
    return pytest(["-m", "not browser", *extra], {"DATABASE_URL": "sqlite:///:memory:"})


def run_postgres(extra: list[str]) -> int:
    say("Tests on PostgreSQL")
    if url := os.environ.get("TEST_DATABASE_URL"):
        return pytest(["-m", "not browser", *extra], {"DATABASE_URL": url})
    bin_dir = postgres_bin_dir()
    if bin_dir is None:
        message = "PostgreSQL binaries (initdb, pg_ctl) not found: PostgreSQL tests skipped."
        if required("GUICHET_TEST_REQUIRE_POSTGRES"):
            print(f"FAILED: {message} (GUICHET_TEST_REQUIRE_POSTGRES=1)")
            return 1
        print(f"SKIPPED: {message} Install postgresql or set TEST_DATABASE_URL.")
        return 0
    with throwaway_postgres(bin_dir) as url:
        return pytest(["-m", "not browser", *extra], {"DATABASE_URL": url})


def run_browser(extra: list[str]) -> int:
    say("Browser tests (Chromium)")
    chromium = os.environ.get("GUICHET_CHROMIUM", "/usr/bin/chromium")
    if not Path(chromium).exists():
        message = f"Chromium not found at {chromium}: browser tests skipped."
        if required("GUICHET_TEST_REQUIRE_BROWSER"):
            print(f"FAILED: {message} (GUICHET_TEST_REQUIRE_BROWSER=1)")
            return 1
        print(f"SKIPPED: {message} Install Debian's chromium package.")
        return 0
    env = {
        "DATABASE_URL": "sqlite:///:memory:",
        "GUICHET_CHROMIUM": chromium,
        # Playwright's sync API runs an event loop in the test thread; the ORM calls made by
        # the test itself (creating users) are still synchronous.
        "DJANGO_ALLOW_ASYNC_UNSAFE": "true",
    }
    return pytest(["-m", "browser", "-p", "no:randomly", *extra], env)


def main() -> int:
    extra = sys.argv[1:]
    results = {
        "SQLite": run_sqlite(extra),
        "PostgreSQL": run_postgres(extra),
        "navigateur": run_browser(extra),
    }
    failed = [name for name, code in results.items() if code != 0]
    say("Summary: " + ", ".join(f"{n} {'OK' if c == 0 else 'FAILED'}" for n, c in results.items()))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
