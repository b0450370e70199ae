"""The desk's service levels exist from the start (one row, the defaults of issue 4), so that
reading them never writes."""

from django.db import migrations


def create(apps, schema_editor):
    apps.get_model("desk", "DeskPolicy").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("desk", "0002_seed_subjects")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
