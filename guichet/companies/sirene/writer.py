"""Set-based reads and upserts of companies and establishments, one batch at a time.

`upsert_rows` is the one write path of the import, with one implementation per engine:
- PostgreSQL: COPY the batch into a temporary table, then one
  `INSERT … SELECT … ON CONFLICT (key) DO UPDATE` (COPY is the fastest way in);
- SQLite: one `executemany` of `INSERT … ON CONFLICT (key) DO UPDATE`.
Only SIRENE columns are updated on conflict: what the platform owns (the company's export
status, its export facts and contacts, which live in other tables) is never written. Neither
path sends model signals, so no audit event is written per row (the registry models are not
audited: SIRENE is public data).
"""

import json
import queue
import threading
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import NamedTuple

from django.db import connection, models, transaction
from django.utils import timezone

from guichet.companies.models import Company, Establishment

# Columns a new row needs besides the SIRENE ones (platform-owned: never updated afterwards).
_INSERT_ONLY = {Company: {"export_status": ""}, Establishment: {}}


class Existing(NamedTuple):
    id: int
    digest: str
    is_active: bool


def existing_rows(model: type[models.Model], key: str, keys: Sequence[str]) -> dict[str, Existing]:
    """{key: (id, digest, is_active)} of the rows of `model` whose `key` is in `keys`."""
    if not keys:
        return {}
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(key)
    # Identifiers come from the model's metadata, values are bound parameters.
    select = f"SELECT {column}, id, sirene_digest, is_active FROM {table} WHERE {column}"  # noqa: S608
    if connection.vendor == "postgresql":
        # One text parameter: much cheaper to send than an array of thousands of values.
        sql, params = f"{select} = ANY(string_to_array(%s, ','))", [",".join(keys)]
    else:
        sql = f"{select} IN (SELECT value FROM json_each(%s))"  # noqa: S608
        params = [json.dumps(list(keys))]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0]: Existing(row[1], row[2], bool(row[3])) for row in cursor.fetchall()}


def company_ids(sirens: Iterable[str]) -> dict[str, int]:
    return {siren: row.id for siren, row in existing_rows(Company, "siren", list(sirens)).items()}


def upsert_rows(
    model: type[models.Model],
    *,
    key: str,
    columns: Sequence[str],
    rows: Sequence[tuple],
    now: datetime,
) -> None:
    """Insert the rows, or update the SIRENE columns of those whose `key` already exists.

    Must run inside a transaction (one per batch). Rows hold `columns` in order; a key appears
    once per batch.
    """
    if not rows:
        return
    if not connection.in_atomic_block:
        raise RuntimeError("upsert_rows runs inside transaction.atomic()")
    if connection.vendor == "postgresql":
        _upsert_postgresql(model, key=key, columns=columns, rows=rows, now=now)
    else:
        _upsert_sqlite(model, key=key, columns=columns, rows=rows, now=now)


def _names(columns: Iterable[str]) -> str:
    return ", ".join(connection.ops.quote_name(c) for c in columns)


def _conflict_clause(key: str, columns: Sequence[str]) -> str:
    quote = connection.ops.quote_name
    updates = [f"{quote(c)} = EXCLUDED.{quote(c)}" for c in (*columns, "updated_at") if c != key]
    return f"ON CONFLICT ({quote(key)}) DO UPDATE SET {', '.join(updates)}"


def _upsert_postgresql(model, *, key, columns, rows, now) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    extra = _INSERT_ONLY[model]
    stage = "sirene_import_stage"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {stage}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {stage} ON COMMIT DROP AS "  # noqa: S608
            f"SELECT {_names(columns)} FROM {table} WITH NO DATA"
        )
        with cursor.copy(f"COPY {stage} ({_names(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        targets = _names((*columns, *extra, "created_at", "updated_at"))
        constants = "".join(", %s" for _ in extra)
        cursor.execute(
            f"INSERT INTO {table} ({targets}) "  # noqa: S608
            f"SELECT {_names(columns)}{constants}, %s, %s FROM {stage} "
            f"{_conflict_clause(key, columns)}",
            [*extra.values(), now, now],
        )


def _upsert_sqlite(model, *, key, columns, rows, now) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    extra = _INSERT_ONLY[model]
    targets = (*columns, *extra, "created_at", "updated_at")
    placeholders = ", ".join("%s" for _ in targets)
    sql = (
        f"INSERT INTO {table} ({_names(targets)}) VALUES ({placeholders}) "  # noqa: S608
        f"{_conflict_clause(key, columns)}"
    )
    tail = (*extra.values(), _adapt(now), _adapt(now))
    with connection.cursor() as cursor:
        cursor.executemany(sql, [tuple(map(_adapt, row)) + tail for row in rows])


def _adapt(value):
    """Dates and times as Django stores them on SQLite (ISO text, times in UTC)."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return connection.ops.adapt_datefield_value(value)
    return value


class BatchWriter:
    """Writes the batches of an import, one transaction each.

    In a wet run started outside any transaction (the command, the background task), the
    writes go to a second thread with its own database connection: the database writes one
    batch (indexes, foreign-key checks) while Python reads and maps the next. The queue holds
    at most two batches, so memory stays bounded. Inside a transaction (tests, or a caller's
    own atomic block) everything runs in the caller's thread and transaction.
    """

    def __init__(self, *, threaded: bool):
        self.threaded = threaded
        self.error: BaseException | None = None
        self.jobs: queue.Queue = queue.Queue(maxsize=2)
        self.thread: threading.Thread | None = None
        if threaded:
            self.thread = threading.Thread(target=self._work, name="sirene-writer", daemon=True)
            self.thread.start()

    @classmethod
    def for_run(cls, *, wet_run: bool) -> "BatchWriter":
        # An in-memory SQLite database shares its cache between connections with table locks
        # that do not wait: keep its writes in the reading thread.
        in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
        return cls(threaded=wet_run and not connection.in_atomic_block and not in_memory)

    def write(self, model, *, key: str, columns: Sequence[str], rows: Sequence[tuple]) -> None:
        if not rows:
            return
        if not self.threaded:
            with transaction.atomic():
                upsert_rows(model, key=key, columns=columns, rows=rows, now=timezone.now())
            return
        self._raise_error()
        self.jobs.put((model, key, columns, rows))

    def drain(self) -> None:
        """Wait until every batch given so far is committed."""
        if self.threaded:
            self.jobs.join()
            self._raise_error()

    def close(self) -> None:
        if self.thread is not None:
            self.jobs.put(None)
            self.thread.join()
            self.thread = None
        self._raise_error()

    def _raise_error(self) -> None:
        if self.error is not None:
            error, self.error = self.error, None
            raise error

    def _work(self) -> None:
        try:
            while (job := self.jobs.get()) is not None:
                try:
                    if self.error is None:
                        model, key, columns, rows = job
                        with transaction.atomic():
                            upsert_rows(
                                model, key=key, columns=columns, rows=rows, now=timezone.now()
                            )
                except BaseException as error:  # handed over to the reading thread
                    self.error = error
                finally:
                    self.jobs.task_done()
            self.jobs.task_done()
        finally:
            connection.close()  # this thread's own connection
