"""Background tasks of market data (django-tasks: database backend with the worker in
production, run immediately in tests)."""

from django_tasks import task


@task()
def run_market_load(*, job_id: int) -> str:
    """Run a load started from the web. Safe to run twice (a finished job is left as it is)."""
    from guichet.markets.loaders.jobs import load_job_execute

    return load_job_execute(job_id=job_id)
