"""The default export-readiness questionnaire (guichet/diagnostics/questionnaire.py), loaded
as version 1 and published. Running it on a database that already has that version changes
nothing."""

from django.db import migrations

MODELS = ("Questionnaire", "QuestionnaireVersion", "Dimension", "Question", "Option")


def load(apps, schema_editor):
    from guichet.diagnostics.questionnaire import load_default

    load_default(models={name: apps.get_model("diagnostics", name) for name in MODELS})


class Migration(migrations.Migration):
    dependencies = [("diagnostics", "0003_diagnostic_company_submitted_at")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
