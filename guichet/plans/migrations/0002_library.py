"""Install the indicator library (ARRICOD's impact and internationalisation indicators, the
export plans' activity indicators) so that every region can pick from it, not only the demo.

Idempotent: entries are matched on (family, name), created when missing and brought up to date
otherwise. When guichet/plans/library_data.py changes, a new migration calling `install` again
delivers the change to existing databases.
"""

from django.db import migrations


def install(apps, schema_editor):
    from guichet.plans.library_data import install as install_entries

    install_entries(apps.get_model("plans", "LibraryEntry"))


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
