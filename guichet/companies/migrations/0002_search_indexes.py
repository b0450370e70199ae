"""Search objects of the registry: pg_trgm + GIN index on PostgreSQL, FTS5 trigram table and its
sync triggers on SQLite (see guichet/companies/search/schema.py)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from guichet.companies.search import schema

    schema.install(schema_editor.connection)


def backwards(apps, schema_editor):
    from guichet.companies.search import schema

    schema.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("companies", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
