"""Background tasks of market data (django-tasks: database backend with the worker in
production, run immediately in tests)."""

from django_tasks import task


@task()
def run_market_load(*, job_id: int) -> str:
    """Run a load started from the web. Safe to run twice (a finished job is left as it is)."""
    from guichet.markets.loaders.jobs import load_job_execute

    outcome = load_job_execute(job_id=job_id)
    if outcome == "done":
        warm_market_caches.enqueue()
    return outcome


@task()
def warm_market_caches() -> str:
    """Compute the results the market pages read first (see warmup.py)."""
    from guichet.markets.warmup import warm_caches

    built = warm_caches()
    return ", ".join(built) or "aucune donnée commerciale chargée"
