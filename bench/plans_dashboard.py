"""Plan & indicators benchmark (issue 9): the PAREX 2 dashboard, its drill-down, breakdowns,
yearly report and impact estimate on a région's volumes.

The database (var/bench/plans.sqlite3) is built once and reused for a month within the year
(the demo is dated from the day it is loaded). It holds every capability's demo (the markets'
excepted: the plan does not read them), the demo PAREX 2 plan among them, then records cloned
from the demo ones with new companies up to a région's volumes: 20,000 companies (head office,
export facts), 3,000 journeys, 2,000 desk needs, 500 diagnostics, 1,500 collective
registrations, 2,000 aid applications, 300 V.I.E. missions (dates, partners, amounts and
statuses are those of the demo records, so the figures stay plausible). GUICHET_BENCH_SCALE
scales the volumes (0 skips).

Django reads DATABASE_URL when its settings are imported, so the measures run in a process of
their own (`python bench/plans_dashboard.py --database-url URL`). Each figure: one warm-up
run (its queries counted by an execute wrapper), then timed runs: p50 (and p95 from ten runs).
"""

import argparse
import copy
import os
import random
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATABASE = ROOT / "var" / "bench" / "plans.sqlite3"
VOLUMES = {
    "companies": 20_000,
    "journeys": 3_000,
    "needs": 2_000,
    "diagnostics": 500,
    "registrations": 1_500,
    "applications": 2_000,
    "missions": 300,
}
SIREN_BASE = 100_000_000  # clones: SIREN 1xxxxxxxx (the demo companies' start with 99)
CLONE_PREFIX = "1"
BATCH = 1000
ENV_DEFAULTS = {
    "GUICHET_SECRET_KEY": "bench-secret-key-not-for-production-0123456789",
    "GUICHET_SSL_REDIRECT": "0",
    "GUICHET_SECURE_COOKIES": "0",
    "GUICHET_STATIC_MANIFEST": "0",
    "GUICHET_TASKS_BACKEND": "immediate",
    "GUICHET_EMAIL_BACKEND": "locmem",
    "DJANGO_SETTINGS_MODULE": "config.settings",
}


def say(line: str) -> None:
    print(line, flush=True)


def bench_scale() -> float:
    try:
        return float(os.environ.get("GUICHET_BENCH_SCALE", "1"))
    except ValueError:
        raise SystemExit("GUICHET_BENCH_SCALE must be a number, e.g. 0.1") from None


# --- data -------------------------------------------------------------------------------------


def _clone(obj, **changes):
    """An unsaved copy of ``obj`` with ``changes`` (field names, e.g. company_id=…)."""
    from django.db.models.base import ModelState

    new = copy.copy(obj)
    new.__dict__.pop("_prefetched_objects_cache", None)
    new._state = ModelState()
    new.pk = None
    for name, value in changes.items():
        setattr(new, name, value)
    return new


def _load_demo() -> None:
    """What `manage.py load_demo` does, the markets' demo excepted (a world trade dataset
    written to the markets folder, which the plan never reads)."""
    import importlib

    from django.apps import apps
    from django.core.management import call_command
    from django.db import transaction

    call_command("load_reference_data", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    quiet = open(os.devnull, "w")  # noqa: SIM115
    with transaction.atomic():
        for config in apps.get_app_configs():
            if not config.name.startswith("guichet.") or config.name == "guichet.markets":
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError:
                continue
            module.load(password=secrets.token_urlsafe(16), stdout=quiet)


def _companies(target: int, rng: random.Random) -> list[int]:
    """Clone the demo companies (head office, export facts) up to ``target``; the new ids."""
    from guichet.companies.models import Company, Establishment, ExportFact
    from guichet.companies.text import company_search_text

    templates = list(Company.objects.exclude(siren__startswith=CLONE_PREFIX).order_by("pk"))
    head_offices = {
        e.company_id: e for e in Establishment.objects.filter(is_headquarters=True).order_by("pk")
    }
    facts: dict[int, list] = {}
    for fact in ExportFact.objects.order_by("pk"):
        facts.setdefault(fact.company_id, []).append(fact)
    missing = target - Company.objects.count()
    first = Company.objects.filter(siren__startswith=CLONE_PREFIX).count()
    for start in range(0, max(missing, 0), BATCH):
        chosen = [rng.choice(templates) for _ in range(min(BATCH, missing - start))]
        made = []
        for offset, template in enumerate(chosen):
            siren = str(SIREN_BASE + first + start + offset)
            name = f"{template.name} {first + start + offset}"
            made.append(
                _clone(
                    template,
                    siren=siren,
                    name=name,
                    denomination=name,
                    search_text=company_search_text(name),
                    headquarters_siret=f"{siren}00017",
                    sirene_digest="",
                )
            )
        made = Company.objects.bulk_create(made)
        Establishment.objects.bulk_create(
            _clone(head_offices[t.pk], company_id=c.pk, siret=f"{c.siren}00017")
            for t, c in zip(chosen, made, strict=True)
            if t.pk in head_offices
        )
        ExportFact.objects.bulk_create(
            _clone(f, company_id=c.pk)
            for t, c in zip(chosen, made, strict=True)
            for f in facts.get(t.pk, [])
        )
    ids = list(Company.objects.filter(siren__startswith=CLONE_PREFIX).values_list("pk", flat=True))
    rng.shuffle(ids)
    return ids


def build(scale: float) -> dict[str, int]:
    """The bench database's records (idempotent: tops up to the volumes)."""
    from guichet.aids.models import Application, Payment, new_application_reference
    from guichet.collective.models import FollowUpSurvey, Registration
    from guichet.companies.models import Company
    from guichet.core.audit import acting_as
    from guichet.desk.models import Match, Need, new_reference
    from guichet.diagnostics.models import Diagnostic
    from guichet.journeys.models import Journey, StageChange
    from guichet.plans.models import Plan
    from guichet.vie.models import VieMission

    volumes = {key: max(1, round(value * scale)) for key, value in VOLUMES.items()}
    rng = random.Random(2026)
    with acting_as(None, path="bench"):
        if not Plan.objects.exists():
            _load_demo()
        pool = _companies(volumes["companies"], rng)
    used = iter(pool * 4)  # distinct companies for journeys (one-to-one) and registrations

    def fresh_company() -> int:
        return next(used)

    # Journeys and their stage changes (one journey per company).
    templates = list(
        Journey.objects.exclude(company__siren__startswith=CLONE_PREFIX).order_by("pk")
    )
    changes: dict[int, list] = {}
    for change in StageChange.objects.order_by("pk"):
        changes.setdefault(change.journey_id, []).append(change)
    with_journey = set(Journey.objects.values_list("company_id", flat=True))
    free = [pk for pk in pool if pk not in with_journey]
    missing = volumes["journeys"] - Journey.objects.count()
    for start in range(0, max(missing, 0), BATCH):
        chosen = [templates[i % len(templates)] for i in range(start, min(start + BATCH, missing))]
        made = Journey.objects.bulk_create(
            _clone(t, company_id=free[start + n]) for n, t in enumerate(chosen)
        )
        StageChange.objects.bulk_create(
            _clone(c, journey_id=j.pk)
            for t, j in zip(chosen, made, strict=True)
            for c in changes.get(t.pk, [])
        )

    # Desk needs (a company from the pool when the demo need had one) and their matches.
    templates = list(Need.objects.order_by("pk"))
    matches: dict[int, list] = {}
    for match in Match.objects.order_by("pk"):
        matches.setdefault(match.need_id, []).append(match)
    missing = volumes["needs"] - Need.objects.count()
    for start in range(0, max(missing, 0), BATCH):
        chosen = [templates[i % len(templates)] for i in range(start, min(start + BATCH, missing))]
        made = Need.objects.bulk_create(
            _clone(
                t,
                reference=new_reference(),
                company_id=rng.choice(pool) if t.company_id else None,
                duplicate_of_id=None,
            )
            for t in chosen
        )
        Match.objects.bulk_create(
            _clone(m, need_id=n.pk)
            for t, n in zip(chosen, made, strict=True)
            for m in matches.get(t.pk, [])
        )

    def top_up(model, key, **extra):
        templates = list(model.objects.order_by("pk"))
        missing = volumes[key] - model.objects.count()
        made = []
        for start in range(0, max(missing, 0), BATCH):
            chosen = [
                templates[i % len(templates)] for i in range(start, min(start + BATCH, missing))
            ]
            made += zip(
                chosen,
                model.objects.bulk_create(
                    _clone(t, **{k: v() for k, v in extra.items()}) for t in chosen
                ),
                strict=True,
            )
        return made

    top_up(Diagnostic, "diagnostics", company_id=lambda: rng.choice(pool))
    surveys: dict[int, list] = {}
    for survey in FollowUpSurvey.objects.order_by("pk"):
        surveys.setdefault(survey.registration_id, []).append(survey)
    made = top_up(Registration, "registrations", company_id=fresh_company)
    FollowUpSurvey.objects.bulk_create(
        (_clone(s, registration_id=r.pk) for t, r in made for s in surveys.get(t.pk, [])),
        batch_size=BATCH,
    )
    payments: dict[int, list] = {}
    for payment in Payment.objects.order_by("pk"):
        payments.setdefault(payment.application_id, []).append(payment)
    made = top_up(
        Application,
        "applications",
        company_id=lambda: rng.choice(pool),
        reference=new_application_reference,
    )
    Payment.objects.bulk_create(
        (_clone(p, application_id=a.pk) for t, a in made for p in payments.get(t.pk, [])),
        batch_size=BATCH,
    )
    top_up(VieMission, "missions", company_id=lambda: rng.choice(pool))
    return {
        "companies": Company.objects.count(),
        "journeys": Journey.objects.count(),
        "needs": Need.objects.count(),
        "diagnostics": Diagnostic.objects.count(),
        "registrations": Registration.objects.count(),
        "applications": Application.objects.count(),
        "missions": VieMission.objects.count(),
    }


# --- measures ---------------------------------------------------------------------------------


def measure(label: str, fn, *, runs: int = 5) -> float:
    """Warm-up (its queries counted), then ``runs`` timed runs; prints p50 (p95 from ten runs)."""
    from django.db import connection

    # Counted with an execute wrapper: the test client's request_started signal empties
    # connection.queries, which CaptureQueriesContext reads.
    queries = []
    with connection.execute_wrapper(
        lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)
    ):
        fn()
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p50 = statistics.median(timings)
    p95 = f", p95 {timings[int(len(timings) * 0.95) - 1]:.0f} ms" if runs >= 10 else ""
    say(f"plans {label}: p50 {p50:.0f} ms{p95} ({runs} runs, {len(queries)} queries)")
    return p50


def measures() -> None:
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from guichet.companies.filieres import companies_in_filiere
    from guichet.companies.models import Company, Filiere
    from guichet.partners.models import User
    from guichet.plans import impact, impact_data, selectors
    from guichet.plans.computations import Filters
    from guichet.plans.report import build_report
    from guichet.plans.views.impact import COVARIATES

    plan = selectors.plan_by_slug("parex-2")
    year = timezone.localdate().year
    filters = Filters(year=year)
    indicators = list(selectors.indicators_of(plan))
    automatic = sum(1 for i in indicators if i.is_automatic)
    say(
        f"plans: PAREX 2 demo plan, {len(indicators)} indicators ({automatic} computed), "
        f"year {year}, plan years {plan.first_year}-{plan.last_year}"
    )
    measure("evaluate_plan (year, no series)", lambda: selectors.evaluate_plan(plan, filters))
    measure(
        "evaluate_plan with series (dashboard's call)",
        lambda: selectors.evaluate_plan(plan, filters, with_series=True),
        runs=3,
    )
    filiere = max(
        Filiere.objects.order_by("pk"),
        key=lambda f: companies_in_filiere(Company.objects.all(), f).count(),
    )
    by_filiere = filters.with_(filiere_id=filiere.pk)
    measure(
        f"evaluate_plan, filière « {filiere.name} »",
        lambda: selectors.evaluate_plan(plan, by_filiere),
    )
    accompanied = next(i for i in indicators if i.computation == "companies_accompanied")
    for dimension in ("departement", "partner"):
        rows = selectors.breakdown(accompanied, filters, dimension)
        measure(
            f"breakdown of {accompanied.code} (companies_accompanied) by {dimension} "
            f"({len(rows)} members)",
            lambda d=dimension: selectors.breakdown(accompanied, filters, d),
        )
    result = selectors.evaluate(accompanied, filters)
    say(f"plans: companies accompanied in {year}: {result.value}")

    def first_page():
        from django.core.paginator import Paginator

        figure = selectors.evaluate(accompanied, filters).figure
        page = Paginator(figure.records, 50).get_page(1)
        return [[c.value(r) for c in figure.columns] for r in page]

    def all_rows():
        figure = selectors.evaluate(accompanied, filters).figure
        return sum(1 for _r in figure.records.iterator(chunk_size=2000))

    measure("drill-down companies_accompanied, first page (50 rows)", first_page)
    measure(f"drill-down companies_accompanied, every row ({all_rows()} rows)", all_rows)

    manager = User.objects.get(email="pilote@demo.example")
    client = Client()
    client.force_login(manager)
    dashboard = reverse("plans:dashboard", args=[plan.slug])
    pages = {
        "dashboard page": f"{dashboard}?year={year}",
        "dashboard page, filière": f"{dashboard}?year={year}&filiere={filiere.pk}",
        f"indicator page {accompanied.code} (series, breakdowns)": reverse(
            "plans:indicator", args=[plan.slug, accompanied.code]
        )
        + f"?year={year}",
        f"records page {accompanied.code}": reverse(
            "plans:records", args=[plan.slug, accompanied.code]
        )
        + f"?year={year}",
    }
    for label, url in pages.items():

        def get(url=url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        measure(label, get, runs=3)

    pdf = build_report(plan, year, filters, "pdf")[0]
    xlsx = build_report(plan, year, filters, "xlsx")[0]
    measure(
        f"build_report pdf ({len(pdf) // 1024} KiB)",
        lambda: build_report(plan, year, filters, "pdf"),
        runs=3,
    )
    measure(
        f"build_report xlsx ({len(xlsx) // 1024} KiB)",
        lambda: build_report(plan, year, filters, "xlsx"),
        runs=3,
    )

    today = timezone.localdate()
    table = impact_data.company_table(
        outcome="exporter", first_year=plan.first_year, last_year=year, observed_on=today
    )
    analysed = impact_data.analysis_table(table, "exporter")
    say(
        f"plans impact table: {len(table):,} companies, {int(table['treated'].sum()):,} "
        f"accompanied; analysed {len(analysed):,} (exporter outcome)"
    )
    measure(
        "impact company_table (exporter)",
        lambda: impact_data.company_table(
            outcome="exporter", first_year=plan.first_year, last_year=year, observed_on=today
        ),
        runs=3,
    )
    for method in ("propensity", "cem"):
        try:
            measure(
                f"impact estimate_impact ({method})",
                lambda m=method: impact.estimate_impact(
                    analysed, covariates=COVARIATES, method=m, exact=("prior_status",)
                ),
                runs=3,
            )
        except impact.NotEnoughData as error:
            say(f"plans impact estimate_impact ({method}): not enough data ({error})")
    impact_url = (
        reverse("plans:impact", args=[plan.slug])
        + f"?outcome=exporter&first_year={plan.first_year}&last_year={year}&method=propensity"
    )

    def impact_page():
        response = client.get(impact_url)
        assert response.status_code == 200, (impact_url, response.status_code)

    measure("impact page (table + estimate)", impact_page, runs=3)


# --- processes --------------------------------------------------------------------------------


def child_main(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    for key, value in ENV_DEFAULTS.items():
        os.environ.setdefault(key, value)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    counts = build(bench_scale())
    say(
        "plans bench data: "
        + ", ".join(f"{value:,} {key}" for key, value in counts.items())
        + f" (ready in {time.perf_counter() - started:.1f} s)"
    )
    measures()


def run() -> None:
    """Called by bench/run.py: the measures in a process of their own, on their database."""
    if bench_scale() <= 0:
        say("plans dashboard benchmark: skipped (GUICHET_BENCH_SCALE=0)")
        return
    from datetime import date

    DATABASE.parent.mkdir(parents=True, exist_ok=True)
    # The demo records and the plan are dated from the day they were loaded: a database
    # loaded more than a month ago, or in another year, is loaded again.
    built = DATABASE.with_suffix(".built")
    try:
        day = date.fromisoformat(built.read_text().strip())
    except (OSError, ValueError):
        day = None
    today = date.today()
    if day is None or day.year != today.year or (today - day).days > 30:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DATABASE}{suffix}").unlink(missing_ok=True)
        built.unlink(missing_ok=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(  # noqa: S603 - this script, with arguments built here
        [sys.executable, str(Path(__file__).resolve()), "--database-url", f"sqlite:///{DATABASE}"],
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError("plans dashboard benchmark failed")
    if day is None:
        built.write_text(today.isoformat())


def main() -> None:
    parser = argparse.ArgumentParser(description="Plan & indicators benchmark.")
    parser.add_argument("--database-url")
    args = parser.parse_args()
    if args.database_url:
        child_main(args.database_url)
    else:
        run()


if __name__ == "__main__":
    main()
