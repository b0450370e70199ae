"""The database objects behind the search: present after the migrations, removable and
re-creatable (migration 0002 is reversible), repaired when a table rebuild lost them."""

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from guichet.companies.models import Company
from guichet.companies.search import SearchFilters, schema, search_companies
from tests.companies.conftest import make_company

FILTER_INDEXES = {
    "companies_estab_region_company_idx",
    "companies_estab_dep_company_idx",
    "companies_estab_naf_company_idx",
}


def sqlite_objects() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE name LIKE 'companies_%%' "
            "AND type IN ('trigger', 'index', 'table')"
        )
        return {row[0] for row in cursor.fetchall()}


def postgres_indexes() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename LIKE 'companies_%%'")
        return {row[0] for row in cursor.fetchall()}


def search_objects() -> set[str]:
    if connection.vendor == "sqlite":
        return sqlite_objects() & {
            "companies_company_fts",
            "companies_company_fts_vocab",
            *schema.SQLITE_TRIGGERS,
            "companies_company_search_prefix_idx",
            "companies_company_name_idx",
            *FILTER_INDEXES,
        }
    return postgres_indexes() & {
        "companies_company_search_trgm_idx",
        "companies_company_search_prefix_idx",
        "companies_company_name_idx",
        "companies_company_naf_id_idx",
        *FILTER_INDEXES,
    }


EXPECTED = {
    "sqlite": 10,  # FTS table, vocabulary, 3 triggers, 5 indexes
    "postgresql": 7,  # trigram, prefix, name and 4 filter indexes
}


def test_the_migrations_leave_every_search_object_in_place(db):
    assert len(search_objects()) == EXPECTED[connection.vendor]


def test_migration_0002_is_reversible(db):
    migration = MigrationLoader(connection).get_migration("companies", "0002_search_indexes")
    assert all(operation.reversible for operation in migration.operations)
    schema.uninstall(connection)
    assert search_objects() == set()
    schema.install(connection)
    assert len(search_objects()) == EXPECTED[connection.vendor]


def test_install_indexes_the_companies_already_there(reference):
    schema.uninstall(connection)
    make_company("111111111", "FROMAGERIE DIJONNAISE DU CENTRE")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # PostgreSQL builds no index while the test's deferred FK checks are pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    schema.install(connection)
    found = search_companies(SearchFilters(q="fromagerie dijonaise"))
    assert [c.siren for c in found] == ["111111111"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite rebuilds tables")
def test_ensure_search_schema_repairs_what_a_table_rebuild_dropped(reference):
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER companies_company_fts_insert")
    make_company("121212121", "SCIERIE JURASSIENNE")  # written while the trigger is missing
    assert schema.ensure_search_schema(connection) is True
    assert len(search_objects()) == EXPECTED["sqlite"]
    assert [c.name for c in search_companies(SearchFilters(q="scierie jurasienne"))] == [
        "SCIERIE JURASSIENNE"
    ]
    assert schema.ensure_search_schema(connection) is False
    assert Company.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite rebuilds tables")
@pytest.mark.django_db
def test_migrate_puts_back_triggers_a_table_rebuild_dropped(reference):
    from django.core.management import call_command

    trigger = sorted(schema.SQLITE_TRIGGERS)[0]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {trigger}")
    make_company("552100554", "TUILERIE DE BOURGOGNE")

    call_command("migrate", verbosity=0)

    assert trigger in sqlite_objects()
    found = search_companies(SearchFilters(q="tuilerie"))
    assert [c.name for c in found] == ["TUILERIE DE BOURGOGNE"]
