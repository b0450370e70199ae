"""Background tasks of the company registry (django-tasks: database backend in production,
run immediately in tests)."""

from django_tasks import task


@task()
def run_sirene_import(*, import_run_id: int) -> str:
    """Run a SIRENE import started from the web. Safe to run twice (a finished run is kept)."""
    from guichet.companies.sirene.runs import import_run_execute

    return import_run_execute(import_run_id=import_run_id)
