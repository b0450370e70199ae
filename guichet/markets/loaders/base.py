"""What every loader shares: the outcome, reading a CSV's header, running a DuckDB statement
with progress, the rejection report and the idempotency checksum.

A file is read once by DuckDB's CSV reader (every field as text) into a staged table whose
rows keep the file's order (rowid); validation is SQL over that table, so a 10-million-row
BACI year loads without a Python loop per row. Rows DuckDB cannot split into the header's
columns (wrong number of fields, broken quotes) come from its rejects table with their
physical line number. The report's line numbers count the header as line 1; blank lines are
skipped by the reader and not counted.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import re
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from guichet.markets import storage

Progress = Callable[[int, str], None] | None
SAMPLE_BYTES = 64 * 1024
REPORT_SAMPLE = 20


class LoadError(Exception):
    """A file that cannot be loaded at all (unreadable, unknown layout): French message."""


@dataclass
class LoadOutcome:
    dataset: object | None  # the (last) TradeDataset written or found; None in a dry run
    rows: int  # rows kept (written, or that a dry run would write)
    rejected: int
    report_path: Path | None
    messages: list[str] = field(default_factory=list)
    datasets: list = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    skipped: int = 0  # rows deliberately left out (imports, partner World, aggregates)
    value_total: float = 0.0
    unchanged: bool = False  # same file already loaded: nothing rewritten
    wet_run: bool = True
    rejected_sample: list[tuple[int, str, str]] = field(default_factory=list)


def report(progress: Progress, percent: int, message: str) -> None:
    if progress is not None:
        progress(max(0, min(100, int(percent))), message)


def normalise(name: str) -> str:
    """'Année ' -> 'annee', 'Trade Value (US$)' -> 'trade_value_us'."""
    text = unicodedata.normalize("NFKD", name.strip().lstrip("\ufeff"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


@dataclass
class CsvFile:
    path: Path
    columns: list[str]
    delimiter: str
    encoding: str  # as DuckDB names it: utf-8 or latin-1

    def find(self, *aliases: str) -> str | None:
        """The first column whose normalised name is one of the aliases (in alias order), as
        the SQL name the reader gives it (src_<n>)."""
        by_name: dict[str, str] = {}
        for index, column in enumerate(self.columns):
            by_name.setdefault(normalise(column), f"src_{index}")
        return next((by_name[a] for a in aliases if a in by_name), None)

    @property
    def names(self) -> list[str]:
        return [f"src_{index}" for index in range(len(self.columns))]

    def raw_sql(self) -> str:
        """SQL: the row's original fields joined by the file's delimiter (for the report)."""
        sep = self.delimiter.replace("'", "''")
        return (
            f"concat_ws('{sep}', " + ", ".join(f"coalesce({name}, '')" for name in self.names) + ")"
        )


def _head_bytes(path: Path) -> bytes:
    opener = gzip.open if path.suffix.lower() == ".gz" else open
    try:
        with opener(path, "rb") as handle:
            return handle.read(SAMPLE_BYTES)
    except (OSError, EOFError) as error:
        raise LoadError(f"Le fichier « {path.name} » est illisible : {error}.") from None


def open_csv(path: Path) -> CsvFile:
    """The header, delimiter and encoding of a CSV (or .csv.gz) file."""
    path = Path(path)
    if not path.is_file():
        raise LoadError(f"Le fichier « {path} » est introuvable.")
    head = _head_bytes(path)
    if b"\x00" in head:
        raise LoadError(f"Le fichier « {path.name} » n'est pas un fichier texte CSV.")
    try:
        text, encoding = head.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as error:
        if error.start < len(head) - 4:  # not a character cut by the sample's end
            text, encoding = head.decode("latin-1"), "latin-1"
        else:
            text, encoding = head[: error.start].decode("utf-8-sig"), "utf-8"
    first = text.splitlines()[0] if text.strip() else ""
    if not first:
        raise LoadError(f"Le fichier « {path.name} » est vide.")
    delimiter = max(",;\t|", key=first.count)
    columns = next(csv.reader([first], delimiter=delimiter))
    return CsvFile(path, [c.strip().lstrip("\ufeff") for c in columns], delimiter, encoding)


def read_csv_sql() -> str:
    """The reader every loader uses (parameters: csv_params): every field as text, columns
    named src_0, src_1… whatever the header says."""
    return (
        "read_csv(?, header = true, all_varchar = true, names = ?::VARCHAR[], delim = ?, "
        "quote = '\"', escape = '\"', encoding = ?, store_rejects = true)"
    )


def csv_params(source: CsvFile) -> list:
    return [str(source.path), source.names, source.delimiter, source.encoding]


def run_with_progress(con, sql: str, params, progress: Progress, lo: int, hi: int, label: str):
    """Execute a long statement while a thread turns DuckDB's query progress into lo..hi %."""
    if progress is None:
        return con.execute(sql, params)
    # DuckDB tracks a statement's progress only with its progress bar on (not printed).
    con.execute("SET enable_progress_bar = true")
    con.execute("SET enable_progress_bar_print = false")
    done = threading.Event()

    def watch():
        while not done.wait(0.5):
            try:
                fraction = con.query_progress()
            except Exception:
                return
            if fraction and fraction > 0:
                report(progress, lo + (hi - lo) * min(fraction, 100) / 100, label)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        return con.execute(sql, params)
    finally:
        done.set()
        watcher.join()


def file_checksum(path: Path, extra: Path | None = None) -> str:
    """SHA-256 of the file; with a country table, of both (the mapping changes the result)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    if extra is not None:
        digest.update(b"\x00countries\x00")
        digest.update(Path(extra).read_bytes())
    return digest.hexdigest()


def prepare_line_numbers(con) -> None:
    """Tables `malformed` (rows DuckDB could not split, with their physical line) and
    `malformed_pos` (how many data rows precede each), so that a staged row r (0-based,
    rowid) is on line r + 2 + count(malformed_pos.d <= r)."""
    con.execute(
        "CREATE TEMP TABLE malformed AS SELECT line, min(error_type) AS error_type, "
        "min(csv_line) AS csv_line FROM reject_errors GROUP BY line"
    )
    con.execute(
        "CREATE TEMP TABLE malformed_pos AS "
        "SELECT line - 1 - row_number() OVER (ORDER BY line) AS d FROM malformed"
    )


MALFORMED_REASONS = {
    "MISSING COLUMNS": "ligne incomplète : il manque des colonnes",
    "TOO MANY COLUMNS": "ligne avec trop de colonnes",
    "UNQUOTED VALUE": "guillemets mal placés",
    "LINE SIZE OVER MAXIMUM": "ligne trop longue",
    "INVALID ENCODING": "caractères illisibles (encodage)",
    "INVALID UNICODE": "caractères illisibles (encodage)",
}


REJECTED_ROWS_SQL = (
    "SELECT s.rowid + 2 + (SELECT count(*) FROM malformed_pos p WHERE p.d <= s.rowid) "
    "AS ligne, s.reason AS motif, s.raw AS contenu FROM staged s WHERE s.reason IS NOT NULL "
    "UNION ALL SELECT line AS ligne, coalesce(map_extract(MAP(?::VARCHAR[], ?::VARCHAR[]), "
    "error_type)[1], 'ligne illisible') AS motif, csv_line AS contenu FROM malformed"
)


def write_report(con, name: str, target: Path | None) -> tuple[int, Path | None, list]:
    """Count the rejected rows, keep the first ones for the summary and write them all to
    `target` (or reports/<name>.csv when target is "auto"); returns (count, path, sample)."""
    con.execute(
        "CREATE TEMP TABLE rejected AS " + REJECTED_ROWS_SQL,
        [list(MALFORMED_REASONS), list(MALFORMED_REASONS.values())],
    )
    count = con.execute("SELECT count(*) FROM rejected").fetchone()[0]
    sample = con.execute(
        "SELECT ligne, motif, contenu FROM rejected ORDER BY ligne LIMIT ?", [REPORT_SAMPLE]
    ).fetchall()
    if not count or target is None:
        return count, None, sample
    path = storage.report_path(name) if target == "auto" else Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    con.execute(
        f"COPY (SELECT ligne, motif, contenu FROM rejected ORDER BY ligne) "  # noqa: S608 - COPY needs a literal path
        f"TO {storage.sql_path(path)} (HEADER, DELIMITER ',')"
    )
    return count, path, sample


def copy_to_parquet(
    con, select_sql: str, params: list, target: Path, progress: Progress = None, span=(80, 98)
) -> None:
    """Write a query's rows to target atomically (a temporary file renamed over it)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    copy = f"COPY ({select_sql}) TO {storage.sql_path(partial)} (FORMAT PARQUET)"
    run_with_progress(con, copy, params, progress, span[0], span[1], "Écriture des données")
    partial.replace(target)
