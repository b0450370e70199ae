"""The database objects behind the registry search, one set per engine.

PostgreSQL: the pg_trgm extension, a GIN trigram index on `search_text` (typo-tolerant name
search), a byte-ordered index on `search_text` for the prefix search of 1–2 character queries,
an index on `name` (the default order of a filtered list), and covering indexes for the
filters' semi-joins.

SQLite: an FTS5 table with the trigram tokenizer over `search_text` (external content: it
stores only the index), kept in sync by triggers on `companies_company`. Triggers rather than
Django signals because the SIRENE import writes with `executemany` and `INSERT … ON CONFLICT DO
UPDATE`, which no signal sees; SQLite fires row triggers for both (an upsert's update fires the
UPDATE trigger). A `fts5vocab` table exposes how many companies hold each trigram, so that a
typo-tolerant query asks only for its rarest trigrams.

These objects are not part of Django's model state (an index on a function of the column or a
virtual table cannot be declared on both engines), so a later migration that makes SQLite
rebuild `companies_company` (some `AlterField`s do) drops the triggers and indexes:
`ensure_search_schema()` re-creates whatever is missing, and a test checks they exist after all
migrations. Changes to this DDL ship in a new migration that calls new functions.
"""

FTS_TABLE = "companies_company_fts"
VOCAB_TABLE = "companies_company_fts_vocab"

# Covering indexes of the filters' semi-joins ("the companies with an establishment in région
# 27", "… with this NAF code"): answered from the index alone, without reading the rows.
_FILTER_INDEXES = {
    "companies_estab_region_company_idx": "companies_establishment (region_id, company_id)",
    "companies_estab_dep_company_idx": "companies_establishment (departement_id, company_id)",
    "companies_estab_naf_company_idx": "companies_establishment (naf_id, company_id)",
}
# SQLite indexes end with the rowid already.
_POSTGRES_FILTER_INDEXES = {
    **_FILTER_INDEXES,
    "companies_company_naf_id_idx": "companies_company (naf_id, id)",
}


def _create_indexes(indexes: dict[str, str]) -> list[str]:
    return [f"CREATE INDEX IF NOT EXISTS {name} ON {target}" for name, target in indexes.items()]


def _drop_indexes(indexes: dict[str, str]) -> list[str]:
    return [f"DROP INDEX IF EXISTS {name}" for name in indexes]


_POSTGRES_INSTALL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS companies_company_search_trgm_idx "
    "ON companies_company USING gin (search_text gin_trgm_ops)",
    # Byte order: serves both `LIKE 'ab%'` and the order of the prefix list.
    "CREATE INDEX IF NOT EXISTS companies_company_search_prefix_idx "
    'ON companies_company ((search_text COLLATE "C"))',
    "CREATE INDEX IF NOT EXISTS companies_company_name_idx ON companies_company (name)",
    *_create_indexes(_POSTGRES_FILTER_INDEXES),
]
_POSTGRES_UNINSTALL = [
    *_drop_indexes(_POSTGRES_FILTER_INDEXES),
    "DROP INDEX IF EXISTS companies_company_search_trgm_idx",
    "DROP INDEX IF EXISTS companies_company_search_prefix_idx",
    "DROP INDEX IF EXISTS companies_company_name_idx",
    # The extension stays: other objects may use it, and dropping it needs more rights.
]

_SQLITE_TABLES = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "search_text, content='companies_company', content_rowid='id', tokenize='trigram')",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {VOCAB_TABLE} USING fts5vocab({FTS_TABLE}, row)",
]
_SQLITE_INDEXES = [
    "CREATE INDEX IF NOT EXISTS companies_company_search_prefix_idx "
    "ON companies_company (search_text)",
    "CREATE INDEX IF NOT EXISTS companies_company_name_idx ON companies_company (name)",
    *_create_indexes(_FILTER_INDEXES),
]
_FTS_DELETE = (
    "INSERT INTO companies_company_fts(companies_company_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text);"
)
_FTS_INSERT = (
    "INSERT INTO companies_company_fts(rowid, search_text) VALUES (new.id, new.search_text);"
)
_FTS_REBUILD = "INSERT INTO companies_company_fts(companies_company_fts) VALUES ('rebuild')"
SQLITE_TRIGGERS = {
    "companies_company_fts_insert": (f"AFTER INSERT ON companies_company BEGIN {_FTS_INSERT} END"),
    "companies_company_fts_delete": (f"AFTER DELETE ON companies_company BEGIN {_FTS_DELETE} END"),
    "companies_company_fts_update": (
        "AFTER UPDATE OF id, search_text ON companies_company "
        "WHEN old.search_text IS NOT new.search_text OR old.id IS NOT new.id "
        f"BEGIN {_FTS_DELETE} {_FTS_INSERT} END"
    ),
}
_SQLITE_UNINSTALL = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS),
    f"DROP TABLE IF EXISTS {VOCAB_TABLE}",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
    "DROP INDEX IF EXISTS companies_company_search_prefix_idx",
    "DROP INDEX IF EXISTS companies_company_name_idx",
    *_drop_indexes(_FILTER_INDEXES),
]


def _execute(connection, statements) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _sqlite_triggers_present(connection) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
            ["companies_company"],
        )
        return {row[0] for row in cursor.fetchall()}


def install(connection) -> None:
    """Create the search objects of the connection's engine and index the existing rows."""
    if connection.vendor == "postgresql":
        _execute(connection, _POSTGRES_INSTALL)
    elif connection.vendor == "sqlite":
        _execute(connection, _SQLITE_TABLES + _SQLITE_INDEXES)
        _execute(connection, [f"CREATE TRIGGER {n} {body}" for n, body in SQLITE_TRIGGERS.items()])
        _execute(connection, [_FTS_REBUILD])


def uninstall(connection) -> None:
    if connection.vendor == "postgresql":
        _execute(connection, _POSTGRES_UNINSTALL)
    elif connection.vendor == "sqlite":
        _execute(connection, _SQLITE_UNINSTALL)


def ensure_search_schema(connection) -> bool:
    """Re-create missing search objects (after a table rebuild on SQLite); True if it did.

    Rebuilds the FTS index when a trigger was missing: rows may have changed meanwhile."""
    if connection.vendor == "postgresql":
        _execute(connection, _POSTGRES_INSTALL)
        return False
    if connection.vendor != "sqlite":
        return False
    missing = set(SQLITE_TRIGGERS) - _sqlite_triggers_present(connection)
    _execute(connection, _SQLITE_TABLES + _SQLITE_INDEXES)
    if not missing:
        return False
    _execute(connection, [f"CREATE TRIGGER {n} {SQLITE_TRIGGERS[n]}" for n in sorted(missing)])
    _execute(connection, [_FTS_REBUILD])
    return True
